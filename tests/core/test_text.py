"""Vietnamese collation and folding (parindex.text)."""

from __future__ import annotations

import random
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parindex.text import fold, matches, unaccent, vi_sort_key


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # letters of the alphabet: a < ă < â, d < đ, e < ê, o < ô < ơ, u < ư
        ("An", "Ăn"),
        ("Ăn", "Ân"),
        ("An", "Ân"),
        ("Dak Lak", "Đà Nẵng"),
        ("Dzu", "Đa"),
        ("Đà Nẵng", "E"),
        ("Đồng Tháp", "E"),
        ("E", "Ê"),
        ("Ê", "G"),
        ("O", "Ô"),
        ("Ô", "Ơ"),
        ("Ơ", "P"),
        ("U", "Ư"),
        ("Ư", "V"),
        # tones: ngang < huyền < hỏi < ngã < sắc < nặng, and only after the letters
        ("a", "à"),
        ("à", "ả"),
        ("ả", "ã"),
        ("ã", "á"),
        ("á", "ạ"),
        ("Hòa", "Hóa"),
        ("Thưa", "Thừa"),
        ("Bạ", "Bắc"),
        # words: a shorter word first, a space before any letter
        ("An", "An Giang"),
        ("Cà Mau", "Cao Bằng"),
        ("Cao Bằng", "Cần Thơ"),
        ("Hà Nam", "Hà Nội"),
        ("Bà Rịa - Vũng Tàu", "Bạc Liêu"),
        ("Lai Châu", "Lạng Sơn"),
        ("Lào Cai", "Lâm Đồng"),
        ("Thái Nguyên", "Thanh Hóa"),
        # case: lower before upper, after tones
        ("ba", "Ba"),
        ("Ba", "bà"),
        # separators < digits < letters < other letters
        ("-", "0"),
        ("1", "2"),
        ("9", "A"),
        ("z", "ß"),
    ],
)
def test_order(before: str, after: str) -> None:
    assert vi_sort_key(before) < vi_sort_key(after)
    assert sorted([after, before], key=vi_sort_key) == [before, after]


def test_sorts_a_list_like_a_dictionary() -> None:
    names = ["Đắk Lắk", "Bắc Ninh", "Ân Thi", "An Giang", "Cần Thơ", "Ăn", "Dak", "Cà Mau", "Eo"]
    assert sorted(names, key=vi_sort_key) == [
        "An Giang",
        "Ăn",
        "Ân Thi",
        "Bắc Ninh",
        "Cà Mau",
        "Cần Thơ",
        "Dak",
        "Đắk Lắk",
        "Eo",
    ]


def test_composed_and_decomposed_forms_differ_only_in_the_last_part() -> None:
    composed = "Đắk Lắk"
    decomposed = unicodedata.normalize("NFD", composed)
    assert vi_sort_key(composed)[:3] == vi_sort_key(decomposed)[:3]
    assert vi_sort_key(composed) != vi_sort_key(decomposed)


def test_eth_is_read_as_d_with_stroke() -> None:
    assert vi_sort_key("Ðà")[:3] == vi_sort_key("Đà")[:3]


@pytest.mark.parametrize("text", ["", "\u0301a", "İstanbul", "Façade", "日本", "ß", "\u00a0"])
def test_unusual_text_has_a_key(text: str) -> None:
    key = vi_sort_key(text)
    assert key[3] == text
    assert len(key[0]) == len(key[1]) == len(key[2])


def test_other_marks_come_after_tones() -> None:
    # ç = c + cedilla: same letter as c, different (secondary) mark
    assert vi_sort_key("ca")[0] == vi_sort_key("ça")[0]
    assert vi_sort_key("ca") < vi_sort_key("ça") < vi_sort_key("da")


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đắk Lắk", "dak lak"),
        ("Thành phố Hồ Chí Minh", "thanh pho ho chi minh"),
        ("Bà Rịa - Vũng Tàu", "ba ria - vung tau"),
        ("ĐỒNG THÁP", "dong thap"),
        ("Ðà Nẵng", "da nang"),
        (unicodedata.normalize("NFD", "Quảng Ngãi"), "quang ngai"),
        ("plain", "plain"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_unaccent_keeps_case() -> None:
    assert unaccent("Thừa Thiên Huế") == "Thua Thien Hue"
    assert unaccent("Đồng Nai") == "Dong Nai"


VIETNAMESE = st.text(
    alphabet=st.sampled_from(list("aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậ ĐÂƯ-0")),
    max_size=8,
)
ANY_TEXT = st.one_of(VIETNAMESE, st.text(max_size=8))


@given(st.lists(ANY_TEXT, max_size=12), st.randoms())
def test_sorting_is_total_and_independent_of_input_order(
    words: list[str], rnd: random.Random
) -> None:
    once = sorted(words, key=vi_sort_key)
    shuffled = list(words)
    rnd.shuffle(shuffled)
    assert sorted(shuffled, key=vi_sort_key) == once
    assert sorted(once, key=vi_sort_key) == once


@given(ANY_TEXT, ANY_TEXT)
def test_keys_are_equal_only_for_equal_strings(a: str, b: str) -> None:
    ka, kb = vi_sort_key(a), vi_sort_key(b)
    assert (ka == kb) == (a == b)
    assert sum([ka < kb, kb < ka, ka == kb]) == 1


@given(VIETNAMESE, VIETNAMESE)
def test_different_letters_decide_before_tones(a: str, b: str) -> None:
    # if the words differ once tones are removed, the order is that of the toneless words
    def toneless(text: str) -> str:
        tones = {"\u0300", "\u0309", "\u0303", "\u0301", "\u0323"}
        decomposed = unicodedata.normalize("NFD", text)
        return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))

    ta, tb = toneless(a), toneless(b)
    if ta.lower() != tb.lower():
        assert (vi_sort_key(a) < vi_sort_key(b)) == (vi_sort_key(ta) < vi_sort_key(tb))


@given(ANY_TEXT)
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("da nang", True),
        ("  DA   NẴNG ", True),
        ("p34-48", True),
        ("thanh pho", True),
        ("ha noi", False),
        ("", True),
        ("   ", True),
    ],
)
def test_a_query_matches_any_text_ignoring_marks_case_and_spaces(query: str, found: bool) -> None:
    assert matches(query, ["P34-48", "", "Thành phố Đà Nẵng"]) is found


def test_nothing_to_search_matches_only_a_blank_query() -> None:
    assert matches("", []) and not matches("a", [])
