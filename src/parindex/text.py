"""Vietnamese text helpers: dictionary order and diacritic folding.

Only the standard library (:mod:`unicodedata`) is used.

* :func:`vi_sort_key` orders strings the way a Vietnamese dictionary does: letters first, in the
  Vietnamese alphabet (``a ă â b c d đ e ê … o ô ơ … u ư …``); then tones, in the order
  *ngang, huyền, hỏi, ngã, sắc, nặng* (``a à ả ã á ạ``); then case (lower before upper); finally
  the string itself, so that the order is total and distinct strings never tie.
* :func:`unaccent` removes tones and letter marks (``Đắk Lắk`` → ``Dak Lak``);
  :func:`fold` also case-folds it, for search (``Đắk Lắk`` → ``dak lak``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

__all__ = ["SortKey", "fold", "unaccent", "vi_sort_key"]

# The Vietnamese alphabet, with the Latin letters it lacks (f, j, w, z) at their Latin places.
_ALPHABET = unicodedata.normalize("NFC", "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz")
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET)}

# Combining marks that make a separate letter of the alphabet: (base, mark) -> letter.
_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
_MODIFIED = {
    ("a", _BREVE): "ă",
    ("a", _CIRCUMFLEX): "â",
    ("e", _CIRCUMFLEX): "ê",
    ("o", _CIRCUMFLEX): "ô",
    ("o", _HORN): "ơ",
    ("u", _HORN): "ư",
}

# Tone marks, in dictionary order (no mark = 0): huyền, hỏi, ngã, sắc, nặng.
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

# Characters written for "Đ" that do not decompose: the Icelandic eth is often typed for it.
_D_LIKE = str.maketrans({"Ð": "Đ"})

# Character classes of the primary key: separators, digits, letters of the alphabet, other letters.
_SEPARATOR, _DIGIT, _LETTER, _OTHER = 0, 1, 2, 3

SortKey = tuple[tuple[tuple[int, int], ...], tuple[tuple[int, ...], ...], tuple[int, ...], str]
"""The type of :func:`vi_sort_key`'s result: (letters, tones and marks, case, the string)."""


def _clusters(text: str) -> list[tuple[str, list[str]]]:
    """Split the canonical decomposition of ``text`` into (base character, combining marks)."""
    clusters: list[tuple[str, list[str]]] = []
    for char in unicodedata.normalize("NFD", text.translate(_D_LIKE)):
        if unicodedata.combining(char) and clusters:
            clusters[-1][1].append(char)
        else:
            clusters.append((char, []))
    return clusters


def vi_sort_key(text: str) -> SortKey:
    """A key that sorts Vietnamese strings in dictionary order (see the module docstring).

    >>> sorted(["Ân", "Ăn", "An", "Đà Nẵng", "Dak", "E"], key=vi_sort_key)
    ['An', 'Ăn', 'Ân', 'Dak', 'Đà Nẵng', 'E']
    """
    primary: list[tuple[int, int]] = []
    secondary: list[tuple[int, ...]] = []
    tertiary: list[int] = []
    for base, marks in _clusters(text):
        # After NFD every character lower-cases to one (U+0130 İ, the only exception, decomposes).
        lower = base.lower()
        other_marks: list[int] = []
        tone = 0
        for mark in marks:
            if (lower, mark) in _MODIFIED:
                lower = _MODIFIED[(lower, mark)]
            elif mark in _TONE_RANK:
                tone = _TONE_RANK[mark]
            else:
                other_marks.append(ord(mark))
        if lower in _LETTER_RANK:
            primary.append((_LETTER, _LETTER_RANK[lower]))
        elif lower.isdigit():
            primary.append((_DIGIT, ord(lower)))
        elif lower.isalpha():
            primary.append((_OTHER, ord(lower)))
        else:
            primary.append((_SEPARATOR, ord(lower)))
        secondary.append((tone, *other_marks))
        tertiary.append(1 if base.isupper() else 0)
    return tuple(primary), tuple(secondary), tuple(tertiary), text


def unaccent(text: str) -> str:
    """Remove tones and letter marks, mapping ``đ``/``Đ`` to ``d``/``D``; keep case.

    >>> unaccent("Thành phố Hồ Chí Minh")
    'Thanh pho Ho Chi Minh'
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_D_LIKE))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", stripped.replace("đ", "d").replace("Đ", "D"))


def fold(text: str) -> str:
    """Fold ``text`` for search: no tones or marks, ``đ`` → ``d``, case-folded.

    >>> fold("Đắk Lắk")
    'dak lak'
    """
    return unaccent(text).casefold()


def matches(query: str, texts: Iterable[str]) -> bool:
    """Whether any of ``texts`` holds ``query``, ignoring tones, marks, case and repeated spaces;
    a blank query matches everything.

    >>> matches("da  nang", ["P34-48", "Thành phố Đà Nẵng"])
    True
    """
    needle = fold(" ".join(query.split()))
    return not needle or any(needle in fold(text) for text in texts if text)
