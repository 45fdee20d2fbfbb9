"""A minimal ZIP writer for .docx files: fixed times, members written from bytes that were
compressed once per template, so that an unchanged part (styles, theme, fonts) costs a copy,
not a deflate, on every render. No ZIP64: a .docx never comes near 4 GiB."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01
_DOS_TIME = 0
_VERSION = 20
_MADE_BY = (3 << 8) | _VERSION  # Unix
_EXTERNAL_ATTR = 0o644 << 16
STORED, DEFLATED = 0, 8


@dataclass(frozen=True)
class Member:
    name: str
    crc: int
    size: int
    method: int
    data: bytes  # as stored in the archive (compressed when method is DEFLATED)


def compress(name: str, content: bytes, level: int = 6) -> Member:
    """Deflate ``content`` (or store it when deflate does not help, e.g. a JPEG)."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    packed = compressor.compress(content) + compressor.flush()
    crc = zlib.crc32(content)
    if len(packed) >= len(content):
        return Member(name, crc, len(content), STORED, content)
    return Member(name, crc, len(content), DEFLATED, packed)


def write(members: list[Member]) -> bytes:
    chunks: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for item in members:
        name = item.name.encode("utf-8")
        flags = 0 if item.name.isascii() else 0x800
        header = struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, _VERSION, flags, item.method, _DOS_TIME, _DOS_DATE,
            item.crc, len(item.data), item.size, len(name), 0,
        )
        directory.append(struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, _MADE_BY, _VERSION, flags, item.method,
            _DOS_TIME, _DOS_DATE, item.crc, len(item.data), item.size, len(name), 0, 0, 0, 0,
            _EXTERNAL_ATTR, offset,
        ) + name)
        chunks += (header, name, item.data)
        offset += len(header) + len(name) + len(item.data)
    central = b"".join(directory)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central),
                      offset, 0)
    return b"".join(chunks) + central + end
