"""The records schema (``SCHEMA.md``): one forum, and its records as flat rows, so YAML and
CSV carry the same fields."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

KINDS = ("session", "roundtable", "vnr_panel", "side_event")
LANGS = ("zh", "en", "ru")
#: Every field a record may have, in the order of a CSV's columns.
RECORD_FIELDS = ("id", "kind", "part", "paragraph", "item", "agenda_item", "date", "goals",
                 "indicators", *(f"title_{lang}" for lang in LANGS),
                 *(f"text_{lang}" for lang in LANGS))
#: The forum's own fields; in a CSV each is a column prefixed ``forum_`` (``forum_id`` ...).
FORUM_FIELDS = ("id", "title_zh", "title_en", "title_ru", "held", "published_language",
                "translations", "source", "licence")


@dataclass(frozen=True)
class Forum:
    id: str
    title_en: str
    published_language: str
    source: str
    title_zh: str = ""
    title_ru: str = ""
    held: str = ""
    licence: str = ""
    #: language -> who translated it ("translation by sdgtrack"); the published language
    #: is not in it.
    translations: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def title(self, lang: str) -> str:
        return str(getattr(self, f"title_{lang}", "") or self.title_en)


@dataclass(frozen=True)
class Record:
    forum: str
    id: str
    kind: str
    part: str = ""
    paragraph: int | None = None
    item: str = ""
    agenda_item: str = ""
    date: str = ""
    goals: tuple[int, ...] = ()
    indicators: tuple[str, ...] = ()
    title_zh: str = ""
    title_en: str = ""
    title_ru: str = ""
    text_zh: str = ""
    text_en: str = ""
    text_ru: str = ""

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["goals"], d["indicators"] = list(self.goals), list(self.indicators)
        return d

    @property
    def number(self) -> str:
        """The paragraph as the report numbers it: ``52``, ``50(a)``, or empty."""
        if self.paragraph is None:
            return ""
        return f"{self.paragraph}({self.item})" if self.item else str(self.paragraph)

    def text(self, lang: str) -> str:
        """The text in ``lang``, else in English, else as published (any language)."""
        return str(getattr(self, f"text_{lang}", "") or self.text_en or self.text_zh
                   or self.text_ru)

    def title(self, lang: str) -> str:
        return str(getattr(self, f"title_{lang}", "") or self.title_en or self.title_zh
                   or self.title_ru)
