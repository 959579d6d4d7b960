"""The forums' own records on the pages: "What the forum said" on each goal page (the
roundtable's priority actions, paragraph by paragraph, with the indicators they concern)
and a page per forum (sessions, roundtables, the VNR panel, side events), linked from the
regional review. Text in the page's language where the record has it, else the English
translation, marked as a translation; the published text is shown beside a translation."""

from __future__ import annotations

from typing import Any

from sdgtrack.publish.site.data import SiteData
from sdgtrack.publish.site.i18n import gettext
from sdgtrack.records import Forum, Record
from sdgtrack.records.stored import forums


def _forums(d: SiteData) -> list[tuple[Forum, tuple[Record, ...]]]:
    def make() -> list[tuple[Forum, tuple[Record, ...]]]:
        with d.lock:
            return forums(d.store)
    return d.cached("forums", make)  # type: ignore[no-any-return]


def forum_ids(d: SiteData) -> list[str]:
    return [f.id for f, _ in _forums(d)]


def _text(r: Record, forum: Forum, lang: str, field: str = "text") -> dict[str, Any]:
    """The text to show in ``lang``, whether it is a translation (and whose), and the
    published text when what is shown is not it."""
    own = getattr(r, f"{field}_{lang}")
    shown_lang = lang if own else ("en" if getattr(r, f"{field}_en") else
                                   forum.published_language)
    shown = getattr(r, f"{field}_{shown_lang}")
    published = getattr(r, f"{field}_{forum.published_language}")
    translated = shown_lang != forum.published_language
    return {"text": shown, "lang": shown_lang,
            "translation": forum.translations.get(shown_lang, "") if translated else "",
            "published": published if translated else "",
            "published_lang": forum.published_language}


def _entry(r: Record, forum: Forum, lang: str) -> dict[str, Any]:
    return {"id": r.id, "anchor": f"forum-{r.forum}-{r.id}", "number": r.number,
            "kind": r.kind, "goals": list(r.goals), "indicators": list(r.indicators),
            "date": r.date, "agenda_item": r.agenda_item,
            "text": _text(r, forum, lang) if (r.text_zh or r.text_en or r.text_ru) else None,
            "title": _text(r, forum, lang, "title") if r.title(lang) else None}


def _meta(forum: Forum, lang: str) -> dict[str, Any]:
    return {"id": forum.id, "title": forum.title(lang), "held": forum.held,
            "source": forum.source, "licence": forum.licence,
            "published_language": forum.published_language,
            "translations": forum.translations}


def goal_section(d: SiteData, lang: str, goal: str) -> list[dict[str, Any]]:
    """Per forum with a roundtable on ``goal``: its paragraphs in the report's order."""
    out = []
    for forum, recs in _forums(d):
        mine = [_entry(r, forum, lang) for r in recs
                if r.kind == "roundtable" and int(goal) in r.goals]
        events = [_entry(r, forum, lang) for r in recs
                  if r.kind == "side_event" and int(goal) in r.goals]
        if mine or events:
            out.append({**_meta(forum, lang), "paragraphs": mine, "side_events": events})
    return out


def forum(d: SiteData, lang: str, code: str) -> dict[str, Any]:
    from sdgtrack.publish.site.pages import NotFound, _page

    _ = gettext(lang)
    found = next(((f, rs) for f, rs in _forums(d) if f.id == code), None)
    if found is None:
        raise NotFound(f"There is no forum {code!r}; the forums are "
                       f"{', '.join(forum_ids(d))}.")
    meta, recs = found
    entries = [_entry(r, meta, lang) for r in recs]
    roundtables: dict[int, list[dict[str, Any]]] = {}
    for e in entries:
        if e["kind"] == "roundtable":
            roundtables.setdefault(e["goals"][0], []).append(e)
    return _page("forum", f"forum/{code}", lang, meta.title(lang), d, forum=_meta(meta, lang),
                 sessions=[e for e in entries if e["kind"] == "session"],
                 roundtables=[{"goal": g, "paragraphs": ps} for g, ps in roundtables.items()],
                 vnr=[e for e in entries if e["kind"] == "vnr_panel"],
                 side_events=[e for e in entries if e["kind"] == "side_event"])


def forum_links(d: SiteData, lang: str) -> list[dict[str, str]]:
    """The forums, for the regional review's link to each."""
    return [{"id": f.id, "title": f.title(lang), "held": f.held} for f, _ in _forums(d)]
