"""The self-assessment workbook: an officer's text is a string cell, never a formula."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from parindex_web.assessments import workbook
from parindex_web.audit.models import AuditRecord
from parindex_web.cycles import services
from parindex_web.cycles.models import Entry

from .helpers import entry, pdf, save

pytestmark = pytest.mark.django_db

NOTE = '=HYPERLINK("http://x","y")'
DOC_NUMBER = "=cmd|' /C calc'!A0"
NOTES = {"1.1.2": NOTE, "1.4.1": "+1+1", "1.1.4": "-2+3", "1.5.2": "@SUM(A1)"}
INPUTS = {
    "1.1.2": {"value": "yes"},
    "1.4.1": {"achieved": 9, "planned": 10},
    "1.1.4": {"percent": 95},
    "1.5.2": {"count": 2},
}
COLUMN = {key: i for i, (key, _label) in enumerate(workbook.COLUMNS)}


@pytest.fixture
def hostile(w):
    """Notes and a document number that a spreadsheet would run as formulas."""
    e = entry(w.assessment, "1.1.2")
    services.add_evidence(w.officer, w.assessment, pdf(), doc_number=DOC_NUMBER, entry=e)
    for code, note in NOTES.items():
        save(w, code, INPUTS[code], note=note)
    return w


def download(client, w) -> bytes:
    client.force_login(w.officer)
    response = client.get(f"/assessments/{w.assessment.pk}/workbook.xlsx")
    assert response.status_code == 200
    return response.content


def test_notes_and_document_numbers_are_string_cells_not_formulas(client, hostile):
    data = download(client, hostile)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert not re.search(rb"<f[ >]", archive.read(name)), name
    sheet = load_workbook(io.BytesIO(data))["Tự đánh giá"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    for code, note in NOTES.items():
        cell = rows[code][COLUMN["note"]]
        assert (cell.value, cell.data_type) == (note, "s")
    evidence = rows["1.1.2"][COLUMN["evidence"]]
    assert (evidence.value, evidence.data_type) == (DOC_NUMBER, "s")


def test_a_downloaded_workbook_uploaded_back_keeps_every_note_as_it_was(client, hostile):
    data = download(client, hostile)
    before = sorted(Entry.objects.values_list("code", "version", "note"))
    audit = AuditRecord.objects.count()
    upload = SimpleUploadedFile("tu-danh-gia.xlsx", data, content_type=workbook.XLSX)

    response = client.post(f"/assessments/{hostile.assessment.pk}/workbook", {"workbook": upload})

    assert response.status_code == 302
    assert sorted(Entry.objects.values_list("code", "version", "note")) == before
    assert AuditRecord.objects.count() == audit
    assert entry(hostile.assessment, "1.1.2").note == NOTE
    assert [d.doc_number for d in entry(hostile.assessment, "1.1.2").evidence.all()] == [DOC_NUMBER]


def test_a_new_note_starting_with_an_equals_sign_is_stored_without_a_quote(client, hostile):
    book = load_workbook(io.BytesIO(download(client, hostile)))
    sheet = book["Tự đánh giá"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "1.4.1":
            row[COLUMN["note"]].value = "=1+1 is two"
            row[COLUMN["note"]].data_type = "s"  # text, as a spreadsheet stores a typed '=…
    out = io.BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("tu-danh-gia.xlsx", out.getvalue(), content_type=workbook.XLSX)

    client.post(f"/assessments/{hostile.assessment.pk}/workbook", {"workbook": upload})

    assert entry(hostile.assessment, "1.4.1").note == "=1+1 is two"


def test_a_unit_name_with_a_character_xml_cannot_hold_still_gives_a_workbook(client, w):
    w.unit.name = "Xã\ufffe Một"
    w.unit.save(update_fields=["name"])
    book = load_workbook(io.BytesIO(download(client, w)))
    assert book.properties.title.startswith("Xã\ufffd Một")
