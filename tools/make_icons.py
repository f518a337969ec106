"""Draw the app's PNG icons (192 and 512 px) for the web app manifest.

The same clock as ``lifelogger/ui/static/app/icon.svg``, on a full-bleed blue
square so the icon also works "maskable" (everything that matters lies inside
the central 80 % circle that launchers keep). Plain Python: zlib and struct
write the PNG, edges are anti-aliased from each pixel's distance to the shape.
No downloads, no Pillow; the output is byte-for-byte reproducible and a test
checks that the committed files are what this script draws.

    python tools/make_icons.py          # rewrites lifelogger/ui/static/app/icon-{192,512}.png
"""
from __future__ import annotations

import math
import struct
import sys
import zlib
from pathlib import Path

SIZES = (192, 512)
FOLDER = Path(__file__).resolve().parent.parent / "lifelogger" / "ui" / "static" / "app"
BLUE = (0x1D, 0x4E, 0xD8)
WHITE = (0xFF, 0xFF, 0xFF)

# In units of the icon's size, centre at (0.5, 0.5); y grows downwards.
FACE_RADIUS = 0.31
HAND_WIDTH = 0.06
HANDS = (((0.5, 0.5), (0.5, 0.31)), ((0.5, 0.5), (0.6, 0.56)))


def _segment_distance(px: float, py: float, a: tuple[float, float], b: tuple[float, float]) -> float:
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def _coverage(distance_outside: float) -> float:
    """How much of a pixel a shape covers, from the signed distance (in pixels) of its centre."""
    return max(0.0, min(1.0, 0.5 - distance_outside))


def _mix(under: tuple[int, ...], over: tuple[int, ...], amount: float) -> tuple[int, ...]:
    return tuple(round(u + (o - u) * amount) for u, o in zip(under, over))


def draw(size: int) -> list[bytes]:
    """The icon's rows of RGB pixels."""
    centre = size / 2
    face = FACE_RADIUS * size
    hands = [((a[0] * size, a[1] * size), (b[0] * size, b[1] * size)) for a, b in HANDS]
    half_width = HAND_WIDTH * size / 2
    rows = []
    for y in range(size):
        row = bytearray()
        py = y + 0.5
        for x in range(size):
            px = x + 0.5
            colour = _mix(BLUE, WHITE, _coverage(math.hypot(px - centre, py - centre) - face))
            hand = min(_segment_distance(px, py, a, b) for a, b in hands) - half_width
            if hand < 1:
                colour = _mix(colour, BLUE, _coverage(hand))
            row.extend(colour)
        rows.append(bytes(row))
    return rows


def png(rows: list[bytes]) -> bytes:
    """An 8-bit RGB PNG of these rows (filter 0 on every row)."""
    height, width = len(rows), len(rows[0]) // 3

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + row for row in rows), 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def icon(size: int) -> bytes:
    """The PNG file for one size."""
    return png(draw(size))


def main(folder: Path = FOLDER) -> None:
    for size in SIZES:
        path = folder / f"icon-{size}.png"
        path.write_bytes(icon(size))
        print(f"wrote {path}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else FOLDER)
