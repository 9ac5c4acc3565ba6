"""One world for the permission matrix, built once per module and rolled back at its end.

The body "snv-a" runs one cycle in each phase (preparation … published) over two of its three
communes: unit A ("xa-1", the unit every path points at) and unit B ("xa-2"). Each cycle has,
for unit A, a document, and from the explanation phase on an explanation awaiting a decision.
Another body ("snv-b") has its own secretariat. The roles are the people of
:class:`tests.web.world.People` (plus a site administrator and the anonymous visitor),
each with one logged-in web client and one API token.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from api.conftest import LEVEL_LEAF, YES_NO_LEAF, advance_to
from axes.models import AccessAttempt
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone
from world import (
    BODY,
    OTHER_BODY,
    People,
    example_methodology,
    make_body,
    make_cycle,
    make_people,
    make_units,
    make_user,
)

from parindex_web.answering import codes as answer_codes
from parindex_web.answering.models import AnswerCode, CodeBatch
from parindex_web.api.models import ApiToken
from parindex_web.cycles.models import (
    Assessment,
    Cycle,
    Entry,
    Evidence,
    Explanation,
    Phase,
)
from parindex_web.jobs.models import Job
from parindex_web.methodologies.models import Methodology
from parindex_web.surveys.models import Questionnaire
from parindex_web.units.models import AssessingBody, Unit

PHASES = [p.value for p in Phase]
LATER = (Phase.EXPLANATION, Phase.FINALISED, Phase.PUBLISHED)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
# The survey tests' EXAMPLE XLSForm (tests/fixtures/surveys), a questionnaire of every cycle.
SURVEY_FORM = (
    Path(__file__).resolve().parents[2] / "fixtures/surveys/example-sipas-form.xlsx"
).read_bytes()

# The roles of the matrix, by the name the table uses, and the People field behind each.
ROLES = {
    "anonymous": None,
    "secretariat": "secretariat",  # this body's
    "secretariat_other": "foreign_secretariat",  # another body's
    "appraiser": "appraiser",  # assigned to unit A
    "appraiser_other": "appraiser2",  # this body's, assigned to unit B only
    "officer": "officer",  # unit A
    "leader": "leader",  # unit A
    "officer_other": "officer2",  # unit B
    "leader_other": "leader2",  # unit B
    "admin": "admin",  # a site administrator (superuser) with no membership
}


@dataclass
class World:
    people: People
    admin: Any
    cycles: dict[str, Cycle] = field(default_factory=dict)
    assessments: dict[str, Assessment] = field(default_factory=dict)
    entries: dict[str, Entry] = field(default_factory=dict)  # from self-assessment on
    evidence: dict[str, Evidence] = field(default_factory=dict)
    explanations: dict[str, Explanation] = field(default_factory=dict)
    clients: dict[str, Client] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    token_id: int = 0  # one of the secretariat's tokens
    attempt_id: int = 0  # failed sign-ins of unit A's officer (a lockout to lift)
    jobs: dict[str, int] = field(default_factory=dict)  # a job of each phase's cycle
    questionnaires: dict[str, int] = field(default_factory=dict)  # one in each phase's cycle
    code_batches: dict[str, int] = field(default_factory=dict)  # one per questionnaire
    answer_codes: dict[str, str] = field(default_factory=dict)  # an unused code of each batch

    def user(self, role: str) -> Any:
        name = ROLES[role]
        if name is None:
            return None
        return self.admin if name == "admin" else getattr(self.people, name)


def _cycle(world: World, body: AssessingBody, units: list[Unit], m: Methodology, phase: str):
    year = 2019 + PHASES.index(phase)
    name = f"Chỉ số CCHC cấp xã {year} ({phase})"
    cycle = make_cycle(body, units, m, world.people, year, name)
    advance_to(world.people, cycle, phase)
    a = cycle.assessments.select_related("cycle", "unit").get(unit=units[0])
    if phase == Phase.DRAFT:  # no entries yet, nothing to upload to
        world.cycles[phase], world.assessments[phase] = cycle, a
        return
    world.evidence[phase] = Evidence.objects.create(
        assessment=a,
        file=ContentFile(PDF, name="ke-hoach.pdf"),
        sha256=hashlib.sha256(PDF).hexdigest(),
        size=len(PDF),
        content_type="application/pdf",
        original_name="ke-hoach.pdf",
        uploaded_by=world.people.officer,
    )
    if phase in LATER:
        # Awaiting a decision in the explanation window; decided once the cycle is finalised.
        decided = phase != Phase.EXPLANATION
        world.explanations[phase] = Explanation.objects.create(
            entry=a.entries.get(code=YES_NO_LEAF),
            text="Đã có kế hoạch",
            submitted_by=world.people.officer,
            status=Explanation.Status.REJECTED if decided else Explanation.Status.PENDING,
            decision_reason="Chưa đủ" if decided else "",
            decided_by=world.people.appraiser if decided else None,
            decided_at=timezone.now() if decided else None,
        )
    cycle.refresh_from_db()
    world.cycles[phase] = cycle
    world.assessments[phase] = a
    world.entries[phase] = a.entries.get(code=LEVEL_LEAF)


def build_world() -> World:
    m = example_methodology()
    body, other = make_body(*BODY), make_body(*OTHER_BODY)
    units = make_units(body)
    admin = make_user("m-admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    world = World(people=make_people(body, other, units, prefix="m-"), admin=admin)
    for phase in PHASES:
        _cycle(world, body, units, m, phase)
        world.jobs[phase] = Job.objects.create(
            kind=Job.Kind.ADVANCE, cycle=world.cycles[phase], created_by=world.people.secretariat
        ).pk
        world.questionnaires[phase] = Questionnaire.objects.create(
            cycle=world.cycles[phase],
            group=Questionnaire.Group.CITIZENS,
            title="Phiếu người dân",
            content=SURVEY_FORM,
            file_name="phieu.xlsx",
            sha256=hashlib.sha256(SURVEY_FORM).hexdigest(),
            form_id="example_sipas",
            questions=13,
            uploaded_by=world.people.secretariat,
        ).pk
        batch = CodeBatch.objects.create(
            questionnaire_id=world.questionnaires[phase], unit=units[0], size=1
        )
        code = answer_codes.new_code()
        AnswerCode.objects.create(
            batch=batch, digest=answer_codes.digest(answer_codes.normal(code) or "")
        )
        world.code_batches[phase], world.answer_codes[phase] = batch.pk, code
    for role in ROLES:
        client = Client(raise_request_exception=False)
        user = world.user(role)
        if user is not None:
            client.force_login(user)
            world.tokens[role] = ApiToken.issue(user, "matrix")[1]
        world.clients[role] = client
    world.token_id = ApiToken.issue(world.people.secretariat, "to revoke")[0].pk
    world.attempt_id = AccessAttempt.objects.create(
        username=world.people.officer.username,
        ip_address="192.0.2.1",
        user_agent="matrix",
        failures_since_start=5,
        get_data="",
        post_data="",
        http_accept="*/*",
        path_info="/accounts/login/",
    ).pk
    return world


@pytest.fixture(scope="module")
def world_media(tmp_path_factory: Any) -> str:
    """The folder of the world's uploaded documents, for the whole module."""
    return str(tmp_path_factory.mktemp("media"))


@pytest.fixture(autouse=True)
def _media(settings: Any, world_media: str) -> None:
    """Overrides the per-test folder of tests/web/conftest.py: the world's documents, uploaded
    once for the module, must stay downloadable in each test."""
    settings.MEDIA_ROOT = world_media


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any, world_media: str):
    """The world, inside a transaction rolled back when the module's tests are done (each test
    runs in its own savepoint inside it, through pytest-django's ``db``)."""
    quiet = override_settings(
        MEDIA_ROOT=world_media,
        PARINDEX_API_ANON_RATE="off",
        PARINDEX_API_USER_RATE="off",
        ALLOWED_HOSTS=["testserver", "localhost"],
    )
    with django_db_blocker.unblock(), quiet:
        cache.clear()
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
