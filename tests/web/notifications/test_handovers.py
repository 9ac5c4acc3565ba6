"""Every hand-over of a cycle's work tells the next people, with the link to their page."""

from __future__ import annotations

import pytest
from api.conftest import YES_NO_LEAF
from world import entry_of

from parindex_web.cycles import services
from parindex_web.cycles.models import Phase
from parindex_web.notifications.models import Event, Notice

from .conftest import recipients

pytestmark = pytest.mark.django_db

EVERYONE = {"secretariat", "appraiser", "appraiser2", "officer", "leader", "officer2", "leader2"}


def fresh(assessment):
    """The assessment as stored now, with its cycle in the phase it has reached."""
    return type(assessment).objects.select_related("cycle", "unit").get(pk=assessment.pk)


def lowered(people, assessment):
    """Unit A's officer explains the yes/no leaf (its appraiser gave it 0)."""
    entry = entry_of(assessment, YES_NO_LEAF)
    return services.explain(people.officer, entry, text="Đã ban hành kế hoạch số 12/KH")


def sign_off_all(people, cycle, assessment, run_to):
    run_to(cycle, Phase.APPRAISAL)


def send_back(people, cycle, assessment, run_to):
    run_to(cycle, Phase.SELF_ASSESSMENT)
    services.send_back(people.leader, fresh(assessment), "Bổ sung tài liệu cho tiêu chí 1.1")


def reopen(people, cycle, assessment, run_to):
    run_to(cycle, Phase.APPRAISAL)
    services.reopen(people.secretariat, fresh(assessment), "Số liệu chưa đúng")


def appraise_all(people, cycle, assessment, run_to):
    run_to(cycle, Phase.EXPLANATION)


def explain(people, cycle, assessment, run_to):
    run_to(cycle, Phase.EXPLANATION)
    Notice.objects.all().delete()
    return lowered(people, assessment)


def decide(people, cycle, assessment, run_to):
    run_to(cycle, Phase.EXPLANATION)
    x = lowered(people, assessment)
    Notice.objects.all().delete()
    services.decide(people.appraiser, x, accept=True, points=None, reason="Tài liệu hợp lệ")
    return x


def publish(people, cycle, assessment, run_to):
    run_to(cycle, Phase.PUBLISHED)


# (what happens, the event, who is told about unit A, the page each is sent to)
HANDOVERS = [
    (
        sign_off_all,
        Event.SIGNED_OFF,
        {"secretariat": "/cycles/{c}/", "appraiser": "/appraisal/{a}/"},
    ),
    (send_back, Event.SENT_BACK, {"officer": "/assessments/{a}/"}),
    (reopen, Event.REOPENED, {"officer": "/assessments/{a}/", "leader": "/assessments/{a}/"}),
    (
        appraise_all,
        Event.APPRAISED,
        {"officer": "/appraisal/{a}/explanations/", "leader": "/appraisal/{a}/explanations/"},
    ),
    (explain, Event.EXPLANATION_FILED, {"appraiser": "/appraisal/explanations/{x}/decide"}),
    (decide, Event.EXPLANATION_DECIDED, {"officer": "/appraisal/{a}/explanations/"}),
]


@pytest.mark.parametrize(("action", "event", "told"), HANDOVERS, ids=lambda v: str(v)[:30])
def test_each_handover_tells_the_next_people_with_their_page(
    people, cycle, assessment, run_to, action, event, told
):
    x = action(people, cycle, assessment, run_to)
    notices = Notice.objects.filter(event=event, assessment=assessment)
    ids = {"c": cycle.pk, "a": assessment.pk, "x": getattr(x, "pk", None)}
    assert {n.recipient.username: n.link for n in notices} == {
        name: page.format(**ids) for name, page in told.items()
    }


def test_publishing_tells_everyone_in_the_cycles_body_and_units(people, cycle, assessment, run_to):
    publish(people, cycle, assessment, run_to)
    assert recipients(event=Event.PUBLISHED, cycle=cycle) == EVERYONE  # not another body's
    links = set(Notice.objects.filter(event=Event.PUBLISHED).values_list("link", flat=True))
    assert links == {f"/results/{cycle.pk}/"}


def test_the_sign_off_emails_reach_the_secretariat_and_the_appraiser(
    people, cycle, assessment, run_to, sent
):
    other = cycle.assessments.exclude(pk=assessment.pk).get()
    outbox = sent(run_to, cycle, Phase.APPRAISAL)
    to_a = [m for m in outbox if "Xã Đông Hòa" in m.subject]
    assert sorted(m.to[0] for m in to_a) == ["appraiser@example.org", "secretariat@example.org"]
    assert f"https://chiso.example.vn/appraisal/{assessment.pk}/" in next(
        m.body for m in to_a if m.to == ["appraiser@example.org"]
    )
    assert other.unit.name not in " ".join(m.subject for m in to_a)


def test_the_explanation_email_reaches_the_appraiser_with_the_decision_page(
    people, cycle, assessment, run_to, sent
):
    run_to(cycle, Phase.EXPLANATION)
    outbox = sent(lowered, people, assessment)
    assert [m.to for m in outbox] == [["appraiser@example.org"]]
    x = assessment.entries.get(code=YES_NO_LEAF).explanations.get()
    assert f"https://chiso.example.vn/appraisal/explanations/{x.pk}/decide" in outbox[0].body
    assert YES_NO_LEAF in outbox[0].subject
