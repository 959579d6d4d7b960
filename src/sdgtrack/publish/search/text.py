"""Text to search terms, the same for what is indexed and what is asked.

- Codes (``1.1.1``, ``SI_POV_DAY1``, ``524``, ``NPL``) are one term each, matched exactly.
- Chinese: simplified/traditional normalisation (OpenCC ``t2s``), then jieba's search mode,
  which gives the words and the shorter words inside them (尼泊尔联邦民主共和国 -> 尼泊尔,
  联邦, 民主, 共和, 共和国).
- Russian: the Snowball stemmer (бедность, бедности -> бедност).
- English and other Latin script: lower case, a plural ``s`` dropped (``indicators`` ->
  ``indicator``); no stemmer, so the static site's script can do the same.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from functools import cache, lru_cache

#: A code: letters and digits joined by ``.`` or ``_`` (1.1.1, 13.2.2, SI_POV_DAY1), or a
#: run of digits (524), or an upper-case ISO code in the original text (NPL, KZ).
CODE = re.compile(r"[A-Za-z0-9]+(?:[._][A-Za-z0-9]+)+|\d+")
WORD = re.compile(r"[a-zà-ÿ]+|[а-яё]+|[\u3400-\u9fff\uf900-\ufaff]+")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
STOP = frozenset(
    "the of and in to for a an by all its on with or at as from be is are that this".split()
    + "и в во на по с со к для от из или а также их его ее".split()
    + list("的和在与及或了是等按其中对"))
_lock = threading.Lock()  # jieba's lazy initialisation is not thread-safe


@cache
def _t2s() -> object:
    import opencc

    return opencc.OpenCC("t2s")


@cache
def _stemmer() -> object:
    import snowballstemmer

    return snowballstemmer.stemmer("russian")


@cache
def _jieba() -> object:
    import jieba

    jieba.setLogLevel(logging.WARNING)  # it prints its dictionary's loading otherwise
    with _lock:
        jieba.initialize()
    return jieba


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    """A Russian word's stem (the Snowball stemmer is pure Python: a word is stemmed once)."""
    return str(_stemmer().stemWord(word))  # type: ignore[attr-defined]


def normalise(text: str) -> str:
    """NFKC (full-width letters and digits), lower case, traditional Chinese to simplified.

    >>> normalise("尼泊爾 ＮＰＬ Поверх")
    '尼泊尔 npl поверх'
    """
    text = unicodedata.normalize("NFKC", text).lower()
    if CJK.search(text):
        text = _t2s().convert(text)  # type: ignore[attr-defined]
    return text


def codes(text: str) -> list[str]:
    """The codes in ``text``, lower-cased.

    >>> codes("SH_DYN_MORT 3.2.1, 524 and NPL")
    ['sh_dyn_mort', '3.2.1', '524']
    """
    return [m.lower() for m in CODE.findall(text)]


def word_terms(text: str) -> list[str]:
    """The words of ``text`` as terms (``text`` normalised), stop words left out.

    >>> word_terms("проценты бедности населения")
    ['процент', 'бедност', 'населен']
    >>> word_terms("贫困线以下的人口")
    ['贫困', '贫困线', '以下', '人口']
    """
    out: list[str] = []
    for w in WORD.findall(CODE.sub(" ", text)):
        if CJK.match(w):
            out += [t for t in _jieba().cut_for_search(w)  # type: ignore[attr-defined]
                    if t.strip() and t not in STOP]
        elif w in STOP:
            continue
        elif "а" <= w[0] <= "я" or w[0] == "ё":
            out.append(_stem(w))
        else:
            out.append(w[:-1] if len(w) > 4 and w.endswith("s") and not w.endswith("ss")
                       else w)
    return out


def terms(text: str) -> list[str]:
    """Codes and word terms of raw ``text``."""
    return codes(text) + word_terms(normalise(text))


def fuzzy_keys(term: str) -> set[str]:
    """The term and every string one character shorter: two terms within one edit
    (substitution, insertion, deletion, swapped neighbours) share a key (SymSpell).

    >>> sorted(fuzzy_keys("abc"))
    ['ab', 'abc', 'ac', 'bc']
    """
    return {term} | {term[:k] + term[k + 1:] for k in range(len(term))}


def within_one_edit(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance at most 1 (``povrety`` and ``poverty``: one swap).

    >>> within_one_edit("povrety", "poverty"), within_one_edit("poverty", "property")
    (True, False)
    """
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [k for k in range(len(a)) if a[k] != b[k]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = sorted((a, b), key=len)
    return any(long_[:k] + long_[k + 1:] == short for k in range(len(long_)))
