#!/usr/bin/env python3
"""Write a story folder with a picture into FOLDER, for the link check on a sub-path build.

The picture is a PNG drawn here (no imaging library needed), 1200 x 800, so it is published at
three widths; the story has a hero, a Markdown image, a link to the picture, a root-relative link
and an `@/` link, each of which must resolve below the sub-path.
"""
import struct
import sys
import zlib
from pathlib import Path


def png(width: int, height: int) -> bytes:
    rows = b"".join(
        b"\x00" + bytes(v for x in range(width) for v in (x * 7 % 256, y * 5 % 256, 120)) for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


STORY = """---
title: A picture of the team
date: 2025-03-01
employer: northgate-rail
summary: The apprentices of 2025 in one picture.
image: team.png
image_alt: Six apprentices in work wear in front of a train
---
The team, on their first day:

![Six apprentices in work wear in front of a train](team.png)

Read [Northgate Rail's scorecard](/employers/northgate-rail/), its
[employer page by source](@/employers/northgate-rail.yaml) and [the full picture](team.png).
"""

folder = Path(sys.argv[1])
folder.mkdir(parents=True, exist_ok=True)
(folder / "team.png").write_bytes(png(1200, 800))
(folder / "index.md").write_text(STORY)
