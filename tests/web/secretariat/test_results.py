import csv
import io

import pytest

import parindex
from parindex_web.cycles import services
from parindex_web.cycles.models import Phase

pytestmark = pytest.mark.django_db


@pytest.fixture
def appraised(cycle, run_to):
    return run_to(cycle, Phase.APPRAISAL)


def test_it_shows_the_results_the_engine_computes(client, parse, appraised, secretariat):
    expected = services.compute_results(appraised)
    client.force_login(secretariat)
    page = parse(client.get(f"/cycles/{appraised.pk}/results").content)
    heads = [th.text for th in page.find_all("th", scope="col")]
    assert heads[:5] == ["Xếp hạng", "Đơn vị", "Tổng điểm", "Chỉ số (%)", "Xếp loại"]
    assert heads[5:] == ["Lĩnh vực 1 (%)", "Lĩnh vực 2 (%)", "Lĩnh vực 3 (%)", "Lĩnh vực 4 (%)"]
    first = expected.units[0]
    row = page.find("th", scope="row")
    assert (
        row.text == {"x-a": "Xã Ái Quốc", "x-b": "Xã Bình An", "x-d": "Phường Đông Hà"}[first.unit]
    )
    cells = [td.text for td in page.find_all("td")][:5]
    assert cells[0] == str(first.rank)
    assert cells[1] == f"{first.total_points:.2f}".replace(".", ",")
    assert cells[2] == f"{first.index:.2f}".replace(".", ",")
    assert "xem trước" in page.find("p", class_="message message--warning").text.lower()


def test_it_says_when_there_are_no_results_yet(client, parse, cycle, secretariat):
    client.force_login(secretariat)
    page = parse(client.get(f"/cycles/{cycle.pk}/results").content)
    assert not page.find_all("table")


def test_the_csv_twin_is_the_engines_csv_with_unit_names(client, appraised, secretariat):
    client.force_login(secretariat)
    r = client.get(f"/cycles/{appraised.pk}/results.csv")
    assert r["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    core_rows = list(
        csv.reader(io.StringIO(parindex.results_to_csv(services.compute_results(appraised))))
    )
    assert [row[:-1] for row in rows] == core_rows
    assert rows[0][-1] == "unit_name"
    names = {row[0]: row[-1] for row in rows[1:]}
    assert names == {"x-a": "Xã Ái Quốc", "x-b": "Xã Bình An", "x-d": "Phường Đông Hà"}


def test_the_json_twin_is_the_engines_dict_with_unit_names(client, appraised, secretariat):
    client.force_login(secretariat)
    data = client.get(f"/cycles/{appraised.pk}/results.json").json()
    expected = parindex.results_to_dict(services.compute_results(appraised))
    assert [{k: v for k, v in u.items() if k != "unit_name"} for u in data["units"]] == expected[
        "units"
    ]
    assert {u["unit"]: u["unit_name"] for u in data["units"]}["x-b"] == "Xã Bình An"
    assert data["preview"] is True
    assert data["cycle"] == {
        "id": appraised.pk,
        "year": 2025,
        "name": "Chỉ số CCHC 2025",
        "phase": "appraisal",
    }


def test_it_refuses_everyone_else(cycle, refused):
    for suffix in ("results", "results.csv", "results.json"):
        refused(f"/cycles/{cycle.pk}/{suffix}")
