"""Accessibility: no axe-core violation (WCAG 2.1 A and AA) on any page state (issue 15).

One walk through the demo in one browser: the public pages, the sign-in pages, each role's
pages, forms empty, refused with errors and saved, confirmations, the error pages; every state
on a desktop viewport and many on a phone (390 px). Each person keeps one browser context per
viewport, signed in once. The failure lists, for every state, each rule broken with its impact,
the elements' selectors and the rule's help page.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError

from parindex_web.cycles.models import Assessment, Cycle, Entry, Phase

from .conftest import SHOTS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
OPTIONS = {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}

Act = Callable[[Any], None]


@dataclass(frozen=True)
class State:
    """A page state: who sees it, the path (``{name}`` filled from the demo's ids), what is
    done on the page before the check, and whether the phone sees it too."""

    name: str
    who: str | None
    path: str
    act: Act | None = None
    phone: bool = False


def submit(form: str, fill: dict[str, str] | None = None, button: str = "") -> Act:
    """Fill the fields (selector → text) and press the form's submit button."""

    def act(page: Any) -> None:
        for selector, text in (fill or {}).items():
            page.fill(selector, text)
        page.click(button or f"{form} button[type=submit]")
        page.wait_for_load_state("networkidle")

    return act


def click(selector: str) -> Act:
    def act(page: Any) -> None:
        page.click(selector)
        page.wait_for_load_state("networkidle")

    return act


def entry_error(page: Any) -> None:
    """A number field of the criterion form given a word: the form comes back with an error."""
    page.fill("form.leaf-form input[type=text], form.leaf-form input:not([type])", "abc")
    submit("form.leaf-form")(page)


R = "/results/{pub}"
A = "/assessments/{draft}"
C = "/cycles/{cycle}"
STATES = [
    # Public pages and sign-in.
    State("home", None, "/", phone=True),
    State("home-en", None, "/?lang=en"),
    State("results-index", None, "/results/", phone=True),
    State("ranking", None, f"{R}/", phone=True),
    State("components", None, f"{R}/components", phone=True),
    State("summary", None, f"{R}/summary", phone=True),
    State("methodology", None, f"{R}/methodology"),
    State("unit-profile", None, f"{R}/units/{{unit}}/", phone=True),
    State("map", None, f"{R}/map", phone=True),
    State("api-docs", None, "/api/docs"),
    State("login", None, "/accounts/login/", phone=True),
    State(
        "login-refused",
        None,
        "/accounts/login/",
        submit("main form", {"input[name=username]": "canbo1", "input[name=password]": "sai"}),
        phone=True,
    ),
    State("not-found", None, "/results/999999/", phone=True),
    State("forbidden", "canbo1", "/cycles/", phone=True),
    # Unit officer.
    State("officer-work", "canbo1", "/work/", phone=True),
    State("officer-assessment", "canbo1", f"{A}/", phone=True),
    State("officer-criterion", "canbo1", f"{A}/entries/1.1.1/", phone=True),
    State(
        "officer-criterion-error",
        "canbo1",
        f"{A}/entries/{{number_leaf}}/",
        entry_error,
        phone=True,
    ),
    State("officer-criterion-saved", "canbo1", f"{A}/entries/1.1.1/", submit("form.leaf-form")),
    State("officer-evidence", "canbo1", f"{A}/evidence/", phone=True),
    State("officer-workbook", "canbo1", f"{A}/workbook"),
    State(
        "officer-workbook-error",
        "canbo1",
        f"{A}/workbook",
        submit("main form[enctype='multipart/form-data']"),
    ),
    State("officer-two-factor-setup", "canbo1", "/accounts/otp/"),
    State(
        "officer-two-factor-error",
        "canbo1",
        "/accounts/otp/",
        submit("main form.stacked-form", {"input[name=code]": "12"}),
    ),
    State("officer-tokens", "canbo1", "/api/tokens/"),
    State("officer-tokens-error", "canbo1", "/api/tokens/", submit("main form.stacked-form")),
    State(
        "officer-tokens-created",
        "canbo1",
        "/api/tokens/",
        submit("main form.stacked-form", {"input[name=name]": "Bảng tính"}),
    ),
    # Unit leader.
    State("leader-work", "lanhdao3", "/work/", phone=True),
    State("leader-review", "lanhdao3", "/assessments/{complete}/review/", phone=True),
    State(
        "leader-send-back-error",
        "lanhdao3",
        "/assessments/{complete}/review/",
        submit("#send-back"),
    ),
    State(
        "leader-sign-off-confirm",
        "lanhdao3",
        "/assessments/{complete}/review/",
        click("a#sign-off-link"),
        phone=True,
    ),
    # Appraiser.
    State("appraiser-work", "thamdinh1", "/work/"),
    State("appraiser-index", "thamdinh1", "/appraisal/", phone=True),
    State("appraiser-assessment", "thamdinh1", "/appraisal/{appraised}/", phone=True),
    State(
        "appraiser-score-error",
        "thamdinh1",
        "/appraisal/{appraised}/",
        submit(
            "form.appraise-form",
            {"form.appraise-form >> nth=0 >> input[name$=points]": "abc"},
            "form.appraise-form >> nth=0 >> button[value=set]",
        ),
    ),
    # Secretariat.
    State("secretariat-work", "thuky", "/work/"),
    State("secretariat-cycles", "thuky", "/cycles/", phone=True),
    State("secretariat-new-cycle", "thuky", "/cycles/new"),
    State("secretariat-new-cycle-error", "thuky", "/cycles/new", submit("main form")),
    State("secretariat-dashboard", "thuky", f"{C}/", phone=True),
    State("secretariat-deadlines", "thuky", f"{C}/deadlines"),
    State(
        "secretariat-deadlines-error",
        "thuky",
        f"{C}/deadlines",
        submit("main form", {"input[name=appraisal_due]": "2000-01-01T00:00"}),
    ),
    State("secretariat-assignments", "thuky", f"{C}/assignments", phone=True),
    State("secretariat-preflight", "thuky", f"{C}/phase", phone=True),
    State("secretariat-external", "thuky", f"{C}/external"),
    State("secretariat-external-unit", "thuky", f"{C}/external/{{draft}}"),
    State("secretariat-results", "thuky", "/cycles/{appraising}/results", phone=True),
    State("secretariat-publish", "thuky", "/cycles/{appraising}/publish"),
    State("secretariat-publication", "thuky", "/cycles/{published}/publications/1/", phone=True),
    State("secretariat-correction", "thuky", "/cycles/{published}/correction"),
    State("secretariat-lockouts", "thuky", "/accounts/lockouts/"),
    # Explanations (the 2025 cycle moved on, see ``explaining``): last, as they change phases.
    State("officer-explanations", "canbo1", "/appraisal/{explained}/explanations/", phone=True),
    State(
        "officer-explanation-error",
        "canbo1",
        "/appraisal/{explained}/explanations/",
        submit("", button="form.explain-form >> nth=0 >> button[type=submit]"),
    ),
    State("appraiser-explanations", "thamdinh1", "/appraisal/{explained}/explanations/"),
]


def explaining(a: Assessment) -> None:
    """The demo's 2025 cycle moved on to explanations, one leaf of ``a`` appraised lower."""
    entry = (
        Entry.objects.filter(assessment=a, self_points__gt=0, appraised_points__isnull=False)
        .order_by("code")
        .first()
    )
    assert entry is not None
    Entry.objects.filter(pk=entry.pk).update(
        appraised_points=Decimal(0), appraisal_reason="Thiếu tài liệu kiểm chứng (ví dụ)."
    )
    Cycle.objects.filter(pk=a.cycle_id).update(
        phase=Phase.EXPLANATION, explanation_due=timezone.now() + timedelta(days=7)
    )


def ids() -> dict[str, Any]:
    def assessment(unit: str, year: int) -> Assessment:
        return Assessment.objects.get(
            unit__code=unit, cycle__year=year, cycle__body__code="snv-vi-du"
        )

    pub = Cycle.objects.get(body__code="bnv", year=2025)
    draft = assessment("demo-x01", 2026)
    core = draft.cycle.core()
    number_leaf = next(
        leaf.code
        for leaf in core.leaves
        if leaf.rule is not None
        and type(leaf.rule).__name__ in {"ProportionalRule", "ThresholdsRule", "PointsRule"}
    )
    return {
        "pub": pub.pk,
        "unit": pub.assessments.select_related("unit").first().unit.code,
        "draft": draft.pk,
        "number_leaf": number_leaf,
        "complete": assessment("demo-x03", 2026).pk,
        "appraised": assessment("demo-x03", 2025).pk,
        "explained": assessment("demo-x01", 2025).pk,
        "cycle": draft.cycle_id,
        "appraising": assessment("demo-x01", 2025).cycle_id,
        "published": assessment("demo-x01", 2024).cycle_id,
    }


def describe(state: str, violations: list[dict[str, Any]]) -> list[str]:
    """One line per rule broken: rule id, impact, target selectors, help URL."""
    return [
        f"{state}: {v['id']} ({v['impact']}): {v['help']}\n"
        f"    targets: {'; '.join(' '.join(n['target']) for n in v['nodes'][:8])}\n"
        f"    first: {v['nodes'][0]['html'][:300]}\n"
        f"    {v['helpUrl']}"
        for v in violations
    ]


def test_every_page_state_has_no_accessibility_violation(
    settings: Any, tmp_path: Any, live_server: Any, browser: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_demo", verbosity=0)
    known = ids()
    axe = Axe()
    contexts: dict[tuple[str | None, bool], Any] = {}

    def tab(who: str | None, phone: bool) -> Any:
        if (who, phone) not in contexts:
            context = browser.new_context(locale="vi-VN", **(PHONE if phone else DESKTOP))
            context.set_default_timeout(10_000)
            contexts[who, phone] = context.new_page()
            if who:
                login(contexts[who, phone], live_server.url, who)
        return contexts[who, phone]

    report: list[str] = []
    checked = 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    only = set(filter(None, os.environ.get("PARINDEX_A11Y_ONLY", "").split(",")))
    for state in STATES:
        if only and state.name not in only:
            continue
        if state.name == "officer-explanations":
            explaining(Assessment.objects.get(pk=known["explained"]))
        for phone in (False, True) if state.phone else (False,):
            page = tab(state.who, phone)
            page.goto(live_server.url + state.path.format(**known))
            page.wait_for_load_state("networkidle")
            if state.act:
                try:
                    state.act(page)
                except PlaywrightError as exc:  # the state was not reached: say so, go on
                    report.append(f"{state.name}: not reached: {exc.message.splitlines()[0]}")
                    continue
            name = f"a11y-{state.name}{'-phone' if phone else ''}"
            page.screenshot(path=str(SHOTS / f"{name}.png"))
            found = axe.run(page, options=OPTIONS).response["violations"]
            report += describe(name, found)
            checked += 1
    for page in contexts.values():
        page.context.close()
    assert checked >= (1 if only else 55)
    assert not report, f"{len(report)} violations:\n" + "\n".join(report)
