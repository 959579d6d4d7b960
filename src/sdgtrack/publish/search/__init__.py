"""The hub's search: one index per store version and language over the framework, the
areas, the forums' records, approved evidence and the methodology (``documents``), built
by ``index.build`` and queried by ``index.search``; the static site gets the same index as a
script (``static_index``) and runs the same query in the browser (static/search.js)."""

from __future__ import annotations

import json
from typing import Any

from sdgtrack.publish.search.index import KINDS, Doc, Index, as_json, build
from sdgtrack.publish.site.data import SiteData

__all__ = ["KINDS", "Doc", "Index", "search", "site_index", "static_index"]


def site_index(d: SiteData, lang: str) -> Index:
    """The index of ``lang``, built once per store version."""
    from sdgtrack.publish.search.documents import documents

    return d.cached(("search_index", lang),  # type: ignore[no-any-return]
                    lambda: build(documents(d, lang)))


def search(d: SiteData, lang: str, q: str, limit: int = 100) -> dict[str, Any]:
    """Results for ``q`` in ``lang``: ``results`` best first, ``groups`` by kind (exact
    matches first), ``total``; each with its title, page, snippet and the parts to mark."""
    if not q.strip():
        return {"q": q, "total": 0, "results": [], "groups": []}
    # one answer per store version, language and query, among the most recent (the page,
    # its JSON twin and the API ask for the same one); shared: read it, do not change it
    return d.cache.recent(d.versions.current(), ("search", lang, q, limit),  # type: ignore[no-any-return]
                          lambda: site_index(d, lang).search(q, limit))


def static_index(d: SiteData, lang: str) -> str:
    """The index of ``lang`` as a script for the static site (a script, not JSON: a page
    opened from disk may run a script but not fetch a file), with the traditional ->
    simplified map of the characters the index holds, so the browser normalises as we do."""
    data = as_json(site_index(d, lang))
    data["t2s"] = _t2s_map(data["postings"]) if lang == "zh" else {}
    return "window.SDGTRACK_INDEX = " + json.dumps(data, ensure_ascii=False,
                                                   separators=(",", ":")) + ";\n"


def _t2s_map(postings: dict[str, Any]) -> dict[str, str]:
    import opencc

    wanted = {c for t in postings for c in t if "\u3400" <= c <= "\u9fff"}
    s2t = opencc.OpenCC("s2t")
    out = {}
    for c in sorted(wanted):
        t = s2t.convert(c)
        if t != c:
            out[t] = c
    return out
