"""A whole cycle, from creation to publication, through the secretariat's pages.

The units' and appraisers' steps use the services (their pages belong to other apps); every
secretariat step goes through its view. The published results must be exactly what the core
computes from the published scores, and the audit trail must verify.
"""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

import parindex
from parindex_web.accounts.models import Membership, Role
from parindex_web.audit.models import AuditRecord, verify
from parindex_web.cycles import services
from parindex_web.cycles.management.commands.load_demo import demo_inputs
from parindex_web.cycles.models import Assessment, Cycle, Explanation, Phase, Publication

pytestmark = pytest.mark.django_db


def people(django_user_model, units):
    """An officer and a leader for every unit."""
    staff = {}
    for i, unit in enumerate(units):
        officer = django_user_model.objects.create_user(f"officer{i}", password="x")
        leader = django_user_model.objects.create_user(f"leader{i}", password="x")
        Membership.objects.create(user=officer, role=Role.OFFICER, unit=unit)
        Membership.objects.create(user=leader, role=Role.LEADER, unit=unit)
        staff[unit.code] = (officer, leader)
    return staff


def advance(client, cycle: Cycle, expected: str) -> None:
    """Open the next phase as a secretary does: ticking the pre-flight's box if the page has it."""
    page = client.get(f"/cycles/{cycle.pk}/phase").content.decode()
    data = {"phase": cycle.phase}
    if 'name="confirm"' in page:
        data["confirm"] = page.split('name="confirm" value="')[1].split('"')[0]
    r = client.post(f"/cycles/{cycle.pk}/phase", data)
    assert r.status_code == 302
    cycle.refresh_from_db()
    assert cycle.phase == expected


def test_a_whole_cycle_from_creation_to_publication(
    client, tmp_path, django_user_model, body, units, methodology, secretariat, appraiser
):
    staff = people(django_user_model, units)
    second = django_user_model.objects.create_user("thamdinh2", password="x")
    Membership.objects.create(user=second, role=Role.APPRAISER, body=body)
    client.force_login(secretariat)

    # 1. The secretariat creates the cycle.
    r = client.post(
        "/cycles/new",
        {
            "body": body.pk,
            "year": 2025,
            "name": "Chỉ số CCHC cấp xã 2025",
            "methodology": methodology.pk,
            "units": [u.pk for u in units],
            "self_assessment_due": "2099-03-31T17:00",
            "appraisal_due": "2099-05-31T17:00",
            "explanation_due": "2099-06-30T17:00",
        },
    )
    cycle = Cycle.objects.get(name="Chỉ số CCHC cấp xã 2025")
    assert r.status_code == 302 and r["Location"] == f"/cycles/{cycle.pk}/"
    assert cycle.assessments.count() == 3

    # 2. It assigns the appraisers: x-a and x-b to the first, x-d to the second.
    by_code = {u.code: u for u in units}
    pairs = [
        f"{by_code['x-a'].pk}:{appraiser.pk}",
        f"{by_code['x-b'].pk}:{appraiser.pk}",
        f"{by_code['x-d'].pk}:{second.pk}",
    ]
    assert client.post(f"/cycles/{cycle.pk}/assignments", {"pairs": pairs}).status_code == 302
    assert cycle.assignments.count() == 3
    appraiser_of = {"x-a": appraiser, "x-b": appraiser, "x-d": second}

    # 3. It opens the self-assessment; the officers fill in and the leaders sign off.
    advance(client, cycle, Phase.SELF_ASSESSMENT)
    core = cycle.core()
    rnd = random.Random(7)
    for assessment in cycle.assessments.select_related("unit"):
        officer, leader = staff[assessment.unit.code]
        for entry in assessment.entries.order_by("pk"):
            if core.source_of(entry.code) is parindex.Source.APPRAISAL:
                node = core.by_code[entry.code]
                inputs = demo_inputs(node.rule, node.max_points, rnd)
                services.save_self_assessment(
                    officer, entry, inputs=inputs, note="", version=entry.version
                )
        services.sign_off(leader, assessment)
    assert set(cycle.assessments.values_list("status", flat=True)) == {"submitted"}

    # 4. The secretariat imports the survey and service-data points.
    survey = [
        leaf for leaf in core.leaves if core.source_of(leaf.code) is not parindex.Source.APPRAISAL
    ]
    lines = ["unit,code,points"]
    for i, unit in enumerate(units):
        for leaf in survey:
            points = (leaf.max_points * Decimal(70 + 10 * i) / 100).quantize(Decimal("0.01"))
            lines.append(f"{unit.code},{leaf.code},{points}")
    upload = SimpleUploadedFile("diem.csv", "\n".join(lines).encode(), "text/csv")
    r = client.post(f"/cycles/{cycle.pk}/external", {"file": upload})
    assert r.status_code == 302, r.content.decode()

    # 5. Appraisal: everything accepted, except one leaf of x-b lowered to 0.
    advance(client, cycle, Phase.APPRAISAL)
    for assessment in cycle.assessments.select_related("unit"):
        user = appraiser_of[assessment.unit.code]
        for entry in assessment.entries.order_by("pk"):
            if core.source_of(entry.code) is not parindex.Source.APPRAISAL:
                continue
            lowered = assessment.unit.code == "x-b" and entry.code == "3.1.1"
            services.appraise(
                user,
                entry,
                points=Decimal(0) if lowered else entry.self_points,
                reason="Chưa có chứng nhận ISO" if lowered else "",
                version=entry.version,
            )
        services.complete_appraisal(user, assessment)

    # 6. Explanations: x-b explains, the appraiser accepts 2.5 points.
    advance(client, cycle, Phase.EXPLANATION)
    entry = Assessment.objects.get(cycle=cycle, unit__code="x-b").entries.get(code="3.1.1")
    explanation = services.explain(staff["x-b"][0], entry, text="Đang áp dụng ISO một phần")
    services.decide(
        appraiser, explanation, accept=True, points=Decimal("2.5"), reason="Áp dụng một phần"
    )
    assert Explanation.objects.get().status == Explanation.Status.ACCEPTED

    # 7. The secretariat finalises and publishes.
    advance(client, cycle, Phase.FINALISED)
    r = client.post(f"/cycles/{cycle.pk}/publish", {})
    assert r.status_code == 302 and r["Location"] == f"/cycles/{cycle.pk}/publications/1/"
    cycle.refresh_from_db()
    assert cycle.phase == Phase.PUBLISHED
    publication = Publication.objects.get(cycle=cycle)

    # The published results are exactly what the core computes from the published scores.
    scores_file = tmp_path / "scores.csv"
    scores_file.write_text(publication.scores_csv, encoding="utf-8")
    scores = parindex.read_scores(scores_file, methodology.core())
    assert scores["x-b"]["3.1.1"] == Decimal("2.5")
    recomputed = parindex.compute(methodology.core(), scores)
    assert parindex.results_to_csv(recomputed) == publication.results_csv
    assert publication.results_csv.splitlines()[0].startswith("unit,total_points,index,rank")
    assert len(publication.results_csv.splitlines()) == 4

    # The publication page shows them; the trail is intact and records the steps.
    page = client.get(f"/cycles/{cycle.pk}/publications/1/")
    assert page.status_code == 200
    assert publication.content_hash in page.content.decode()
    assert verify() == []
    actions = set(AuditRecord.objects.filter(cycle_id=cycle.pk).values_list("action", flat=True))
    assert {"cycle.create", "assignment.add", "cycle.phase", "cycle.publish"} <= actions
    assert AuditRecord.objects.filter(action="entry.external_points").count() == 3 * len(survey)
