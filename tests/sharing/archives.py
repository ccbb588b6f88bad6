"""Building, reading and breaking diary export zips for the export and import tests."""

import csv
import io
import struct
import zipfile


def files_of(zip_bytes: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def zip_of(files: dict[str, str | bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def upload(client, data: bytes):
    return client.post("/import", data={"file": (io.BytesIO(data), "export.zip")},
                       content_type="multipart/form-data")


# Offsets of the fields both headers of a member carry (APPNOTE.TXT 4.3.7 and 4.3.12).
LOCAL_HEADER = b"PK\x03\x04", {"flags": 6, "method": 8, "crc": 14, "compressed": 18, "size": 22}
CENTRAL_HEADER = b"PK\x01\x02", {"flags": 8, "method": 10, "crc": 16, "compressed": 20, "size": 24}
WIDTHS = {"flags": "<H", "method": "<H", "crc": "<I", "compressed": "<I", "size": "<I"}


def patched(zip_bytes: bytes, member: str, **fields: int) -> bytes:
    """The zip with ``member``'s header fields (flags, method, crc, size) set in both headers."""
    data = bytearray(zip_bytes)
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        info = archive.getinfo(member)
        local_at = info.header_offset
        central_at = next(at for at in find_all(data, CENTRAL_HEADER[0])
                          if data[at + 46:at + 46 + len(member)] == member.encode())
    for (signature, offsets), start in ((LOCAL_HEADER, local_at), (CENTRAL_HEADER, central_at)):
        assert data[start:start + 4] == signature
        for name, value in fields.items():
            struct.pack_into(WIDTHS[name], data, start + offsets[name], value)
    return bytes(data)


def find_all(data: bytes, signature: bytes):
    at = data.find(signature)
    while at != -1:
        yield at
        at = data.find(signature, at + 1)


def corrupted(zip_bytes: bytes, member: str) -> bytes:
    """The zip with the middle of ``member``'s compressed data overwritten."""
    data = bytearray(zip_bytes)
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        info = archive.getinfo(member)
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for at in range(start + 2, start + info.compress_size - 2):
        data[at] = 0xFF
    return bytes(data)


def bomb(member: str, header: str, megabytes: int) -> bytes:
    """A member whose first row is ``header`` followed by ``megabytes`` MiB of one repeated row,
    written in pieces so that the test itself never holds it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open(member, "w", force_zip64=True) as stream:
            stream.write(header.encode() + b"\n")
            piece = b"0" * (1024 * 1024)
            for _ in range(megabytes):
                stream.write(piece)
    return buffer.getvalue()
