"""A language check for rendered pages: every text node in the page's language, or marked.

A word is Vietnamese when it has a Vietnamese letter (ă, đ, ơ, tone marks…) or is a word of
the Vietnamese catalogues' translations and of no English source string; a word is English when
it is a word of the English source strings (msgids) and of no translation. A text node reads as
the language with more of its words; ties and nodes without such words (figures, codes, "SIPAS",
"JSON") read as either. A node is *foreign* when it reads as a language other than the one
declared for it: the nearest ``lang`` attribute, else the page's.
"""

from __future__ import annotations

import gettext
import re
from functools import cache
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString

import parindex_web

PACKAGE = Path(parindex_web.__file__).resolve().parent
VIETNAMESE_LETTERS = frozenset(
    "ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
)
WORD = re.compile(r"[^\W\d_]+")
SKIPPED = {"script", "style", "code", "template"}


def words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


@cache
def vocabularies() -> tuple[frozenset[str], frozenset[str]]:
    """(English-only words, Vietnamese-only words) of the compiled catalogues."""
    english: set[str] = set()
    vietnamese: set[str] = set()
    for mo in PACKAGE.glob("**/locale/vi/LC_MESSAGES/django.mo"):
        with mo.open("rb") as f:
            catalog = gettext.GNUTranslations(f)._catalog  # type: ignore[attr-defined]
        for msgid, msgstr in catalog.items():
            key = msgid[0] if isinstance(msgid, tuple) else msgid
            if key:
                english |= words(key.rpartition("\x04")[2])
                vietnamese |= words(msgstr)
    return frozenset(english - vietnamese), frozenset(vietnamese - english)


def reads_as(text: str) -> str:
    """ "vi", "en", or "" (either) for one text node."""
    english_words, vietnamese_words = vocabularies()
    vi = en = 0
    for word in words(text):
        if VIETNAMESE_LETTERS & set(word) or word in vietnamese_words:
            vi += 1
        elif word.isascii() and word in english_words:
            en += 1
    return "vi" if vi > en else "en" if en > vi else ""


def _texts(html: str, language: str) -> list[tuple[str, str]]:
    """Text nodes inside ``<main>`` with the language declared for each."""
    nodes = []
    for string in BeautifulSoup(html, "html.parser").find_all(string=True):
        if type(string) is not NavigableString or not string.strip():  # comments, scripts…
            continue
        around = list(string.parents)  # the nearest first
        names = {tag.name for tag in around}
        if "main" in names and not names & SKIPPED:
            lang = next((tag["lang"] for tag in around if tag.get("lang")), language)
            nodes.append((" ".join(string.split()), str(lang)))
    return nodes


def foreign_text(html: str, language: str) -> list[str]:
    """The text nodes of the page's main content that read as another language than declared."""
    return [
        f"{text!r} reads as {found}, declared {lang}"
        for text, lang in _texts(html, language)
        if (found := reads_as(text)) and found != lang
    ]
