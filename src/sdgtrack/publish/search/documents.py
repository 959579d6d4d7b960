"""What the hub's search finds, as documents in one language: goals, targets, indicators and
series (codes and titles), national metadata (each load's, per indicator), areas and groups
(official UN names in English, Chinese and Russian; ISO and M49 codes), the forums' records,
approved stakeholder evidence and scorecards, and the methodology text. Titles are in the
page's language; the other languages' names are matched too (someone on the Chinese pages
may type "Nepal")."""

from __future__ import annotations

import re
from typing import Any

from sdgtrack import framework
from sdgtrack.assess.run import records as rows_of
from sdgtrack.publish.search.index import Doc
from sdgtrack.publish.site.data import SiteData
from sdgtrack.publish.site.i18n import gettext, title
from sdgtrack.records import Record
from sdgtrack.records.stored import forums

#: The methodology page's sections: heading and paragraphs (the page's own messages).
METHODOLOGY = (
    ("Current Status Index (goal snapshot)", (
        "For each series: the progress made from the baseline year to the latest year, as a "
        "share of the progress needed to reach the 2030 target.",
        "Series are averaged into indicators, indicators into targets and targets into goals. "
        "The expected progress is the share of the time from the baseline to 2030 that has "
        "passed.")),
    ("Anticipated Progress Index (target dashboard)", (
        "Group values are the unweighted mean of the countries' values, gaps filled between "
        "observed years.",)),
)
OTHER = {"en": ("zh", "ru"), "zh": ("en", "ru"), "ru": ("en", "zh")}


def documents(d: SiteData, lang: str) -> list[Doc]:
    _ = gettext(lang)
    docs = (_framework(d, lang) + _series(d, lang) + _metadata(d, lang) + _groups(lang)
            + _areas(d, lang))
    with d.lock:
        every = forums(d.store)
    for forum, recs in every:
        docs += [_record(r, forum.title(lang), lang) for r in recs]
    for e in d.evidence():
        card = e["code"] == "scorecard"  # a people's scorecard: its own section
        docs.append(Doc("scorecard" if card else "evidence", str(e["evidence_id"]),
                        str(e["title"]), f"area/{e['ref_area']}",
                        body=str(e.get("summary") or ""),
                        names=str(e.get("organisation") or ""),
                        anchor="scorecards" if card else "evidence"))
    for heading, paragraphs in METHODOLOGY:
        docs.append(Doc("methodology", "", _(heading), "methodology",
                        body=" ".join(_(p) for p in paragraphs)))
    return docs


def _framework(d: SiteData, lang: str) -> list[Doc]:
    _ = gettext(lang)
    targets = rows_of(d.targets)
    indicators = rows_of(d.indicators)
    docs = []
    for g in rows_of(d.goals):
        body = " ".join([title(t, lang) for t in targets if t["goal"] == g["goal"]]
                        + [title(i, lang) for i in indicators if i["goal"] == g["goal"]])
        docs.append(Doc("goal", g["goal"], _("Goal %(goal)s: %(title)s", goal=g["goal"],
                                             title=title(g, lang, "short")),
                        f"goal/{g['goal']}", body=title(g, lang) + " " + body,
                        names=_others(g, lang, "short")))
    docs += [Doc("target", t["target"], title(t, lang), f"goal/{t['goal']}",
                 names=_others(t, lang)) for t in targets]
    docs += [Doc("indicator", i["indicator"], title(i, lang), f"indicator/{i['indicator']}",
                 names=_others(i, lang)) for i in indicators]
    return docs


def _others(row: dict[str, Any], lang: str, field: str = "title") -> str:
    return " | ".join(str(row.get(f"{field}_{o}") or "") for o in OTHER[lang])


def _series(d: SiteData, lang: str) -> list[Doc]:
    from sdgtrack.publish.site.pages import series_page

    titles = {i["indicator"]: title(i, lang) for i in rows_of(d.indicators)}
    docs = []
    for s in rows_of(d.series()):
        inds = [i for i in (s["indicators"] or "").split(", ") if i]
        docs.append(Doc("series", s["series_code"], str(s["description"] or s["series_code"]),
                        series_page(s["series_code"]),
                        body=" ".join(f"{i} {titles.get(i, '')}" for i in inds)))
    return docs


def _metadata(d: SiteData, lang: str) -> list[Doc]:
    """Each load's national metadata of an indicator, in the page's language where the
    repository has it (else as published), on the page of its global indicator."""
    from sdgtrack.publish.site.pages_meta import groups

    _ = gettext(lang)
    pages = set(d.indicators.indicator)
    docs = []
    for g in groups(d, lang):
        parent = ".".join(g["indicator"].split(".")[:3])
        docs.append(Doc("metadata", g["indicator"],
                        _("National metadata of indicator %(code)s, %(country)s",
                          code=g["indicator"], country=g["country_name"] or g["dataset"]),
                        f"indicator/{parent}" if parent in pages else "search",
                        body=" ".join(f["text"] for f in g["fields"]
                                      if not f["text"].startswith("[")),
                        anchor=g["anchor"]))
    return docs


def _groups(lang: str) -> list[Doc]:
    """The region, its subregions and the LDC/LLDC/SIDS groups with a page, by their UN and
    ESCAP names in every language (东南亚 is ESCAP's South-East Asia: its page comes before
    the M49 area of the same name)."""
    from sdgtrack.publish.site.pages_units import GROUP_PAGES

    docs = []
    for g in GROUP_PAGES:
        names = {o: framework.group_name(g, o) for o in ("en", "zh", "ru")}
        short = {o: re.sub(r"\s*\([^()]*\)$", "", n) for o, n in names.items()}
        docs.append(Doc("group", g, names[lang], f"group/{g}",
                        names=" | ".join([*(names[o] for o in OTHER[lang]),
                                          *(short[o] for o in ("en", "zh", "ru"))]),
                        keys=[g]))
    return docs


def _areas(d: SiteData, lang: str) -> list[Doc]:
    names = {code: framework.area_names(code) for code in ("en", "zh", "ru")}
    docs = []
    for a in rows_of(d.areas()):
        code = a["ref_area"]
        own = names[lang].get(code) or a["name"]
        other = " | ".join(filter(None, (names[o].get(code) for o in OTHER[lang])))
        keys = [code, code.zfill(3) if code.isdigit() else "", a.get("iso3") or "",
                framework.iso2_index().get(code, "")]
        docs.append(Doc("area", code, own, f"area/{code}", names=other,
                        keys=[k for k in keys if k]))
    return docs


def _record(r: Record, forum_title: str, lang: str) -> Doc:
    _ = gettext(lang)
    if r.kind == "roundtable":
        heading = _("Roundtable on goal %(goal)s (%(name)s), paragraph %(n)s",
                    goal=r.goals[0], name=_goal_short(r, lang), n=r.number)
        link, anchor = f"goal/{r.goals[0]}", f"forum-{r.forum}-{r.id}"
    else:
        labels = {"session": _("Session"), "vnr_panel": _("Voluntary National Reviews"),
                  "side_event": _("Side event")}
        heading = f"{labels[r.kind]}: {r.title(lang)}" if r.title(lang) else \
            f"{labels[r.kind]}, {_('paragraph %(n)s', n=r.number)}"
        link, anchor = f"forum/{r.forum}", f"forum-{r.forum}-{r.id}"
    goal_names = " ".join(_("Goal %(goal)s", goal=g) for g in r.goals)
    code = f"{r.forum} {r.date}" if r.kind == "side_event" else f"{r.forum} ¶{r.number}"
    return Doc("event" if r.kind == "side_event" else "record", code,
               f"{heading} — {forum_title}", link, body=r.text(lang) or r.title(lang),
               names=goal_names + " " + _goal_short(r, lang), anchor=anchor)


def _goal_short(r: Record, lang: str) -> str:
    goals = {g["goal"]: g for g in framework.table("goals").to_pylist()}
    return " ".join(title(goals[str(g)], lang, "short") for g in r.goals if str(g) in goals)
