"""What a person reads on a page, and the slips a reviewer would circle in it: a bare SDMX
code (``PERCENT``, ``Y15T24``, ``_T``, a cell reading ``F``), ``None`` or ``nan``, a template
placeholder, or a value the template could not find (``HOLE``, printed by the tests'
Jinja ``Undefined``). Text inside ``<code>``, ``<pre>`` and elements of class ``code`` is a
code column and is not read. A negative zero (``-0.00``) counts as a slip too."""

from __future__ import annotations

import functools
import re
from html.parser import HTMLParser

HOLE = "⟦hole⟧"
SKIP = {"script", "style", "code", "pre"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
#: Words; a ':' inside one joins it (a national series code, ``KAZ_17_3_1_2:M_USD``, is one
#: code, its unit's part no bare unit), while "Unit: M_USD" is two words.
WORDS = re.compile(r"(?:[^\s,;:()\[\]/·—–.=]|:(?=[^\s:]))+")
NONE = re.compile(r"\b(None|nan|NaN)\b|[-−]0\.0+(?![0-9])")  # and a negative zero
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\{|\{%")
#: A code that comes with its label, "CA (Country adjusted data)", or in brackets as a
#: published description quotes it, "per capita (KG)": not bare.
WITH_LABEL = re.compile(r"\b[A-Z][A-Z0-9_]+ \(|\([A-Z][A-Z0-9_]*\)")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: is its text skipped?
        self.nodes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        skipped = (bool(self.stack) and self.stack[-1]) or tag in SKIP or "code" in classes
        self.stack.append(skipped)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]) and data.strip():
            self.nodes.append(data.strip())


def _coded(text: str, codes: set[str]) -> bool:
    """Whether ``text`` has a bare code of two characters or more."""
    return any(w in codes and len(w) > 1 for w in WORDS.findall(WITH_LABEL.sub(" ", text)))


def text_nodes(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.nodes


def slips(html: str, codes: set[str]) -> list[str]:
    """Every slip in the page's visible text. ``codes``: the codes that must not be shown
    bare (a one-letter code counts only as a whole cell or label)."""
    found = []
    for node in text_nodes(html):
        if HOLE in node or PLACEHOLDER.search(node) or NONE.search(node):
            found.append(node[:120])
        elif node in codes or _coded(node, codes):
            found.append(node[:120])
    return found


def text_slips(text: str, codes: set[str]) -> list[str]:
    """``slips`` for plain text (a PDF page, a spreadsheet cell): line by line, and codes of
    two characters or more only (a one-letter word is no evidence of a code)."""
    found = []
    for line in text.splitlines():
        if HOLE in line or PLACEHOLDER.search(line) or NONE.search(line) or _coded(line, codes):
            found.append(line.strip()[:120])
    return found


def shown_codes(store) -> set[str]:
    """The codes of the store's breakdowns, units and natures that have a label other than
    themselves, in the SDG code lists or the national repository's translations (``Ratio``
    reads as a word and is its own label)."""
    from sdgtrack.framework.codelists import label

    dims = ["sex", "age", "urbanisation", "income_wealth_quantile", "education_lev",
            "disability_status", "migratory_status", "occupation", "activity", "product",
            "breakdown", "unit_measure", "nature"]
    # a national repository's own words count as a label too (PT: Percent, процент)
    national = {(d, c) for d, c, text in store.con.execute(
        "SELECT dimension, code, label FROM codes_declared").fetchall() if text != c}
    codes = set()
    for dim in dims:
        for (code,) in store.con.execute(
                f"SELECT DISTINCT {dim} FROM observations_current WHERE {dim} IS NOT NULL"
        ).fetchall():
            if label(dim, code) != code or (dim, code) in national:
                codes.add(code)
    return codes


def marking_holes(environment):  # noqa: ANN201 - a context manager
    """While in use, a value a template of ``environment`` cannot find prints ``HOLE``
    (Jinja prints nothing by default: "of the  global indicators")."""
    import contextlib

    from jinja2 import Undefined

    class Hole(Undefined):
        __slots__ = ()

        def __str__(self) -> str:
            return HOLE

    @contextlib.contextmanager
    def using():  # noqa: ANN202
        saved = environment.undefined
        environment.undefined = Hole
        try:
            yield
        finally:
            environment.undefined = saved

    return using()


def pdf_text(data: bytes) -> list[str]:
    """Each page's text, as Poppler's ``pdftotext -raw`` reads it (the order of the content
    stream, as a screen reader does). Poppler, not pypdf: pypdf's reading of the CJK fonts'
    maps took half a minute a Chinese profile. Read once per document and process: several
    tests read one PDF, and Poppler takes 2-8 s on a profile."""
    return list(_pdf_text(data))


@functools.lru_cache(maxsize=16)
def _pdf_text(data: bytes) -> tuple[str, ...]:
    import shutil
    import subprocess

    exe = shutil.which("pdftotext")
    assert exe, "pdftotext is missing: Debian's poppler-utils (bash scripts/test.sh installs it)"
    out = subprocess.run([exe, "-raw", "-enc", "UTF-8", "-", "-"], input=data,
                         capture_output=True, check=True).stdout.decode("utf-8")
    return tuple(out.split("\f")[:-1])  # every page ends in a form feed
