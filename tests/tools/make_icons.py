"""Draw the app icons (a diary page on the diary's blue) as PNG files, with only the standard library.

Run from the repository root: ``python3 tests/tools/make_icons.py``. It writes static/icons/*.png; the
files are committed, so the app needs nothing of this at run time.
"""

import struct
import zlib
from pathlib import Path

BLUE = (0x1D, 0x5C, 0x96)  # --accent in static/css/app.css (light theme)
WHITE = (0xFF, 0xFF, 0xFF)
SAMPLES = 4  # 4x4 samples per pixel smooth the edges


def inside_rounded_box(x, y, left, top, right, bottom, radius):
    if not (left <= x <= right and top <= y <= bottom):
        return False
    nearest_x = min(max(x, left + radius), right - radius)
    nearest_y = min(max(y, top + radius), bottom - radius)
    return (x - nearest_x) ** 2 + (y - nearest_y) ** 2 <= radius ** 2


def colour_at(x, y, maskable):
    """The colour at (x, y) in a unit square, or None where the icon is transparent."""
    if not maskable and not inside_rounded_box(x, y, 0, 0, 1, 1, 0.18):
        return None
    # Maskable icons keep their drawing inside the central circle of radius 0.4 (W3C manifest spec).
    scale = 0.62 if maskable else 0.8
    u, v = (x - 0.5) / scale + 0.5, (y - 0.5) / scale + 0.5
    if inside_rounded_box(u, v, 0.22, 0.14, 0.78, 0.86, 0.06):
        for top, right in ((0.34, 0.66), (0.48, 0.66), (0.62, 0.52)):  # lines written on the page
            if inside_rounded_box(u, v, 0.32, top, right, top + 0.055, 0.027):
                return BLUE
        return WHITE
    return BLUE


def draw(size, maskable):
    rows = []
    for row in range(size):
        line = bytearray([0])  # PNG filter: none
        for column in range(size):
            red = green = blue = alpha = 0
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    colour = colour_at((column + (sx + 0.5) / SAMPLES) / size,
                                       (row + (sy + 0.5) / SAMPLES) / size, maskable)
                    if colour:
                        red, green, blue, alpha = red + colour[0], green + colour[1], blue + colour[2], alpha + 1
            if alpha:
                line += bytes((red // alpha, green // alpha, blue // alpha, 255 * alpha // SAMPLES ** 2))
            else:
                line += bytes(4)
        rows.append(bytes(line))
    return png(size, b"".join(rows))


def png(size, raw_rows):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw_rows, 9)) + chunk(b"IEND", b""))


if __name__ == "__main__":
    folder = Path("static/icons")
    folder.mkdir(parents=True, exist_ok=True)
    for name, size, maskable in (("icon-192.png", 192, False), ("icon-512.png", 512, False),
                                 ("icon-maskable-512.png", 512, True),
                                 ("apple-touch-icon-180.png", 180, True)):
        (folder / name).write_bytes(draw(size, maskable))
        print(folder / name)
