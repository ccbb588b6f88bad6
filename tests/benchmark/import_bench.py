"""Peak memory and time of importing a diary export: `python -m tests.benchmark.import_bench`.

Each case runs in a fresh Python process, so its peak resident memory is its own: the app on a
new SQLite file, a new patient logged in through Flask's test client, one upload to /import. It
reports the process's resident memory before the upload, its peak during it (VmHWM) and the
upload's wall time, for 10,000 rows, for the most rows an import allows (importing.MAX_ROWS),
and for a zip bomb that must be refused. The zips are built in the parent process, laid out as
the diary's own export writes them.
"""

import csv
import io
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROWS_PER_DAY = 5  # an entry, one side effect, a medication day with two doses


def diary_zip(rows: int) -> bytes:
    """A valid export of about ``rows`` rows: daily entries back from yesterday, with a side
    effect, a medication day and two doses each, as a patient logging every day would have."""
    from diary import models  # noqa: F401  registers the tables
    from diary.sharing.export import exported_columns, patient_tables

    days = max(1, (rows - 2) // ROWS_PER_DAY)
    first = date.today() - timedelta(days=days)
    chance = random.Random(22)

    def moment(day: date) -> str:
        return f"{day}T{chance.randrange(6, 23):02}:{chance.randrange(60):02}:{chance.randrange(60):02}.{chance.randrange(10**6):06}+00:00"

    tables = {table.name: table for table in patient_tables()}
    rows_of: dict[str, list[dict]] = {name: [] for name in tables}
    rows_of["medication"] = [
        {"id": 1, "name": "Pregabalin", "drug": "non_opioid", "form": "tablet", "unit": "mg",
         "usual_dose": "75", "active": "true", "created_at": moment(first)},
        {"id": 2, "name": "Tramadol", "drug": "tramadol", "form": "tablet", "unit": "mg",
         "usual_dose": "50", "active": "true", "created_at": moment(first)}]
    for number in range(1, days + 1):
        day = first + timedelta(days=number - 1)
        written = moment(day)
        rows_of["entry"].append({"id": number, "day": day, "pain_avg": chance.randrange(11),
                                 "pain_worst": chance.randrange(11), "mood": chance.randrange(11),
                                 "sleep_quality": chance.randrange(11), "notes": "",
                                 "created_at": written, "updated_at": written})
        rows_of["entry_side_effect"].append({"id": number, "entry_id": number,
                                             "symptom": chance.choice(["nausea", "dizziness", "headache"]),
                                             "severity": chance.randrange(1, 4), "detail": ""})
        rows_of["medication_day"].append({"id": number, "day": day, "updated_at": written})
        for medication in (1, 2):
            rows_of["medication_dose"].append({"id": 2 * number - 2 + medication, "medication_day_id": number,
                                               "medication_id": medication,
                                               "amount": chance.choice(["50", "75", "100", "150"])})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, table in tables.items():
            text = io.StringIO()
            writer = csv.DictWriter(text, fieldnames=exported_columns(table), restval="", lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows_of[name])
            archive.writestr(f"{name}.csv", text.getvalue())
    return buffer.getvalue()


def bomb_zip(megabytes: int) -> bytes:
    """A valid export but for entry.csv: ``megabytes`` MiB of one row repeated."""
    from diary import models  # noqa: F401  registers the tables
    from diary.sharing.export import exported_columns, patient_tables

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for table in patient_tables():
            header = ",".join(exported_columns(table)) + "\n"
            if table.name != "entry":
                archive.writestr(f"{table.name}.csv", header)
                continue
            with archive.open("entry.csv", "w", force_zip64=True) as stream:
                stream.write(header.encode())
                row = b"1,2026-01-01,5,,,,,," + b"x" * 1000 + b",2026-01-01T08:00:00+00:00,2026-01-01T08:00:00+00:00\n"
                for _ in range(megabytes * 1024 * 1024 // len(row)):
                    stream.write(row)
    return buffer.getvalue()


def child(zip_path: str, headroom_mb: int | None = None) -> None:
    """Runs in the measured process: one import of the zip, as the importing worker does it.

    With ``headroom_mb`` the process may not grow its address space by more than that once it
    is ready to import (RLIMIT_AS): an import that needs more fails with MemoryError.
    """
    workdir = Path(tempfile.mkdtemp(prefix="diary-import-bench-"))
    from diary import create_app
    from diary.db import upgrade
    from tests.conftest import PASSWORD, TEST_CONFIG, make_patient

    app = create_app({**TEST_CONFIG, "DATABASE_URL": f"sqlite:///{workdir / 'diary.sqlite3'}"},
                     instance_path=str(workdir / "instance"))
    upgrade(app.extensions["diary_engine"])
    make_patient(app, "bench@example.com", "Bench")
    client = app.test_client()
    client.post("/login", data={"email": "bench@example.com", "password": PASSWORD})
    client.get("/import")  # the page once, so its template is compiled before measuring
    data = Path(zip_path).read_bytes()
    if headroom_mb is not None:
        limit = int((memory_mb("VmSize") + headroom_mb) * 1024 * 1024)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    before = memory_mb("VmHWM")
    started, cpu_started = time.perf_counter(), time.process_time()
    response = client.post("/import", data={"file": (io.BytesIO(data), "export.zip")},
                           content_type="multipart/form-data")
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    peak = memory_mb("VmHWM")
    print(json.dumps({"status": response.status_code, "seconds": round(seconds, 2),
                      "cpu_seconds": round(cpu_seconds, 2),
                      "rss_before_mb": round(before, 1), "peak_rss_mb": round(peak, 1)}))


def memory_mb(name: str) -> float:
    """VmHWM is the peak resident memory of this process since it started (its own: unlike
    getrusage's maxrss, it does not carry the parent's peak across fork and exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{name}:"):
            return int(line.split()[1]) / 1024
    raise LookupError(name)


def import_in_child(data: bytes, headroom_mb: int | None = None) -> dict:
    """Import ``data`` in a fresh process (see ``child``); its measurements."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.zip"
        path.write_bytes(data)
        command = [sys.executable, "-m", "tests.benchmark.import_bench", "--child", str(path)]
        if headroom_mb is not None:
            command += ["--headroom-mb", str(headroom_mb)]
        output = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if output.returncode != 0:
        raise RuntimeError(output.stderr[-3000:])
    return json.loads(output.stdout.splitlines()[-1])


def measure(label: str, data: bytes) -> dict:
    result = {"case": label, "zip_kb": round(len(data) / 1024), **import_in_child(data)}
    print(f"{label:<40} {result['zip_kb']:>5} KiB  status {result['status']}  "
          f"{result['seconds']:>6.2f} s ({result['cpu_seconds']:.2f} s CPU)  "
          f"peak RSS {result['peak_rss_mb']:>6.1f} MB (before the upload {result['rss_before_mb']:.1f} MB)",
          flush=True)
    return result


def main() -> None:
    from diary.sharing.importing import MAX_ROWS

    measure("10,000 rows", diary_zip(10_000))
    measure(f"{MAX_ROWS:,} rows (the most allowed)", diary_zip(MAX_ROWS))
    measure("zip bomb: 400 MiB of one row (refused)", bomb_zip(400))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], int(sys.argv[4]) if sys.argv[3:4] == ["--headroom-mb"] else None)
    else:
        main()
