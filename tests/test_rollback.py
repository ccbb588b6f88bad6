"""README "Upgrading" and "Undo an upgrade", run line by line against a real server and upgrade.

A temporary upstream repository holds two releases of the app: this checkout as it is, and the
same plus one commit with a new migration. The server's checkout is a clone of it, as README's
step 2 makes. The README's own code blocks are read and each line run: `systemctl` becomes
starting or stopping the real gunicorn, `diary-admin` the real admin command, `runuser -u diary
-- git ...` git in the clone. `make install` is skipped: both releases use this virtualenv.
"""

import re
import shlex
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from tests.test_selfhosting import BIN, ROOT, Browser, Server, admin, free_port

pytestmark = pytest.mark.no_test_database(
    reason="the server and the admin commands run on a SQLite file of their own")

README = ROOT / "README.md"
PASSWORD = "a phrase only Dana knows"
NOT_THE_APP = (".git", ".venv", "instance", "test-artifacts", "__pycache__", ".pytest_cache")
GIT_IDENTITY = ["-c", "user.name=Release manager", "-c", "user.email=releases@example.org"]

NEW_MIGRATION = '''"""upgrade probe: a table only the new release knows

Revision ID: {revision}
Revises: {head}
"""

import sqlalchemy as sa
from alembic import op

revision = "{revision}"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("upgrade_probe", sa.Column("id", sa.Integer, primary_key=True))


def downgrade():
    op.drop_table("upgrade_probe")
'''


def git(checkout: Path, *args) -> str:
    result = subprocess.run(["git", *GIT_IDENTITY, *args], cwd=checkout, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def code_block(after: str) -> list[str]:
    """The lines of the first ```sh block after the README text ``after``."""
    block = README.read_text().split(after, 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    return [line.split("  #")[0].strip() for line in block.splitlines() if line.strip()]


def schema_of(database: Path) -> tuple[str, bool]:
    """The database's Alembic revision, and whether the new release's table is there."""
    with sqlite3.connect(database) as connection:
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        probe = connection.execute(
            "SELECT count(*) FROM sqlite_master WHERE name = 'upgrade_probe'").fetchone()[0]
    connection.close()
    return revision, bool(probe)


class Machine:
    """The self-hoster's server: a checkout, its data and backup folders, the running diary."""

    def __init__(self, tmp_path: Path, checkout: Path):
        self.checkout, self.backups = checkout, tmp_path / "backups"
        self.backups.mkdir()
        self.env = {"PATH": "/usr/bin:/bin", "DIARY_INSTANCE_PATH": str(tmp_path / "instance"),
                    "DIARY_BIND": f"127.0.0.1:{free_port()}", "DIARY_WORKERS": "1"}
        self.database = tmp_path / "instance" / "diary.sqlite3"
        self.server = Server(self.env, tmp_path / "server.log", checkout=checkout)
        self.variables, self.said = {}, []

    def run(self, line: str) -> None:
        """One README line, as the self-hoster would type it."""
        line = line.replace("/var/backups/diary", str(self.backups))
        for name, value in self.variables.items():
            line = line.replace(f"${name}", value)
        assignment = re.fullmatch(r"(\w+)=\$\((.*)\)", line)
        if assignment:
            self.variables[assignment.group(1)] = self.command(assignment.group(2))
        elif line == "systemctl stop diary":
            assert self.server.stop() == 0
        elif line == "systemctl start diary":
            self.server.start()
        elif line == "systemctl restart diary":
            assert self.server.stop() == 0
            self.server.start()
        elif line == "cd /srv/diary/app":
            pass  # every command below already runs in the checkout
        else:
            for command in line.removeprefix("cd /srv/diary/app && ").split(" && "):
                self.said.append(self.command(command))

    def command(self, command: str) -> str:
        argv = shlex.split(command)
        if argv[0] == "diary-admin":
            return admin(self.env, *argv[1:], checkout=self.checkout)
        assert argv[:4] == ["runuser", "-u", "diary", "--"], f"a step this test does not know: {command}"
        if argv[4:] == ["make", "install"]:
            return ""  # both releases use the test's virtualenv
        return git(self.checkout, *argv[5:]) if argv[4] == "git" else pytest.fail(command)


@pytest.fixture
def releases(tmp_path):
    """An upstream repository with this checkout as release 1, and the server's clone of it."""
    upstream = tmp_path / "upstream"
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, text=True)
    if listed.returncode == 0:  # this checkout's files as they are now, committed or not
        for name in filter(None, listed.stdout.split("\0")):
            if (ROOT / name).is_file():
                (upstream / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / name, upstream / name)
    else:  # not a git checkout (an unpacked archive)
        shutil.copytree(ROOT, upstream, ignore=shutil.ignore_patterns(*NOT_THE_APP))
    git(upstream, "init", "-q", "-b", "main")
    git(upstream, "add", "-A")
    git(upstream, "commit", "-q", "-m", "release 1")
    git(tmp_path, "clone", "-q", str(upstream), "app")
    return upstream, tmp_path / "app"


def publish_release_2(upstream: Path) -> str:
    """Commit a new migration upstream; its revision, numbered after release 1's head."""
    head = ScriptDirectory(str(upstream / "migrations")).get_current_head()
    revision = f"{int(head) + 1:04d}"
    (upstream / "migrations" / "versions" / f"{revision}_upgrade_probe.py").write_text(NEW_MIGRATION.format(revision=revision, head=head))
    git(upstream, "add", "-A")
    git(upstream, "commit", "-q", "-m", "release 2: a new migration")
    return revision


def log_a_day(machine: Machine, notes: str) -> None:
    browser = Browser(machine.server.url)
    browser.submit("/login", "form[method=post]", {"email": "dana@example.com", "password": PASSWORD})
    _, today = browser.get("/today")
    day = today.select_one("form.entry-form input[name=day]")["value"]
    browser.submit("/today", "form.entry-form", {"day": day, "pain_avg": "5", "notes": notes})


def notes_in(database: Path) -> list[str]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT notes FROM entry ORDER BY id").fetchall()
    connection.close()
    return [notes for (notes,) in rows]


def test_upgrade_then_undo_it_as_the_readme_says(tmp_path, releases):
    upstream, checkout = releases
    machine = Machine(tmp_path, checkout)
    try:
        machine.server.start()
        old_schema = schema_of(machine.database)
        admin(machine.env, "create-user", "dana@example.com", "--name", "Dana", "--password-stdin",
              checkout=checkout, input=PASSWORD + "\n")
        log_a_day(machine, "before the upgrade")
        old_release = git(checkout, "rev-parse", "--short", "HEAD")

        new_revision = publish_release_2(upstream)
        for line in code_block("**9. Upgrading**"):
            machine.run(line)
        assert schema_of(machine.database) == (new_revision, True)
        assert f"Running upgrade {old_schema[0]} -> {new_revision}" in machine.server.log_path.read_text()
        assert machine.said[-1].startswith("All is well")  # diary-admin check
        assert (machine.backups / f"before-upgrade-{old_release}.sqlite3").is_file()
        log_a_day(machine, "after the upgrade")  # today's entry, changed under the new release

        # The trap the README warns about: the old release alone cannot read the new schema.
        machine.run("systemctl stop diary")
        git(checkout, "reset", "-q", "--hard", old_release)
        refused = subprocess.run([BIN / "gunicorn", "--config", "gunicorn.conf.py", "wsgi:app"],
                                 cwd=checkout, env=machine.env, capture_output=True, text=True, timeout=60)
        assert refused.returncode == 65
        assert f"the database has schema {new_revision}, from a newer release" in refused.stderr
        git(checkout, "pull", "-q")  # back at release 2, as before the undo
        machine.server.start()

        for line in code_block("**Undo an upgrade.**"):
            machine.run(line.replace("1a2b3c4", old_release))
        assert git(checkout, "rev-parse", "--short", "HEAD") == old_release
        assert schema_of(machine.database) == old_schema
        assert notes_in(machine.database) == ["before the upgrade"]  # as README says: since is lost...
        kept_aside = list(machine.database.parent.glob("diary.sqlite3.before-restore-*"))
        assert len(kept_aside) == 1 and notes_in(kept_aside[0]) == ["after the upgrade"]  # ...but kept aside
        assert machine.said[-1].startswith("All is well")
        log_a_day(machine, "back on the old release")  # the old release serves Dana again
        assert notes_in(machine.database) == ["back on the old release"]
    finally:
        machine.server.kill()
