"""CSV files the secretariat opens in a spreadsheet: a formula-like field is neutralised."""

import csv
import io

import pytest

from parindex_web.cycles.models import Phase

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
    return list(csv.reader(io.StringIO(response.content.decode())))


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

    assert got[0] == ["unit", "code", "points"]
    assert {row[0] for row in got[1:]} == {"'-x", "x-b", "x-d"}
    assert all(row[2] == "" or not row[2].startswith("'") for row in got[1:])
