import pytest

from parindex_web.audit.models import AuditRecord
from parindex_web.cycles.models import Entry, Phase, Publication

pytestmark = pytest.mark.django_db


def test_it_shows_the_confirmation(client, parse, cycle, run_to, secretariat):
    run_to(cycle, Phase.FINALISED)
    client.force_login(secretariat)
    page = parse(client.get(f"/cycles/{cycle.pk}/publish").content)
    assert page.find("h1").text == "Công bố kết quả"
    assert not page.find_all("textarea")


def test_it_publishes_a_finalised_cycle(client, cycle, run_to, secretariat):
    run_to(cycle, Phase.FINALISED)
    client.force_login(secretariat)
    r = client.post(f"/cycles/{cycle.pk}/publish", {})
    assert r.status_code == 302 and r["Location"] == f"/cycles/{cycle.pk}/publications/1/"
    publication = Publication.objects.get(cycle=cycle)
    assert publication.version == 1 and publication.published_by == secretariat
    cycle.refresh_from_db()
    assert cycle.phase == Phase.PUBLISHED
    assert AuditRecord.objects.filter(action="cycle.publish").count() == 1


def test_it_refuses_to_publish_before_finalising(client, parse, cycle, run_to, secretariat):
    run_to(cycle, Phase.EXPLANATION)
    client.force_login(secretariat)
    r = client.post(f"/cycles/{cycle.pk}/publish", {}, follow=True)
    assert "Hãy chốt kết quả" in parse(r.content).find("ul", class_="messages").text
    assert not Publication.objects.exists()
    cycle.refresh_from_db()
    assert cycle.phase == Phase.EXPLANATION


def test_a_correction_needs_a_reason(client, parse, cycle, run_to, secretariat):
    run_to(cycle, Phase.PUBLISHED)
    client.force_login(secretariat)
    r = client.post(f"/cycles/{cycle.pk}/publish", {"reason": " "})
    assert r.status_code == 200
    assert "cần nêu lý do" in parse(r.content).find("ul", class_="errorlist").text
    assert Publication.objects.count() == 1


def test_a_correction_is_version_2_and_version_1_stays(client, parse, cycle, run_to, secretariat):
    run_to(cycle, Phase.PUBLISHED)
    first = Publication.objects.get()
    frozen = {
        f: getattr(first, f) for f in ("scores_csv", "results_csv", "content_hash", "published_at")
    }
    # A correction of a final score (made by an administrator, outside these pages).
    entry = Entry.objects.get(assessment__cycle=cycle, assessment__unit__code="x-a", code="4.1.1")
    entry.final_points = 15
    entry.save()
    client.force_login(secretariat)
    r = client.post(f"/cycles/{cycle.pk}/publish", {"reason": "Sửa điểm SIPAS của Xã Ái Quốc"})
    assert r.status_code == 302 and r["Location"] == f"/cycles/{cycle.pk}/publications/2/"
    second = Publication.objects.get(version=2)
    assert second.reason == "Sửa điểm SIPAS của Xã Ái Quốc"
    assert second.content_hash != first.content_hash
    first.refresh_from_db()
    assert {f: getattr(first, f) for f in frozen} == frozen
    page = parse(client.get(f"/cycles/{cycle.pk}/publications/2/").content)
    versions = [th.text for th in page.find_all("th", scope="row")][-2:]
    assert versions == ["2", "1"]
    assert "Sửa điểm SIPAS của Xã Ái Quốc" in page.find("dl", class_="facts").text


def test_it_refuses_everyone_else(cycle, run_to, refused):
    run_to(cycle, Phase.FINALISED)
    refused(f"/cycles/{cycle.pk}/publish")
    refused(f"/cycles/{cycle.pk}/publish", "post", {})
    assert not Publication.objects.exists()
