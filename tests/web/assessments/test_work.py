"""The "my work" page: one queue per role the user holds, each item an action with its link and
the deadline of the cycle's current phase; what needs nothing from the user is apart ("done")."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from parindex_web.accounts.models import Membership, Role
from parindex_web.cycles import services
from parindex_web.cycles.models import (
    Assessment,
    Assignment,
    Cycle,
    Entry,
    Explanation,
    Phase,
)
from parindex_web.units.models import Unit

from .helpers import fill_all, past_deadline, save

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


class Work:
    """The page, parsed, and its raw HTML (to read one queue's items in order)."""

    def __init__(self, parse, content):
        self.html = content.decode()
        self.page = parse(content)
        self.parse = parse

    def __getattr__(self, name):
        return getattr(self.page, name)

    def items(self, marker, end):
        """(title, action, deadline words, links) of each item between ``marker`` and ``end``."""
        if marker not in self.html:
            return []
        chunk = self.html.split(marker, 1)[1].split(end, 1)[0]
        result = []
        for part in chunk.split('<li class="work-item')[1:]:
            item = self.parse("<li " + part.split("</li>", 1)[0])
            texts = {e.attrs.get("class", ""): e.text for e in item.elements}
            result.append(
                (
                    texts.get("work-item__title"),
                    texts.get("work-item__action"),
                    texts.get("deadline__words"),
                    [a.attrs["href"] for a in item.find_all("a")],
                )
            )
        return result


def work(client, parse, user, **headers):
    client.force_login(user)
    r = client.get("/work/", **(headers or EN))
    assert r.status_code == 200
    return Work(parse, r.content)


def todo(page, role):
    """The items the role has to do, in order."""
    return page.items(f'<ul class="work-items" id="todo-{role}"', "</ul>")


def done(page, role):
    """The items that ask nothing of the role now."""
    return page.items(f'<details class="work-done" id="done-{role}"', "</details>")


def set_phase(w, phase, **due):
    Cycle.objects.filter(pk=w.cycle.pk).update(phase=phase, **due)


# --- officer --------------------------------------------------------------------------------


def test_the_officer_is_asked_to_fill_in_the_criteria_left_by_the_deadline(client, parse, w):
    save(w, "1.1.1", {"level": "late"})
    page = work(client, parse, w.officer)
    assert todo(page, "officer") == [
        (
            "Xã Một · Chỉ số CCHC 2026 (thử)",
            "15 criteria left to fill in",
            "30 days left",
            [f"/assessments/{w.assessment.pk}/"],
        )
    ]
    assert page.find_all("section", id="queue-leader") == []
    assert page.find_all("section", id="queue-appraiser") == []
    assert f"/assessments/{w.other.pk}/" not in page.find("main").text


def test_a_fully_filled_draft_is_done_for_the_officer_and_waits_for_the_leader(client, parse, w):
    fill_all(w)
    page = work(client, parse, w.officer)
    assert todo(page, "officer") == []
    assert page.find("p", id="todo-officer").text == "Nothing waits for you here now."
    [(_title, action, words, links)] = done(page, "officer")
    assert action == "Every criterion is filled in: the leader signs off."
    assert words is None  # no deadline on what asks nothing
    assert links == [f"/assessments/{w.assessment.pk}/"]


def test_an_overdue_item_says_so_in_words_and_is_marked(client, parse, w):
    past_deadline(w)
    page = work(client, parse, w.officer)
    [(_title, _action, words, _links)] = todo(page, "officer")
    assert words == "1 day overdue"
    item = page.find("li", class_="work-item work-item--overdue")
    assert "1 day overdue" in item.text


def test_a_deadline_within_three_days_is_marked_soon(client, parse, w):
    Cycle.objects.filter(pk=w.cycle.pk).update(
        self_assessment_due=timezone.now() + timedelta(days=2)
    )
    page = work(client, parse, w.officer)
    assert page.find("li", class_="work-item work-item--soon")
    assert todo(page, "officer")[0][2] == "2 days left"


def test_a_sent_back_draft_is_work_with_the_leaders_comment(client, parse, w):
    fill_all(w)
    services.send_back(w.leader, w.assessment, "Bổ sung tài liệu cho 1.1.1")
    page = work(client, parse, w.officer)
    [(_t, action, _w, _l)] = todo(page, "officer")
    assert action.startswith("Sent back by the leader")
    assert "Bổ sung tài liệu" in page.find("div", id=f"sent-back-{w.assessment.pk}").text


def _appraised_lower(w, codes=("1.1.1", "1.1.2")):
    """Unit x01 appraised, these leaves below the self-assessed points; explanations open."""
    fill_all(w)
    Entry.objects.filter(assessment=w.assessment).update(appraised_points=0)
    Entry.objects.filter(assessment=w.assessment).exclude(code__in=codes).update(
        appraised_points=None
    )
    for entry in Entry.objects.filter(assessment=w.assessment).exclude(code__in=codes):
        Entry.objects.filter(pk=entry.pk).update(appraised_points=entry.self_points)
    Entry.objects.filter(assessment=w.assessment, code__in=codes, self_points=0).update(
        self_points=1
    )
    Assessment.objects.filter(pk=w.assessment.pk).update(status=Assessment.Status.APPRAISED)
    set_phase(w, Phase.EXPLANATION, explanation_due=timezone.now() + timedelta(days=10))


def test_in_the_explanations_the_officer_is_sent_to_explain_lowered_scores(client, parse, w):
    _appraised_lower(w)
    page = work(client, parse, w.officer)
    assert todo(page, "officer") == [
        (
            "Xã Một · Chỉ số CCHC 2026 (thử)",
            "2 appraised scores differ from the self-assessment and are not explained",
            "10 days left",
            [f"/appraisal/{w.assessment.pk}/explanations/"],
        )
    ]
    entry = Entry.objects.get(assessment=w.assessment, code="1.1.1")
    Explanation.objects.create(entry=entry, text="Đã có", submitted_by=w.officer)
    page = work(client, parse, w.officer)
    assert todo(page, "officer")[0][1].startswith("1 appraised score differs")


def test_the_explanation_link_answers_the_officer(client, parse, w):
    _appraised_lower(w)
    page = work(client, parse, w.officer)
    [(_t, _a, _w, [link])] = todo(page, "officer")
    assert client.get(link).status_code == 200


@pytest.mark.parametrize(
    ("phase", "words"),
    [
        (Phase.DRAFT, "The self-assessment has not opened yet."),
        (Phase.APPRAISAL, "Being appraised: nothing to do until the explanations open."),
        (Phase.FINALISED, "The scores are final."),
        (Phase.PUBLISHED, "The scores are final."),
    ],
)
def test_phases_that_ask_nothing_of_the_unit_are_done(client, parse, w, phase, words):
    set_phase(w, phase)
    for user, role in ((w.officer, "officer"), (w.leader, "leader")):
        page = work(client, parse, user)
        assert todo(page, role) == []
        assert [item[1] for item in done(page, role)] == [words]


# --- leader ---------------------------------------------------------------------------------


def test_the_leader_waits_for_the_officers_until_every_criterion_is_filled(client, parse, w):
    save(w, "1.1.1", {"level": "late"})
    page = work(client, parse, w.leader)
    assert todo(page, "leader") == []
    [(_t, action, _w, links)] = done(page, "leader")
    assert action == "Waiting for the officers: 15 criteria left to fill in."
    assert links == [f"/assessments/{w.assessment.pk}/review/"]


def test_a_complete_draft_waits_for_the_leaders_sign_off_on_the_review_page(client, parse, w):
    fill_all(w)
    page = work(client, parse, w.leader)
    assert todo(page, "leader") == [
        (
            "Xã Một · Chỉ số CCHC 2026 (thử)",
            "Every criterion is filled in: waiting for your sign-off.",
            "30 days left",
            [f"/assessments/{w.assessment.pk}/review/"],
        )
    ]
    services.sign_off(w.leader, w.assessment)
    page = work(client, parse, w.leader)
    assert todo(page, "leader") == []
    assert done(page, "leader")[0][1] == "Signed off and submitted"


# --- appraiser ------------------------------------------------------------------------------


def test_the_appraiser_has_nothing_before_the_appraisal_opens(client, parse, w):
    page = work(client, parse, w.appraiser)
    assert todo(page, "appraiser") == []
    assert [i[1] for i in done(page, "appraiser")] == ["The appraisal has not opened yet."]


def test_the_appraiser_is_sent_to_appraise_submitted_units_with_leaves_left(client, parse, w):
    fill_all(w)
    services.sign_off(w.leader, w.assessment)
    set_phase(w, Phase.APPRAISAL, appraisal_due=timezone.now() + timedelta(days=5))
    Entry.objects.filter(assessment=w.assessment, code="1.1.1").update(appraised_points=1)
    page = work(client, parse, w.appraiser)
    assert todo(page, "appraiser") == [
        (
            "Xã Một · Chỉ số CCHC 2026 (thử)",
            "15 criteria left to appraise",
            "5 days left",
            [f"/appraisal/{w.assessment.pk}/"],
        )
    ]
    # The other unit, not signed off, is the other appraiser's and cannot be appraised anyway.
    page = work(client, parse, w.appraiser2)
    assert todo(page, "appraiser") == []
    assert done(page, "appraiser")[0][1] == "Not signed off: it cannot be appraised."


def test_pending_explanations_are_the_appraisers_to_decide(client, parse, w):
    _appraised_lower(w)
    for code in ("1.1.1", "1.1.2"):
        entry = Entry.objects.get(assessment=w.assessment, code=code)
        Explanation.objects.create(entry=entry, text="Đã có", submitted_by=w.officer)
    page = work(client, parse, w.appraiser)
    assert todo(page, "appraiser") == [
        (
            "Xã Một · Chỉ số CCHC 2026 (thử)",
            "2 explanations await your decision",
            "10 days left",
            [f"/appraisal/{w.assessment.pk}/explanations/"],
        )
    ]
    Explanation.objects.update(status=Explanation.Status.REJECTED)
    page = work(client, parse, w.appraiser)
    assert todo(page, "appraiser") == []
    assert done(page, "appraiser")[0][1] == "No explanation awaits a decision."


# --- secretariat ----------------------------------------------------------------------------


def test_the_secretariat_sees_the_units_late_and_the_next_step(client, parse, w):
    page = work(client, parse, w.secretariat)
    dashboard, phase = f"/cycles/{w.cycle.pk}/", f"/cycles/{w.cycle.pk}/phase"
    assert todo(page, "secretariat") == [
        (
            "Chỉ số CCHC 2026 (thử) · Sở Nội vụ (thử)",
            "2 units have not signed off",
            "30 days left",
            [dashboard, phase],
        )
    ]
    fill_all(w)
    services.sign_off(w.leader, w.assessment)
    assert todo(work(client, parse, w.secretariat), "secretariat")[0][1] == (
        "1 unit has not signed off"
    )
    fill_all(w, w.other)
    services.sign_off(w.other_leader, w.other)
    assert todo(work(client, parse, w.secretariat), "secretariat")[0][1] == (
        "Every unit has finished this phase: open the next one."
    )


@pytest.mark.parametrize(
    ("phase", "action", "first_link", "is_done"),
    [
        (
            Phase.DRAFT,
            "In preparation: set the deadlines and assign appraisers, then open it.",
            "phase",
            False,
        ),
        (Phase.FINALISED, "Finalised: next, publish the results.", "publish", False),
        (Phase.PUBLISHED, "Published.", "", True),
    ],
)
def test_the_secretariats_step_in_other_phases(
    client, parse, w, phase, action, first_link, is_done
):
    set_phase(w, phase)
    page = work(client, parse, w.secretariat)
    items = done(page, "secretariat") if is_done else todo(page, "secretariat")
    [(_t, shown, words, links)] = items
    assert shown == action and words is None
    assert links[0] == f"/cycles/{w.cycle.pk}/{first_link}"
    for link in links:
        assert client.get(link).status_code == 200, link


def test_every_link_of_every_role_answers_it(client, parse, w):
    fill_all(w)
    for user, role in [
        (w.officer, "officer"),
        (w.leader, "leader"),
        (w.appraiser, "appraiser"),
        (w.secretariat, "secretariat"),
    ]:
        page = work(client, parse, user)
        for _t, _a, _w, links in todo(page, role) + done(page, role):
            for link in links:
                assert client.get(link).status_code == 200, (role, link)


# --- the page -------------------------------------------------------------------------------


def test_a_user_with_several_roles_gets_one_queue_per_role(client, parse, w):
    Membership.objects.create(user=w.secretariat, role=Role.APPRAISER, body=w.body)
    Membership.objects.create(user=w.secretariat, role=Role.LEADER, unit=w.other_unit)
    w.cycle.assignments.create(appraiser=w.secretariat, unit=w.other_unit)
    page = work(client, parse, w.secretariat)
    headings = [s.attrs["id"] for s in page.find_all("section", class_="work-queue")]
    assert headings == ["queue-leader", "queue-appraiser", "queue-secretariat"]
    assert done(page, "appraiser")[0][0].startswith("Xã Hai")


def test_it_is_in_vietnamese_with_dates_as_dd_mm_yyyy(client, parse, w):
    page = work(client, parse, w.officer, HTTP_ACCEPT_LANGUAGE="vi")
    assert page.find("h2", id="queue-officer-heading").text == "Với vai trò cán bộ đầu mối"
    [(_t, action, words, _l)] = todo(page, "officer")
    assert action == "Còn 16 tiêu chí phải nhập"
    assert words == "còn 30 ngày"
    due = timezone.localtime(w.cycle.self_assessment_due)
    assert due.strftime("%d/%m/%Y %H:%M") in page.find("p", class_="deadline deadline--open").text


def test_it_tells_an_outsider_they_have_no_role(client, parse, w):
    page = work(client, parse, w.outsider)
    assert page.find("p", class_="notice").text
    assert page.find_all("section") == []


def test_it_sends_anonymous_visitors_to_log_in(client, w):
    r = client.get("/work/")
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")


def test_it_answers_only_get_and_head(client, w):
    client.force_login(w.officer)
    assert client.post("/work/").status_code == 405


def test_logging_in_leads_here(client, w):
    w.officer.set_password("correct horse")
    w.officer.save()
    r = client.post("/accounts/login/", {"username": "canbo", "password": "correct horse"})
    assert r["Location"] == "/work/"


def _more_units(w, n):
    """``n`` more communes in the cycle, each with its entries, appraised by ``w.appraiser``
    and led by ``w.leader``."""
    for i in range(n):
        unit = Unit.objects.create(
            code=f"y{i:02}", name=f"Xã Thêm {i}", unit_type=Unit.Type.COMMUNE, body=w.body
        )
        a = Assessment.objects.create(cycle=w.cycle, unit=unit)
        services.ensure_entries(a)
        Assignment.objects.create(cycle=w.cycle, appraiser=w.appraiser, unit=unit)
        Membership.objects.create(user=w.leader, role=Role.LEADER, unit=unit)


@pytest.mark.parametrize("role", ["leader", "appraiser", "secretariat"])
def test_the_number_of_queries_does_not_grow_with_units_or_leaves(client, w, role):
    user = getattr(w, role)
    client.force_login(user)
    client.get("/work/")  # warm: sessions, methodology cache

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/work/").status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    _more_units(w, 6)
    assert queries() == few
