"""The workbook's level column shows each level as the methodology names it ("Ban hành không
kịp thời"), not its key ("late"), and reads back the label (any case, spaces or Unicode form),
the key, and the column under its former header "Mức (mã)"."""

from __future__ import annotations

import io
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from parindex_web.assessments import workbook

from .helpers import save
from .test_workbook_upload import COLUMN, filled

pytestmark = pytest.mark.django_db


def level_cell(w, code="1.1.1"):
    sheet = load_workbook(io.BytesIO(workbook.build(w.assessment)))["Tự đánh giá"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == code)
    return row[COLUMN["level"]].value


def read_level(w, upload):
    changes, errors = workbook.read(w.assessment, upload)
    assert errors == []
    return {c.entry.code: (c.inputs or {}).get("level") for c in changes}


def test_a_saved_level_shows_as_its_label(w):
    save(w, "1.1.1", {"level": "late"})
    assert level_cell(w) == "Ban hành không kịp thời"


def test_a_downloaded_workbook_sent_back_unchanged_changes_nothing(w):
    save(w, "1.1.1", {"level": "late"})
    assert read_level(w, filled(w, {})) == {}


@pytest.mark.parametrize(
    "typed",
    [
        "Ban hành kịp thời",
        "  ban hành   KỊP THỜI ",
        unicodedata.normalize("NFD", "Ban hành kịp thời"),  # as some keyboards write it
        "on_time",  # the key, as workbooks downloaded before wrote it
    ],
)
def test_a_typed_label_or_key_is_saved_as_the_key(w, typed):
    assert read_level(w, filled(w, {"1.1.1": {"level": typed}})) == {"1.1.1": "on_time"}


def test_a_level_the_rule_does_not_list_is_refused_with_its_row(w):
    _changes, errors = workbook.read(w.assessment, filled(w, {"1.1.1": {"level": "Đúng hạn"}}))
    assert len(errors) == 1 and "dòng 2" in errors[0], errors


def test_the_former_level_header_is_still_read(w):
    upload = filled(w, {"1.1.1": {"level": "Không ban hành"}})
    book = load_workbook(io.BytesIO(upload.read()))
    book["Tự đánh giá"].cell(row=1, column=COLUMN["level"] + 1).value = "Mức (mã)"
    out = io.BytesIO()
    book.save(out)
    again = SimpleUploadedFile("x.xlsx", out.getvalue(), content_type=workbook.XLSX)
    assert read_level(w, again) == {"1.1.1": "none"}
