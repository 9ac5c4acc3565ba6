"""CSV files the secretariat opens in a spreadsheet: a formula-like field is neutralised."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from parindex_web.cycles.models import Entry, Phase

pytestmark = pytest.mark.django_db

HOSTILE = {
    "x-a": '=HYPERLINK("http://x","y")',
    "x-b": "=cmd|' /C calc'!A0",
    "x-d": "@SUM(A1)",
}


@pytest.fixture
def hostile_names(units):
    for unit in units:
        unit.name = HOSTILE[unit.code]
        unit.save(update_fields=["name"])
    return units


def rows(response) -> list[list[str]]:
    assert response.content.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_results_download_quotes_a_unit_name_a_spreadsheet_would_run(
    client, cycle, run_to, hostile_names, secretariat
):
    appraised = run_to(cycle, Phase.APPRAISAL)
    client.force_login(secretariat)

    got = rows(client.get(f"/cycles/{appraised.pk}/results.csv"))

    assert got[0][-1] == "unit_name"
    names = {row[0]: row[-1] for row in got[1:]}
    assert names == {code: "'" + name for code, name in HOSTILE.items()}
    for row in got[1:]:  # points and indices stay numbers
        assert all(field.replace(".", "").lstrip("-").isdigit() for field in row[1:4])


def test_the_points_template_quotes_a_unit_code_starting_with_a_minus(
    client, cycle, run_to, units, secretariat
):
    open_cycle = run_to(cycle, Phase.SELF_ASSESSMENT)
    unit = next(u for u in units if u.code == "x-a")
    unit.code = "-x"
    unit.save(update_fields=["code"])
    client.force_login(secretariat)

    got = rows(client.get(f"/cycles/{open_cycle.pk}/external/template.csv"))

    assert got[0] == ["unit", "unit_name", "code", "criterion", "max_points", "points"]
    assert {row[0] for row in got[1:]} == {"'-x", "x-b", "x-d"}
    assert all(row[5] == "" or not row[5].startswith("'") for row in got[1:])


@pytest.mark.parametrize("path", ["results.csv", "external/template.csv"])
def test_every_people_download_starts_with_a_bom(client, cycle, run_to, secretariat, path):
    appraised = run_to(cycle, Phase.APPRAISAL)
    client.force_login(secretariat)

    body = client.get(f"/cycles/{appraised.pk}/{path}").content

    assert body.startswith(b"\xef\xbb\xbfunit,")
    assert body.count(b"\xef\xbb\xbf") == 1
    assert "Xã".encode() in body  # the rest is UTF-8


def test_the_template_names_each_unit_and_criterion_with_its_maximum(
    client, cycle, run_to, secretariat
):
    open_cycle = run_to(cycle, Phase.SELF_ASSESSMENT)
    core = open_cycle.core()
    client.force_login(secretariat)

    got = rows(client.get(f"/cycles/{open_cycle.pk}/external/template.csv"))

    by_key = {(row[0], row[2]): row for row in got[1:]}
    row = by_key[("x-a", "4.1.1")]
    leaf = core.by_code["4.1.1"]
    assert row[1] == "Xã Ái Quốc"
    assert row[3] == leaf.name
    assert row[4] == f"{leaf.max_points.normalize():f}"
    assert all(
        row[4] == f"{core.by_code[row[2]].max_points.normalize():f}" and row[3] for row in got[1:]
    )


def test_a_downloaded_template_filled_in_and_uploaded_back_is_imported(
    client, cycle, run_to, units, secretariat
):
    open_cycle = run_to(cycle, Phase.SELF_ASSESSMENT)
    unit = next(u for u in units if u.code == "x-a")
    unit.code = "-x"
    unit.name = "=Xã Ái Quốc"
    unit.save(update_fields=["code", "name"])
    client.force_login(secretariat)
    body = client.get(f"/cycles/{open_cycle.pk}/external/template.csv").content
    text = body.decode("utf-8")  # the BOM stays, as Excel would keep it
    lines = text.splitlines(keepends=True)
    filled = [lines[0]]
    for line in lines[1:]:
        row = next(csv.reader([line]))
        row[5] = "1"
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerow(row)
        filled.append(out.getvalue())
    upload = SimpleUploadedFile("diem.csv", "".join(filled).encode("utf-8"), "text/csv")

    r = client.post(f"/cycles/{open_cycle.pk}/external", {"file": upload})

    assert r.status_code == 302, r.content.decode()
    entries = Entry.objects.filter(
        assessment__cycle=open_cycle, assessment__unit__code="-x", external_points__isnull=False
    )
    quoted = [line for line in lines[1:] if line.startswith("'-x,'=Xã Ái Quốc,")]
    assert quoted  # written neutralised, read back as the unit's code
    assert entries.count() == len(quoted)
    assert all(e.external_points == Decimal(1) for e in entries)
