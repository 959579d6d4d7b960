"""Each document written to a file: the functions the CLI calls (``sdgtrack report ...``).
The format is the one asked for, else the file's suffix."""

from __future__ import annotations

from pathlib import Path

from sdgtrack.errors import UsageError
from sdgtrack.publish.report.annex import vnr_annex
from sdgtrack.publish.report.common import FORMATS, REGION
from sdgtrack.publish.report.country import country_profile
from sdgtrack.publish.report.region import regional_report
from sdgtrack.publish.site.data import SiteData
from sdgtrack.store import Store


def _format(document: str, out: Path, fmt: str | None) -> str:
    """The format asked for, else the one the suffix names.

    >>> _format("vnr", Path("kaz.xlsx"), None), _format("country", Path("x"), "html")
    ('xlsx', 'html')
    """
    chosen = fmt or out.suffix.lstrip(".").lower()
    if chosen not in FORMATS[document]:
        raise UsageError(f"{out}: give --format {' or '.join(FORMATS[document])} (or a file "
                         f"ending in .{' or .'.join(FORMATS[document])}).")
    return chosen


def _write(out: Path, content: bytes) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(content)
    return out


def write_country_profile(store: Store | SiteData, area: str, out: Path,
                          fmt: str | None = None, lang: str = "en") -> Path:
    return _write(out, country_profile(store, area, lang, _format("country", out, fmt)))


def write_vnr_annex(store: Store | SiteData, area: str, since: int, out: Path,
                    fmt: str | None = None, lang: str = "en") -> Path:
    return _write(out, vnr_annex(store, area, since, _format("vnr", out, fmt), lang))


def write_regional_report(store: Store | SiteData, out: Path, group: str = REGION,
                          fmt: str | None = None, lang: str = "en") -> Path:
    return _write(out, regional_report(store, group, lang, _format("region", out, fmt)))
