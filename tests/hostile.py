"""Makers of hostile inputs too large to keep in the repository (issue 21): each writes one
file into a folder and returns its path. Small damaged files are kept as specimens in
``tests/specimens/bad``; these are made when a test needs them."""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

from accounts import header, rows

MiB = 1024 * 1024


def copies(folder: Path, n: int = 10_000) -> Path:
    """``n`` copies of one real row (SH_DYN_MORT, Kazakhstan, 2015): 10,000 are 1.5 MiB."""
    path = folder / "copies.csv"
    path.write_text(header() + rows("398")[0] * n, encoding="utf-8")
    return path


def gzip_bomb(folder: Path, expanded: int = 1024 * MiB) -> Path:
    """A .csv.gz with a real header and then ``expanded`` bytes of one repeated row:
    1 GiB of text in ~4 MiB."""
    path = folder / "bomb.csv.gz"
    line = rows("398")[0].encode()
    block = line * (MiB // len(line))
    with gzip.open(path, "wb", compresslevel=9) as f:
        f.write(header().encode())
        for _ in range(expanded // len(block)):
            f.write(block)
    return path


def xlsx_bomb(folder: Path, sheet_bytes: int = 200 * MiB) -> Path:
    """An .xlsx of the template whose Data sheet is ``sheet_bytes`` of XML (one real row
    repeated, each with its own row number): the zip is a few MiB."""
    from sdgtrack.publish.template import write_template

    template = folder / "template.xlsx"
    write_template(template)
    path = folder / "bomb.xlsx"
    with zipfile.ZipFile(template) as zin, zipfile.ZipFile(path, "w",
                                                           zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename != "xl/worksheets/sheet1.xml":
                zout.writestr(info, data)
                continue
            head, _, tail = data.partition(b"</sheetData>")
            with zout.open(info.filename, "w", force_zip64=True) as f:
                f.write(head)
                written, r = len(head), 2
                while written < sheet_bytes:
                    chunk = b"".join(_row(k) for k in range(r, r + 1000))
                    f.write(chunk)
                    written += len(chunk)
                    r += 1000
                f.write(b"</sheetData>" + tail)
    return path


def _row(r: int) -> bytes:
    return (f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>SH_DYN_MORT</t></is></c>'
            f'<c r="B{r}" t="inlineStr"><is><t>398</t></is></c><c r="C{r}"><v>2015</v></c>'
            f'<c r="D{r}"><v>11.8</v></c></row>').encode()
