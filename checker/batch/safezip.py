"""Inspect a zip archive before anything unpacks it: path traversal and zip bombs.

Used for uploaded ``.zip`` files (the web page) and for ``.docx`` drafts (a docx is a zip).
``inspect(zf, limits)`` raises ``UnsafeZip`` with a one-line reason, or returns the entries
that are safe to read (files only, in archive order).  Reading an entry goes through
``read_entry``, which stops at the declared size, so a lying header cannot inflate it.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass


class UnsafeZip(ValueError):
    """The archive is refused as a whole (one-line reason)."""


@dataclass(frozen=True)
class ZipLimits:
    max_entries: int = 1000
    max_total_bytes: int = 50 * 1024 * 1024  # sum of uncompressed sizes
    max_entry_bytes: int = 20 * 1024 * 1024  # one entry, uncompressed
    max_ratio: float = 100.0  # uncompressed / compressed, per entry and overall


UPLOAD_LIMITS = ZipLimits()
DOCX_LIMITS = ZipLimits(
    max_entries=2000,
    max_total_bytes=60 * 1024 * 1024,
    max_entry_bytes=40 * 1024 * 1024,
    max_ratio=200.0,
)

_DRIVE = re.compile(r"^[A-Za-z]:")


def unsafe_name(name: str) -> str | None:
    """Why an entry name is unsafe to unpack (absolute, drive letter, ``..``), or None."""
    if "\x00" in name:
        return "NUL in entry name"
    norm = name.replace("\\", "/")
    if norm.startswith("/") or _DRIVE.match(norm):
        return f"absolute path {name!r}"
    parts = [p for p in norm.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        return f"path traversal {name!r}"
    return None


def safe_name(name: str) -> str:
    """The entry name as a clean relative posix path (call ``unsafe_name`` first)."""
    return posixpath.normpath(name.replace("\\", "/")).lstrip("/")


def inspect(zf: zipfile.ZipFile, limits: ZipLimits = UPLOAD_LIMITS) -> list[zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > limits.max_entries:
        raise UnsafeZip(
            f"too many entries in the zip: {len(infos):,} (limit {limits.max_entries:,})"
        )
    total = compressed = 0
    files = []
    for info in infos:
        why = unsafe_name(info.filename)
        if why:
            raise UnsafeZip(f"zip refused: {why}")
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            raise UnsafeZip(f"zip refused: encrypted entry {info.filename!r}")
        if info.file_size > limits.max_entry_bytes:
            raise UnsafeZip(
                f"zip refused: entry {info.filename!r} unpacks to {info.file_size:,} "
                f"bytes (limit {limits.max_entry_bytes:,})"
            )
        if info.file_size > 1024 * 1024 and info.file_size > limits.max_ratio * max(
            1, info.compress_size
        ):
            raise UnsafeZip(
                f"zip refused: entry {info.filename!r} compresses "
                f"{info.file_size / max(1, info.compress_size):,.0f}:1 (zip bomb?)"
            )
        total += info.file_size
        compressed += info.compress_size
        files.append(info)
    if total > limits.max_total_bytes:
        raise UnsafeZip(
            f"zip refused: unpacks to {total:,} bytes (limit {limits.max_total_bytes:,})"
        )
    if total > 1024 * 1024 and total > limits.max_ratio * max(1, compressed):
        raise UnsafeZip(
            f"zip refused: compression ratio {total / max(1, compressed):,.0f}:1 (zip bomb?)"
        )
    return files


def read_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The entry's bytes, never more than its declared size (a lying header is an error)."""
    with zf.open(info) as fh:
        data = fh.read(info.file_size + 1)
    if len(data) > info.file_size:
        raise UnsafeZip(f"zip refused: entry {info.filename!r} is larger than it declares")
    return data
