"""What a reader may open and how far a file may expand, checked before a byte is parsed.

A FIFO, device or socket named ``x.csv`` is refused without being opened (opening a FIFO
waits forever for a writer). Compressed input is expanded as a stream and stopped at
``SDGTRACK_EXPAND_MAX_BYTES`` or when it has grown more than ``SDGTRACK_EXPAND_MAX_RATIO``
times the compressed bytes read so far, so a decompression bomb (4 MB of gzip that is 1 GiB
of text, an .xlsx whose sheet is 200 MB of XML) costs at most the limit, never its size.
Every refusal is an ``Issue`` carried by a ``DataError``.
"""

from __future__ import annotations

import stat
import zipfile
import zlib
from pathlib import Path

from sdgtrack import settings
from sdgtrack.errors import DataError, Issue, IssueCode

#: Compressed bytes fed to the decompressor at a time.
_CHUNK = 64 * 1024
#: Below this many expanded bytes the ratio is not judged (a small file's header dominates).
_RATIO_FLOOR = 1024 * 1024


def max_bytes() -> int:
    return settings.get_int("expand_max_bytes")


def max_ratio() -> int:
    return settings.get_int("expand_max_ratio")


def refuse(issue: Issue) -> DataError:
    return DataError(f"{issue.file}: {issue.message} {issue.hint}", [issue])


def special_file(path: Path, name: str | None = None) -> Issue | None:
    """Why ``path`` may not be opened (a FIFO, device or socket), or None. ``stat`` does not
    open the file, so it never blocks."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None  # a missing file is reported as such elsewhere
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a device" if
            stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a socket")
    return Issue(name or path.name, None, None, IssueCode.SPECIAL_FILE, None,
                 f"The path is {kind}, not a regular file; it was not opened.",
                 "Save the data to a regular file and give that file's path.")


def _too_large(name: str, expanded: int, compressed: int, limit: int, ratio: int,
               setting: str = "SDGTRACK_EXPAND_MAX_BYTES") -> Issue:
    if expanded > limit:
        why = f"it expands to more than {limit:,} bytes ({setting})"
    else:
        why = (f"it expanded {expanded // max(compressed, 1):,} times ({compressed:,} "
               f"compressed bytes to {expanded:,}), more than the limit of {ratio} "
               "(SDGTRACK_EXPAND_MAX_RATIO)")
    return Issue(name, None, None, IssueCode.TOO_LARGE, None,
                 f"The compressed file was refused: {why}; it may be a decompression bomb.",
                 "Split the data into smaller files, or send it uncompressed.")


def _corrupt(name: str, what: str) -> Issue:
    return Issue(name, None, None, IssueCode.CORRUPT_FILE, None,
                 f"The file ends in .gz but {what}.",
                 "Compress the CSV again with gzip (or give the plain .csv), and check that "
                 "the copy is complete.")


def gunzip(path: Path, name: str | None = None, head: int | None = None) -> bytes:
    """The expanded bytes of a gzip file (every member), streamed under the limits; with
    ``head``, only the first ``head`` bytes (the rest is not expanded)."""
    name = name or path.name
    limit, ratio = max_bytes(), max_ratio()
    out = bytearray()
    read = 0
    d, in_member = zlib.decompressobj(wbits=31), False
    with path.open("rb") as f:
        if f.read(2) != b"\x1f\x8b":
            raise refuse(_corrupt(name, "is not gzip-compressed (no gzip signature)"))
        f.seek(0)
        while chunk := f.read(_CHUNK):
            read += len(chunk)
            while chunk:  # at most 1 MiB of output at a time, then judged
                try:
                    out += d.decompress(chunk, min(limit + 1 - len(out), _CHUNK * 16))
                except zlib.error as exc:
                    raise refuse(_corrupt(name, f"is damaged ({exc})")) from exc
                in_member = True
                if head is not None and len(out) >= head:
                    return bytes(out[:head])
                if len(out) > limit or (len(out) > _RATIO_FLOOR and len(out) > ratio * read):
                    raise refuse(_too_large(name, len(out), read, limit, ratio))
                chunk = d.unconsumed_tail
                if d.eof:  # another member may follow
                    chunk, in_member = d.unused_data, False
                    d = zlib.decompressobj(wbits=31)
                    if chunk[:2] not in (b"\x1f\x8b", b""):
                        break  # bytes after the last member: gzip ignores them too
    if in_member and head is None:
        raise refuse(_corrupt(name, "is cut short (the compressed stream does not end)"))
    return bytes(out)


def check_zip(path: Path, name: str | None = None) -> None:
    """An .xlsx is a zip archive: refuse it when its parts would expand past
    ``SDGTRACK_WORKBOOK_MAX_BYTES`` or the ratio limit.
    The sizes are those of the archive's directory; ``zipfile`` reads no more than the
    stated size of a part, so a part cannot expand beyond what is checked here."""
    name = name or path.name
    limit, ratio = settings.get_int("workbook_max_bytes"), max_ratio()
    with zipfile.ZipFile(path) as z:
        parts = z.infolist()
    expanded = sum(p.file_size for p in parts)
    compressed = sum(p.compress_size for p in parts)
    if expanded > limit or (expanded > _RATIO_FLOOR and expanded > ratio * max(compressed, 1)):
        issue = _too_large(name, expanded, compressed, limit, ratio,
                           "SDGTRACK_WORKBOOK_MAX_BYTES")
        raise refuse(Issue(name, None, None, IssueCode.TOO_LARGE, None,
                           issue.message.replace("compressed file", "workbook"),
                           "Split the workbook into smaller ones (by goal or by year), or "
                           "send the data as CSV."))
