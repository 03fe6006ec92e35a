"""The layout of an MP4 file, read from its box headers (ISO/IEC 14496-12): a few bytes each.

Faststart (moov before mdat) and edit lists are properties of the container layout, which no
probe reports.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Box:
    kind: str
    offset: int  # of the header
    size: int  # header included
    header: int  # header length: 8, or 16 with a 64-bit size


def top_level_boxes(path: Path) -> list[Box]:
    """The top-level MP4 boxes (ISO/IEC 14496-12 section 4.2): 32-bit size, type, optional 64-bit size."""
    boxes = []
    with Path(path).open("rb") as stream:
        total = stream.seek(0, 2)
        offset = 0
        while offset + 8 <= total:
            stream.seek(offset)
            head = stream.read(16)
            size, kind = struct.unpack(">I4s", head[:8])
            header = 8
            if size == 1 and len(head) == 16:
                size, header = struct.unpack(">Q", head[8:16])[0], 16
            elif size == 0:  # runs to the end of the file
                size = total - offset
            if size < header:
                break  # damaged: nothing after this can be trusted
            boxes.append(Box(kind.decode("latin-1"), offset, size, header))
            offset += size
    return boxes


def _children(data: bytes, start: int, end: int) -> Iterator[tuple[str, int, int]]:
    """(type, payload start, payload end) of the boxes inside data[start:end]."""
    offset = start
    while offset + 8 <= end:
        size, kind = struct.unpack(">I4s", data[offset : offset + 8])
        header = 8
        if size == 1 and offset + 16 <= end:
            size, header = struct.unpack(">Q", data[offset + 8 : offset + 16])[0], 16
        elif size == 0:
            size = end - offset
        if size < header or offset + size > end:
            return
        yield kind.decode("latin-1"), offset + header, offset + size
        offset += size


def edit_list_tracks(path: Path, moov: Box) -> list[int]:
    """1-based numbers of the tracks that carry an edit list (moov/trak/edts/elst with entries)."""
    with Path(path).open("rb") as stream:
        stream.seek(moov.offset)
        data = stream.read(moov.size)
    tracks = []
    number = 0
    for kind, start, end in _children(data, moov.header, len(data)):
        if kind != "trak":
            continue
        number += 1
        for child, child_start, child_end in _children(data, start, end):
            if child != "edts":
                continue
            for leaf, leaf_start, leaf_end in _children(data, child_start, child_end):
                # elst: version/flags (4 bytes), then the entry count.
                if leaf == "elst" and leaf_end - leaf_start >= 8 and struct.unpack(">I", data[leaf_start + 4 : leaf_start + 8])[0]:
                    tracks.append(number)
    return tracks
