import pytest

from parindex_web.accounts.models import Membership, Role
from parindex_web.audit.models import AuditRecord
from parindex_web.cycles import services
from parindex_web.cycles.models import Assignment, Phase
from parindex_web.cycles.services import CycleError

pytestmark = pytest.mark.django_db


@pytest.fixture
def second(django_user_model, body):
    user = django_user_model.objects.create_user("an", first_name="An", password="x")
    Membership.objects.create(user=user, role=Role.APPRAISER, body=body)
    return user


def test_it_shows_a_grid_of_units_and_appraisers(
    client, parse, cycle, secretariat, appraiser, second
):
    client.force_login(secretariat)
    page = parse(client.get(f"/cycles/{cycle.pk}/assignments").content)
    assert [th.text for th in page.find_all("th", scope="col")] == ["Đơn vị", "An", "Thamdinh"]
    assert [th.text for th in page.find_all("th", scope="row")] == [
        "Phường Đông Hà",
        "Xã Ái Quốc",
        "Xã Bình An",
    ]
    ticked = [
        i.attrs["value"] for i in page.find_all("input", name="pairs") if "checked" in i.attrs
    ]
    assert sorted(ticked) == sorted(f"{a.unit_id}:{appraiser.pk}" for a in cycle.assignments.all())


def test_it_adds_and_removes_assignments_with_audit(
    client, cycle, units, secretariat, appraiser, second
):
    client.force_login(secretariat)
    keep = f"{units[0].pk}:{appraiser.pk}"
    add = f"{units[1].pk}:{second.pk}"
    r = client.post(f"/cycles/{cycle.pk}/assignments", {"pairs": [keep, add]})
    assert r.status_code == 302 and r["Location"] == f"/cycles/{cycle.pk}/"
    pairs = {f"{a.unit_id}:{a.appraiser_id}" for a in Assignment.objects.filter(cycle=cycle)}
    assert pairs == {keep, add}
    assert AuditRecord.objects.filter(action="assignment.add").count() == 1
    removed = AuditRecord.objects.filter(action="assignment.remove")
    assert sorted(r.unit_code for r in removed) == ["x-a", "x-d"]
    assert {r.old_value for r in removed} == {"thamdinh"}


def test_it_rejects_a_user_who_is_not_an_appraiser_of_the_body(
    client, cycle, units, secretariat, officer
):
    client.force_login(secretariat)
    r = client.post(f"/cycles/{cycle.pk}/assignments", {"pairs": [f"{units[0].pk}:{officer.pk}"]})
    assert r.status_code == 200
    assert "lựa chọn hợp lệ" in r.content.decode()
    assert cycle.assignments.count() == 3


def test_it_refuses_changes_after_finalisation(client, cycle, run_to, secretariat):
    run_to(cycle, Phase.FINALISED)
    client.force_login(secretariat)
    r = client.post(f"/cycles/{cycle.pk}/assignments", {"pairs": []})
    assert r.status_code == 200
    assert cycle.assignments.count() == 3


def test_it_refuses_everyone_else(cycle, refused):
    refused(f"/cycles/{cycle.pk}/assignments")
    refused(f"/cycles/{cycle.pk}/assignments", "post", {"pairs": []})
    assert cycle.assignments.count() == 3


def test_it_shows_a_refusal_of_the_service_above_the_grid(
    client, parse, cycle, units, secretariat, appraiser, monkeypatch
):
    def refuse(user, refused_cycle, pairs):
        assert list(pairs) == [(units[0].pk, appraiser.pk)]
        raise CycleError("Phân công bị từ chối")

    monkeypatch.setattr(services, "set_assignments", refuse)
    client.force_login(secretariat)
    r = client.post(f"/cycles/{cycle.pk}/assignments", {"pairs": [f"{units[0].pk}:{appraiser.pk}"]})
    assert r.status_code == 200
    assert "Phân công bị từ chối" in parse(r.content).find("div", role="alert").text
    assert cycle.assignments.count() == 3
