"""Read the PNGs docgen writes (8-bit RGB, unfiltered rows) back into pixels, for asserts.

Independent of the writer: it walks the chunks, checks each CRC, and refuses what it
does not read (another colour type, a filtered row), so a broken file fails the test.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Image:
    width: int
    height: int
    rows: list[bytes]  # RGB, 3 bytes a pixel

    def ink(self, top: float = 0.0, bottom: float = 1.0) -> float:
        """Share of dark pixels (any channel < 128) between two heights (0..1)."""
        rows = self.rows[int(top * self.height):int(bottom * self.height)]
        dark = sum(1 for row in rows for x in range(0, len(row), 3) if min(row[x:x + 3]) < 128)
        return dark / max(1, len(rows) * self.width)


def read_png(data: bytes) -> Image:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc, f"bad CRC in {kind!r}"
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
        pos += 12 + length
    assert header is not None, "no IHDR"
    width, height, depth, colour, *_ = header
    assert (depth, colour) == (8, 2), "not 8-bit RGB"
    raw = zlib.decompress(idat)
    stride = 1 + width * 3
    assert len(raw) == stride * height
    rows = []
    for y in range(height):
        assert raw[y * stride] == 0, "filtered row"
        rows.append(raw[y * stride + 1:(y + 1) * stride])
    return Image(width, height, rows)
