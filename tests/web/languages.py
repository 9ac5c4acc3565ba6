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
from html.parser import HTMLParser
from pathlib import Path

import parindex_web

PACKAGE = Path(parindex_web.__file__).resolve().parent
VIETNAMESE_LETTERS = frozenset(
    "ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
)
WORD = re.compile(r"[^\W\d_]+")
SKIPPED = {"script", "style", "code", "template"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


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


class _Texts(HTMLParser):
    """Text nodes inside ``<main>`` with the language declared for each."""

    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str, bool]] = [("", language, False)]  # tag, lang, in main
        self.nodes: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        _, lang, in_main = self.stack[-1]
        own = dict(attrs).get("lang")
        skip = tag in SKIPPED or lang == "skip"
        self.stack.append((tag, "skip" if skip else (own or lang), in_main or tag == "main"))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data: str) -> None:
        _, lang, in_main = self.stack[-1]
        if in_main and lang != "skip" and data.strip():
            self.nodes.append((" ".join(data.split()), lang))


def foreign_text(html: str, language: str) -> list[str]:
    """The text nodes of the page's main content that read as another language than declared."""
    parser = _Texts(language)
    parser.feed(html)
    parser.close()
    return [
        f"{text!r} reads as {found}, declared {lang}"
        for text, lang in parser.nodes
        if (found := reads_as(text)) and found != lang
    ]
