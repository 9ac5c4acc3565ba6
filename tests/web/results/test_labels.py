"""One wording for sources and comparison bases, on pages, downloads and their twins."""

from __future__ import annotations

import pytest
from django.utils import translation

import parindex
from parindex_web.results import labels


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("appraisal", "Tự đánh giá và thẩm định"),
        ("survey", "Điều tra xã hội học"),
        ("sipas", "Khảo sát sự hài lòng (SIPAS)"),
        ("data", "Dữ liệu dịch vụ công"),
        ("other", "other"),
    ],
)
def test_each_source_has_one_vietnamese_label(source: str, words: str) -> None:
    with translation.override("vi"):
        assert labels.source_label(source) == words


def test_every_core_source_has_a_label_of_its_own() -> None:
    with translation.override("en"):
        words = {labels.source_label(s.value) for s in parindex.Source}
    assert len(words) == len(parindex.Source)
    assert not words & {s.value for s in parindex.Source}


@pytest.mark.parametrize(
    ("basis", "units", "words"),
    [
        ("same", [], "cùng đơn vị"),
        ("successor", ["Hà Tây"], "kế thừa Hà Tây"),
        ("merged", ["Đà Nẵng", "Quảng Nam"], "bình quân các đơn vị hợp nhất: Đà Nẵng, Quảng Nam"),
        ("none", [], "không có số liệu so sánh"),
    ],
)
def test_each_basis_reads_as_one_sentence(basis: str, units: list[str], words: str) -> None:
    with translation.override("vi"):
        assert labels.basis_label(basis, units) == words
