"""Words of the documents: the site's message catalogs first (``publish/site/locales``), then
the strings only documents use, translated here. English is the text itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sdgtrack.publish.site.i18n import LANGUAGES, gettext

#: Strings the site catalogs do not have. Kept here so documents do not depend on the site's
#: wording; a string missing here and in the catalogs prints in English.
OWN: dict[str, dict[str, str]] = {"zh": {
    "SDG progress profile": "可持续发展目标进展概况",
    "Statistical annex to the Voluntary National Review": "自愿国别审查统计附件",
    "Regional SDG progress report": "区域可持续发展目标进展报告",
    "Page %(page)s of %(pages)s": "第 %(page)s 页，共 %(pages)s 页",
    "Sources": "来源",
    "Method": "方法",
    "parameters": "参数",
    "Sources and method": "来源与方法",
    "Key facts": "要点",
    "targets": "个具体目标",
    "Goal snapshot compared with %(sub)s and %(region)s": "目标概况：与%(sub)s和%(region)s比较",
    "Target dashboard compared with the subregion and the region":
        "具体目标仪表板：与次区域和区域比较",
    "Key indicators by goal": "各目标的关键指标",
    "Series assessed for %(area)s with the longest records, up to %(n)s per goal.":
        "为%(area)s评估的数据序列中记录最长者，每个目标最多 %(n)s 个。",
    "Trend": "趋势",
    "2030 target": "2030年目标值",
    "No series of this goal has data for %(area)s.": "%(area)s没有该目标的数据序列。",
    "Not assessed": "未评估",
    "Data availability and gaps": "数据可得性与缺口",
    "Indicators with data": "有数据的指标",
    "Series with data": "有数据的序列",
    "Data points": "数据点",
    "Latest year of data": "最新数据年份",
    "Targets assessed": "已评估的具体目标",
    "%(n)s of the %(total)s global indicators have data for %(area)s, from %(series)s series.":
        "全球指标框架的 %(total)s 个指标中，%(area)s有 %(n)s 个指标有数据，"
        "来自 %(series)s 个序列。",
    "Goals with data for fewer than a third of their indicators: %(goals)s.":
        "指标数据不足三分之一的目标：%(goals)s。",
    "Every goal has data for at least a third of its indicators.":
        "每个目标都有至少三分之一指标的数据。",
    "Targets with most progress": "进展最大的具体目标",
    "Targets regressing": "正在倒退的具体目标",
    "No target of this goal is regressing.": "该目标没有正在倒退的具体目标。",
    "No target of this goal has enough data.": "该目标没有数据充足的具体目标。",
    "Highlights by goal": "各目标要点",
    "Members with data": "有数据的成员",
    "Members": "成员",
    "Indicators": "指标",
    "Series and indicators with data, and the latest year of data, for each member.":
        "各成员有数据的序列和指标，以及最新数据年份。",
    "Member": "成员",
    "Review year": "审查年份",
    "Value at review": "审查年份数值",
    "Change": "变化",
    "Progress class": "进展类别",
    "Breakdown": "分类",
    "Indicator title": "指标名称",
    "Series code": "序列代码",
    "no data": "无数据",
    "Summary": "摘要",
    "About": "说明",
    "Rows with data": "有数据的行",
    "Value at the review year %(since)s or the closest earlier year.":
        "%(since)s年或之前最近年份的数值。",
    "Generated from": "数据来源",
    "A source in brackets is a dataset listed under Sources and method.":
        "方括号中的来源指“来源与方法”中列出的数据集。",
    "Parameters digest": "参数摘要",
    "Framework version": "框架版本",
    "Specification version": "规格版本",
    "Data as of %(date)s": "数据截至 %(date)s",
    "Not assessed: no series has enough data.": "未评估：没有序列有足够数据。",
    "Goals on schedule": "进度正常的目标",
    "Goals behind schedule": "进度落后的目标",
    "Goals regressed": "倒退的目标",
    "%(area)s is not assessed: it has too little data for the method.":
        "%(area)s未予评估：数据不足以应用该方法。",
    "The region": "区域",
    "Series used (%(n)s)": "所用序列（%(n)s 个）",
    "subregion": "次区域",
    # interlinkages (report/links.py)
    "Goals with the highest share of synergies with the other goals: %(s)s. With the highest "
    "share of trade-offs: %(t)s.":
        "与其他目标协同比例最高的目标：%(s)s。权衡比例最高的目标：%(t)s。",
    "Across the members, of %(n)s pairs of series with at least %(y)s years in common, %(s)s "
    "are synergies (%(sp)s) and %(o)s trade-offs (%(op)s); %(i)s more pairs have too few years "
    "in common.": "在各成员国至少有 %(y)s 个共同年份的 %(n)s 对序列中，%(s)s 对为协同（%(sp)s），"
                  "%(o)s 对为权衡（%(op)s）；另有 %(i)s 对共同年份过少。",
    "Every pair of series behind these counts, with its years and rho, is listed by sdgtrack "
    "links --format json and in the JSON twin of the country's web page.":
        "这些计数背后的每一对序列（含年份和 rho）由 sdgtrack links --format json 列出，"
        "也在该国网页的 JSON 版本中。",
    "Across the countries, year by year": "跨国逐年比较",
    "Spearman's rho between two goals' Current Status Index across the members, each year "
    "from %(first)s to %(last)s (the assessment run with the data up to that year; Kroll, "
    "Warchold and Pradhan 2019). In %(last)s, of the goal pairs, %(s)s are synergies and "
    "%(t)s trade-offs (|rho| above %(r)s, significant, at least %(m)s countries; %(n)s "
    "countries at most).":
        "%(first)s 年至 %(last)s 年，每年计算两个目标的现状指数在各成员国之间的斯皮尔曼 rho"
        "（每年的评估只用截至该年的数据；Kroll、Warchold 和 Pradhan 2019）。%(last)s 年，"
        "目标对中有 %(s)s 对为协同，%(t)s 对为权衡（|rho| 大于 %(r)s 且显著，至少 %(m)s 个国家；"
        "最多 %(n)s 个国家）。",
    "Rose most": "上升最多",
    "Fell most": "下降最多",
}}


def translator(lang: str) -> Callable[..., str]:
    """``_(text, **values)`` for ``lang``: the site catalog, then ``OWN``, then English."""
    if lang not in LANGUAGES:
        from sdgtrack.errors import UsageError

        raise UsageError(f"No language {lang!r}; documents are written in "
                         f"{', '.join(LANGUAGES)}.")
    site = gettext(lang)
    own = OWN.get(lang, {})

    def _(text: str, **values: Any) -> str:
        out = str(site(text))
        if out == text:
            out = own.get(text, text)
        return out % values if values else out

    return _


def messages_used() -> set[str]:
    """Every literal string the documents translate (for the completeness test)."""
    import re
    from pathlib import Path

    here = Path(__file__).parent
    found: set[str] = set()
    for path in [*here.glob("templates/*.html"), *here.glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r'_\(\s*"((?:[^"\\]|\\.)+)"', text))
        found |= set(re.findall(r"_\(\s*'((?:[^'\\]|\\.)+)'", text))
    return found
