"""Evidence at sign-off: the confirmation lists the criteria lacking the evidence their
methodology names; a leaf whose evidence the methodology makes mandatory and that claims points
stops the sign-off (in the service, whatever the entry point) until a document is attached or
it claims 0 points."""

from __future__ import annotations

import pytest
from django.utils import translation

from parindex_web.cycles import evidence_status, services
from parindex_web.cycles.models import Assessment

from .helpers import PDF, entry, fill_all, pdf, save

pytestmark = pytest.mark.django_db

MANDATORY = "1.1.1"  # "Kế hoạch CCHC năm": levels on_time 1, late 0.5, none 0
NAMED = ("1.1.1", "1.1.4", "1.4.1")  # the example methodology's leaves that name evidence


@pytest.fixture
def strict(w):
    """The world, its methodology making 1.1.1's evidence mandatory."""
    methodology = w.cycle.methodology
    named = 'evidence: "Kế hoạch CCHC năm (số, ngày ban hành)"'
    assert methodology.source_text.count(named) == 1
    methodology.source_text = methodology.source_text.replace(
        named, named + "\n            evidence_mandatory: true"
    )
    methodology.save()
    assert methodology.core().evidence_mandatory == (MANDATORY,)
    return w


def attach(w, code):
    services.add_evidence(
        w.officer,
        w.assessment,
        pdf(f"{code}.pdf", PDF + code.encode()),
        entry=entry(w.assessment, code),
    )


def fresh(w):
    return Assessment.objects.select_related("cycle", "unit").get(pk=w.assessment.pk)


def sign(w):
    with translation.override("en"):
        services.sign_off(w.leader, fresh(w))


def url(w):
    return f"/assessments/{w.assessment.pk}/sign-off"


@pytest.mark.parametrize(
    ("mandatory", "level", "attached", "lacking", "refused"),
    [
        pytest.param(False, "on_time", (), NAMED, (), id="nothing mandatory: warned only"),
        pytest.param(True, "on_time", (), NAMED, (MANDATORY,), id="mandatory, points, none"),
        pytest.param(True, "late", (), NAMED, (MANDATORY,), id="mandatory, some points, none"),
        pytest.param(True, "none", (), NAMED, (), id="mandatory, 0 points claimed"),
        pytest.param(True, "on_time", (MANDATORY,), NAMED[1:], (), id="mandatory, attached"),
        pytest.param(True, "on_time", NAMED, (), (), id="everything attached"),
    ],
)
def test_what_the_sign_off_finds(request, w, mandatory, level, attached, lacking, refused):
    if mandatory:
        request.getfixturevalue("strict")
    fill_all(w)
    save(w, MANDATORY, {"level": level})
    for code in attached:
        attach(w, code)
    found = evidence_status.at_sign_off(fresh(w))
    assert (found.lacking, found.refused) == (lacking, refused)
    if refused:
        with pytest.raises(services.CycleError) as exc:
            sign(w)
        assert str(exc.value).endswith(f"Missing for: {MANDATORY}")
        assert "mandatory" in str(exc.value)
        assert fresh(w).status == Assessment.Status.DRAFT
    else:
        sign(w)
        assert fresh(w).status == Assessment.Status.SUBMITTED


def test_the_missing_input_is_reported_before_the_missing_evidence(strict):
    save(strict, MANDATORY, {"level": "on_time"})
    with pytest.raises(services.CycleError, match="Fill in every criterion"):
        sign(strict)


def test_the_confirmation_lists_the_criteria_lacking_evidence_and_signs_off(client, parse, w):
    fill_all(w)
    client.force_login(w.leader)
    page = parse(client.get(url(w), HTTP_ACCEPT_LANGUAGE="en").content)
    box = page.find("div", id="evidence-lacking")
    assert "You can sign off" in box.text
    items = [
        li.attrs["id"]
        for li in page.find_all("li")
        if li.attrs.get("id", "").startswith("evidence-")
    ]
    assert items == [f"evidence-{c}" for c in NAMED]
    assert "Kế hoạch CCHC năm (số, ngày ban hành)" in page.find("li", id="evidence-1.1.1").text
    assert page.find_all("div", id="evidence-refused") == []
    assert page.find_all("input", name="confirm")
    r = client.post(url(w), {"confirm": "yes"})
    assert r.status_code == 302
    assert fresh(w).status == Assessment.Status.SUBMITTED


def test_the_confirmation_names_the_mandatory_criterion_and_offers_no_sign_off(
    client, parse, strict
):
    fill_all(strict)
    save(strict, MANDATORY, {"level": "on_time"})
    client.force_login(strict.leader)
    page = parse(client.get(url(strict), HTTP_ACCEPT_LANGUAGE="en").content)
    refused = page.find("div", id="evidence-refused")
    assert "mandatory" in refused.text and MANDATORY in refused.text
    lacking = page.find("div", id="evidence-lacking").text
    assert MANDATORY not in lacking and "1.1.4" in lacking
    assert page.find_all("input", name="confirm") == []


def test_a_posted_sign_off_is_refused_by_the_service_with_the_criteria_named(client, parse, strict):
    fill_all(strict)
    save(strict, MANDATORY, {"level": "on_time"})
    client.force_login(strict.leader)
    r = client.post(url(strict), {"confirm": "yes"}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 302
    page = parse(client.get(r["Location"], HTTP_ACCEPT_LANGUAGE="en").content)
    message = page.find("li", class_="message message--error").text
    assert "mandatory" in message and message.endswith(MANDATORY)
    assert fresh(strict).status == Assessment.Status.DRAFT


def test_attaching_the_document_lets_the_leader_sign_off(client, strict):
    fill_all(strict)
    save(strict, MANDATORY, {"level": "on_time"})
    attach(strict, MANDATORY)
    client.force_login(strict.leader)
    assert client.post(url(strict), {"confirm": "yes"}).status_code == 302
    assert fresh(strict).status == Assessment.Status.SUBMITTED


@pytest.mark.parametrize("who", ["officer", "secretariat", "appraiser"])
def test_only_the_leader_sees_the_confirmation(client, strict, who):
    fill_all(strict)
    client.force_login(getattr(strict, who))
    assert client.get(url(strict)).status_code == 403
    assert client.post(url(strict), {"confirm": "yes"}).status_code == 403
    assert fresh(strict).status == Assessment.Status.DRAFT


def test_another_units_leader_and_anonymous_users_are_kept_out(client, strict):
    client.force_login(strict.other_leader)
    assert client.get(url(strict)).status_code == 404
    client.logout()
    assert client.get(url(strict)).status_code == 302
