"""Every member's country profile at once (``sdgtrack report country --group escap``).

The store is read once for all of them: the assessment of every unit, the gaps between
groups, the loads and every member's rows, in this process; then the profiles are shared
out between ``processes`` processes (forked once all that is read, so each inherits it and
none reads the store again: ``SiteData.store`` is replaced by one that refuses). Each file
is the same document ``sdgtrack report country AREA`` writes. Where workers cannot be
forked (``publish.site.build.can_fork``) the profiles are written one after another here.
"""

from __future__ import annotations

import multiprocessing
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sdgtrack import framework
from sdgtrack.errors import UsageError
from sdgtrack.publish.report import availability as avail
from sdgtrack.publish.report.common import FORMATS, loads_read
from sdgtrack.publish.report.country import country_profile
from sdgtrack.publish.site.data import SiteData
from sdgtrack.store import Store


@dataclass
class ProfilesWritten:
    """``written``: the files, in the group's order; ``skipped``: (M49 code, why) for each
    member the store has no data for."""

    written: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    workers: str = "none"  # "forked" or "none"


def file_name(m49: str, fmt: str) -> str:
    """A profile's file in the folder: the ISO3 code, as ``sdgtrack report country NPL``
    would be given.

    >>> file_name("524", "pdf"), file_name("356", "html")
    ('NPL.pdf', 'IND.html')
    """
    return f"{framework.iso3_of(m49)}.{fmt}"


def _read_once(d: SiteData, members: list[str]) -> None:
    """What every profile reads from the store, read now for all of them: the site's data
    and assessment, the loads, the framework links, the interlinkages, the probabilities
    and each member's rows (one query)."""
    from sdgtrack.publish.site.pages_links import site_links
    from sdgtrack.publish.site.pages_probability import probability_targets

    d.warm()
    loads_read(d)
    avail.links(d)
    site_links(d)  # the interlinkages of every unit
    probability_targets(d)  # every unit's probabilities, computed once, not in each worker
    rows = d.sql("SELECT * FROM observations_current WHERE list_contains(?, ref_area) "
                 "AND value IS NOT NULL", [members])
    for m49 in members:
        part = rows[rows.ref_area == m49].reset_index(drop=True)
        avail.area_rows(d, m49, part)


def _one(d: SiteData, m49: str, folder: Path, fmt: str, lang: str) -> Path | str:
    """The profile of ``m49`` written to ``folder``, or why there is none."""
    try:
        content = country_profile(d, m49, lang, fmt)
    except UsageError as exc:
        if not avail.area_rows(d, m49).empty:
            raise
        return str(exc)
    path = folder / file_name(m49, fmt)
    path.write_bytes(content)
    return path


@dataclass
class _Share:
    d: SiteData
    members: list[str]
    folder: Path
    fmt: str
    lang: str
    queue: Any

    def take(self) -> dict[str, Path | str]:
        done: dict[str, Path | str] = {}
        while (k := self.queue.get()) is not None:
            done[self.members[k]] = _one(self.d, self.members[k], self.folder, self.fmt,
                                         self.lang)
        return done


def _forked(share: _Share, answer: Any) -> None:
    from sdgtrack.publish.site.build import _NoStore

    share.d.store = _NoStore()  # type: ignore[assignment]
    share.d.results.store = _NoStore()  # type: ignore[assignment]
    try:
        answer.send(share.take())
    except BaseException as exc:  # noqa: BLE001 - sent to the parent, which raises it
        answer.send(RuntimeError(f"a profile worker failed: {exc!r}\n"
                                 + traceback.format_exc()))


def _forking(share: _Share, processes: int) -> dict[str, Path | str]:
    from sdgtrack.publish.site.build import forked_workers

    for k in range(len(share.members)):
        share.queue.put(k)
    for _ in range(processes):
        share.queue.put(None)
    with forked_workers(_forked, share, processes - 1) as workers:
        done = share.take()
        for proc, reader in workers:
            got = reader.recv()
            proc.join()
            if isinstance(got, BaseException):
                raise got
            done |= got
        return done


def write_country_profiles(store: Store | SiteData, group: str, folder: Path,
                           fmt: str = "pdf", lang: str = "en", processes: int = 2
                           ) -> ProfilesWritten:
    """The profile of every member of ``group`` in ``folder`` (``NPL.pdf`` ...), written by
    ``processes`` processes over one read of the store."""
    from sdgtrack.publish.site.build import can_fork

    if fmt not in FORMATS["country"]:
        raise UsageError(f"The country profile is written as {' or '.join(FORMATS['country'])}"
                         f", not {fmt!r}.")
    members = framework.group_members(group)
    d = store if isinstance(store, SiteData) else SiteData(store, frozen=True)
    _read_once(d, members)
    folder.mkdir(parents=True, exist_ok=True)
    fork = processes > 1 and can_fork()
    share = _Share(d, members, folder, fmt, lang,
                   multiprocessing.get_context("fork").SimpleQueue() if fork else None)
    if fork:
        done = _forking(share, processes)
    else:
        done = {m: _one(d, m, folder, fmt, lang) for m in members}
    out = ProfilesWritten(workers="forked" if fork else "none")
    for m49 in members:
        got = done[m49]
        if isinstance(got, Path):
            out.written.append(got)
        else:
            out.skipped.append((m49, got))
    return out
