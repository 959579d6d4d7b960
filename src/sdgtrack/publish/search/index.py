"""An inverted index over the hub's documents, and the query over it. Small and pure
Python: the bundled data give about two thousand documents per language. The same index is
written for the static site (``as_json``), where static/search.js runs the same query.

Ranking: a code or a name matched whole (``3.2.1``, ``SH_DYN_MORT``, ``NPL``, ``524``,
``尼泊尔``) comes first; then the documents holding every word of the query before those
holding some; within each, kind by kind in ``KINDS`` order, documents by a BM25-like score
over their fields (title, other names, body), times the share of the query's terms they
hold. A Latin or Cyrillic term found nowhere is looked up within one edit (``povrety``)."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sdgtrack.publish.search.text import (
    CJK,
    codes,
    fuzzy_keys,
    normalise,
    terms,
    within_one_edit,
    word_terms,
)

KINDS = ("goal", "target", "indicator", "series", "metadata", "group", "area", "record",
         "event", "evidence", "scorecard", "methodology")
WEIGHTS = {"title": 3.0, "names": 2.0, "body": 1.0}
EXACT = 1000.0  # a code or a whole name: above any score from words
FUZZY = 0.6  # a term found within one edit counts this much of an exact one
SNIPPET = 160
#: Words the official texts use for one idea: goal 1 says 贫穷 and нищета, its targets and
#: indicators 贫困 and бедность (Russian as Snowball stems)
SYNONYMS = {"贫困": ("贫穷",), "贫穷": ("贫困",), "бедност": ("нищет",),
            "нищет": ("бедност",)}
SYNONYM = 0.8


@dataclass
class Doc:
    kind: str
    code: str
    title: str
    link: str
    body: str = ""
    #: other names and keywords: matched, not shown (English and other languages' names)
    names: str = ""
    #: codes matched exactly (the code, ISO3 and ISO2, M49)
    keys: list[str] = field(default_factory=list)
    anchor: str = ""
    #: the title and body normalised (for marking hits), filled by ``build``
    low: tuple[str, str] = ("", "")


@dataclass
class Index:
    docs: list[Doc]
    postings: dict[str, list[tuple[int, float]]]
    exact: dict[str, list[int]]
    fuzzy: dict[str, list[str]]

    def search(self, q: str, limit: int = 100) -> dict[str, Any]:
        return search(self, q, limit)


def build(docs: list[Doc]) -> Index:
    postings: dict[str, dict[int, float]] = defaultdict(dict)
    exact: dict[str, list[int]] = defaultdict(list)
    for k, doc in enumerate(docs):
        doc.low = (_lowered(doc.title), _lowered(doc.body))
        for key in sorted(_exact_keys(doc)):  # sorted: the same bytes on every build
            exact[key].append(k)
        for t, w in _weights(doc).items():
            postings[t][k] = w
    fuzzy: dict[str, list[str]] = defaultdict(list)
    for t in postings:
        if len(t) >= 4 and not CJK.match(t) and not t[0].isdigit():
            for key in sorted(fuzzy_keys(t)):
                fuzzy[key].append(t)
    return Index(docs, {t: sorted(p.items()) for t, p in postings.items()}, dict(exact),
                 dict(fuzzy))


def _exact_keys(doc: Doc) -> set[str]:
    """Its codes, and its title and other names whole."""
    names = {normalise(doc.title), *(normalise(n) for n in doc.names.split("|"))}
    return {normalise(c) for c in [doc.code, *doc.keys] if c} | {
        n.strip() for n in names if n.strip()}


def _weights(doc: Doc) -> dict[str, float]:
    """Term -> its weight in the document: the field's weight times its count (at most 4);
    a long body weighs a term less."""
    length = 1.0 + math.log1p(len(doc.body) / 200)
    out: dict[str, float] = defaultdict(float)
    for fieldname, weight in WEIGHTS.items():
        counts: dict[str, int] = defaultdict(int)
        for t in terms(getattr(doc, fieldname)):
            counts[t] += 1
        scale = weight / length if fieldname == "body" else weight
        for t, n in counts.items():
            out[t] += scale * min(n, 4)
    return out


def _expand(index: Index, term: str) -> list[tuple[str, float]]:
    """The index terms a query term stands for: itself (and its synonyms), else those
    within one edit."""
    if term in index.postings:
        return [(term, 1.0), *((t, SYNONYM) for t in SYNONYMS.get(term, ())
                               if t in index.postings)]
    if len(term) < 4 or CJK.match(term) or term[0].isdigit():
        return []
    near = {t for key in fuzzy_keys(term) for t in index.fuzzy.get(key, [])}
    return [(t, FUZZY) for t in sorted(near) if within_one_edit(term, t)]


def search(index: Index, q: str, limit: int = 100) -> dict[str, Any]:
    query = normalise(q).strip()
    wanted = list(dict.fromkeys(word_terms(query)))
    scores: dict[int, float] = defaultdict(float)
    held: dict[int, set[str]] = defaultdict(set)
    matched: set[str] = set()
    n = len(index.docs) or 1
    for term in wanted:
        for found, factor in _expand(index, term):
            posting = index.postings[found]
            idf = math.log(1 + n / len(posting))
            matched.add(found)
            for k, w in posting:
                scores[k] += factor * idf * w
                held[k].add(term)
    for k in scores:  # the share of the query's words a document holds, squared
        scores[k] *= (len(held[k]) / len(wanted)) ** 2
    exact_keys = {query, *codes(q), *query.split()}
    best = {k for key in exact_keys for k in index.exact.get(key, [])}
    for k in best:
        scores[k] += EXACT
    # exact matches; then documents holding every word of the query ("ministry of
    # emergency situations"), then the others; kind by kind within each
    order = sorted(scores, key=lambda k: (k not in best, len(held[k]) < len(wanted),
                                          KINDS.index(index.docs[k].kind), -scores[k], k))
    hits = [_hit(index.docs[k], scores[k], k in best, matched | set(wanted) | exact_keys)
            for k in order[:limit]]
    groups: dict[str, dict[str, Any]] = {}  # in the order of their first result
    for hit in hits:
        kind = "best" if hit["exact"] else hit["kind"]
        groups.setdefault(kind, {"kind": kind, "results": []})["results"].append(hit)
    return {"q": q, "total": len(order), "results": hits, "groups": list(groups.values())}


def _hit(doc: Doc, score: float, exact: bool, found: set[str]) -> dict[str, Any]:
    return {"kind": doc.kind, "code": doc.code, "title": doc.title, "link": doc.link,
            "anchor": doc.anchor, "score": round(score, 3), "exact": exact,
            "title_marks": marks(doc.title, found, low=doc.low[0]),
            "snippet": marks(doc.body, found, SNIPPET, doc.low[1]) if doc.body else []}


def _lowered(text: str) -> str:
    """``text`` normalised where that keeps every character in place (for marking)."""
    low = normalise(text)
    return low if len(low) == len(text) else text.lower()


def marks(text: str, found: set[str], width: int | None = None, low: str | None = None
          ) -> list[dict[str, Any]]:
    """``text`` (or a window of ``width`` characters around the first hit) as segments
    ``{"text", "hit"}``: the templates mark the hits without trusting any HTML.

    >>> [m["text"] for m in marks("End poverty in all", {"poverti", "poverty"})]
    ['End ', 'poverty', ' in all']
    """
    merged = _merge(_spans(low if low is not None else _lowered(text), found))
    start, end = 0, len(text)
    if width is not None and len(text) > width:
        first = merged[0][0] if merged else 0
        start = max(0, min(first - width // 4, len(text) - width))
        space = text.rfind(" ", max(0, start - 20), start + 1)
        start = space + 1 if space >= 0 else start  # not in the middle of a word
        end = min(len(text), start + width)
    out, at = [], start
    for a, b in merged:
        a, b = max(a, start), min(b, end)
        if a < b:
            out += [{"text": text[at:a], "hit": False}] if a > at else []
            out.append({"text": text[a:b], "hit": True})
            at = b
    out += [{"text": text[at:end], "hit": False}] if at < end else []
    return ([{"text": "…", "hit": False}] if start > 0 else []) + out + (
        [{"text": "…", "hit": False}] if end < len(text) else [])


def _spans(low: str, found: set[str]) -> list[tuple[int, int]]:
    """Where the terms occur in the normalised text; a stem or a singular marks the whole
    word."""
    spans = []
    for term in found:
        if len(term) < 2 and not CJK.match(term):
            continue
        for m in re.finditer(re.escape(term), low):
            end = m.end()
            while not CJK.match(term) and end < len(low) and low[end].isalnum():
                end += 1
            spans.append((m.start(), end))
    return spans


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def as_json(index: Index) -> dict[str, Any]:
    """The index for the static site's script: documents as rows, postings flat."""
    return {
        "docs": [[d.kind, d.code, d.title, d.link, d.anchor, d.body[:600]]
                 for d in index.docs],
        "postings": {t: [x for k, w in p for x in (k, round(w, 3))]
                     for t, p in index.postings.items()},
        "exact": index.exact,
        "synonyms": SYNONYMS,
    }
