import pytest

from parindex_web.accounts.models import Membership, Role
from parindex_web.audit.models import AuditRecord
from parindex_web.cycles import services
from parindex_web.cycles.models import Cycle
from parindex_web.cycles.services import CycleError
from parindex_web.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(body, units, methodology):
    return {
        "body": body.pk,
        "year": 2026,
        "name": "Chỉ số CCHC 2026",
        "methodology": methodology.pk,
        "units": [units[0].pk, units[1].pk],
        "self_assessment_due": "2026-03-31T17:00",
        "appraisal_due": "2026-05-31T17:00",
        "explanation_due": "2026-06-30T17:00",
    }


def errors(parse, response) -> str:
    assert response.status_code == 200
    return " ".join(e.text for e in parse(response.content).find_all("ul", class_="errorlist"))


def test_it_creates_the_cycle_with_an_assessment_per_unit(client, secretariat, data, units):
    client.force_login(secretariat)
    r = client.post("/cycles/new", data)
    cycle = Cycle.objects.get(name="Chỉ số CCHC 2026")
    assert r.status_code == 302
    assert r["Location"] == f"/cycles/{cycle.pk}/"
    assert cycle.phase == "draft"
    assert cycle.created_by == secretariat
    assert set(cycle.assessments.values_list("unit__code", flat=True)) == {"x-b", "x-a"}
    assert cycle.self_assessment_due.isoformat() == "2026-03-31T10:00:00+00:00"
    rec = AuditRecord.objects.get(action="cycle.create")
    assert rec.cycle_id == cycle.pk and rec.new_value == '["x-a", "x-b"]'


def test_it_offers_the_bodys_units_in_vietnamese_order(
    client, parse, secretariat, units, foreign_unit
):
    client.force_login(secretariat)
    page = parse(client.get("/cycles/new").content)
    labels = [
        e.text for e in page.find_all("label") if e.attrs.get("for", "").startswith("id_units_")
    ]
    assert labels == ["Phường Đông Hà", "Xã Ái Quốc", "Xã Bình An"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"appraisal_due": "2026-03-01T00:00"}, "appraisal_due", "Phải muộn hơn"),
        ({"explanation_due": "2026-05-31T17:00"}, "explanation_due", "Phải muộn hơn"),
        ({"year": 1999}, "year", "từ 2000"),
        ({"year": 3000}, "year", "từ 2000"),
        ({"units": []}, "units", "Chọn ít nhất một đơn vị"),
        ({"methodology": 999}, "methodology", "Hãy chọn một lựa chọn hợp lệ"),
        ({"name": ""}, "name", ""),
    ],
)
def test_it_rejects_bad_input(client, parse, secretariat, data, change, field, message):
    client.force_login(secretariat)
    r = client.post("/cycles/new", {**data, **change})
    assert message in errors(parse, r)
    assert parse(r.content).find("div", role="alert")
    assert not Cycle.objects.exists()


def test_it_rejects_units_of_another_body(client, parse, secretariat, data, foreign_unit):
    client.force_login(secretariat)
    r = client.post("/cycles/new", {**data, "units": [foreign_unit.pk]})
    assert "lựa chọn hợp lệ" in errors(parse, r)
    assert not Cycle.objects.exists()


def test_it_rejects_units_of_its_other_body(client, parse, secretariat, data, foreign_unit):
    """A member of two secretariats cannot mix one body's cycle with the other's units."""
    Membership.objects.create(user=secretariat, role=Role.SECRETARIAT, body=foreign_unit.body)
    client.force_login(secretariat)
    r = client.post("/cycles/new", {**data, "units": [*data["units"], foreign_unit.pk]})
    assert "không do Sở Nội vụ A đánh giá: Xã Ngoài" in errors(parse, r)
    assert not Cycle.objects.exists()


def test_it_rejects_a_duplicate_name(client, parse, secretariat, data):
    client.force_login(secretariat)
    client.post("/cycles/new", data)
    r = client.post("/cycles/new", data)
    assert "đã có kỳ đánh giá" in errors(parse, r)
    assert Cycle.objects.count() == 1


def test_it_refuses_another_bodys_secretariat_creating_for_this_body(client, parse, outsider, data):
    client.force_login(outsider)
    r = client.post("/cycles/new", data)
    assert "lựa chọn hợp lệ" in errors(parse, r)
    assert not Cycle.objects.exists()


def test_it_refuses_users_without_a_secretariat_role(client, appraiser, officer, data):
    for user in (appraiser, officer):
        client.force_login(user)
        assert client.get("/cycles/new").status_code == 403
        assert client.post("/cycles/new", data).status_code == 403
    assert not Cycle.objects.exists()


def test_it_sends_an_anonymous_visitor_to_the_login_page(client):
    r = client.get("/cycles/new")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


def test_units_of_no_body_are_not_offered(client, parse, secretariat, units):
    Unit.objects.create(code="z", name="Bộ Không", unit_type=Unit.Type.MINISTRY)
    client.force_login(secretariat)
    assert "Bộ Không" not in client.get("/cycles/new").content.decode()


def test_it_shows_a_refusal_of_the_service_above_the_form(
    client, parse, secretariat, data, monkeypatch
):
    def refuse(user, **values):
        assert user == secretariat and values["name"] == "Chỉ số CCHC 2026"
        raise CycleError("Kỳ đánh giá bị từ chối")

    monkeypatch.setattr(services, "create_cycle", refuse)
    client.force_login(secretariat)
    r = client.post("/cycles/new", data)
    assert r.status_code == 200
    assert "Kỳ đánh giá bị từ chối" in parse(r.content).find("div", role="alert").text
    assert not Cycle.objects.exists()
