"""Every kind of page under the Content-Security-Policy, in a real browser: no violation.

The walk covers the public results (ranking, components, summary, methodology, map, unit
profile), the login page, an officer's work and criterion pages, the appraisal pages, the
secretariat's dashboard, the API docs and the admin. A violation is caught both from the
``securitypolicyviolation`` event and from the console; charts are hovered so that their
tooltips draw too. Screenshots go to artifacts/screenshots/csp-*.png.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from parindex_web.cycles.models import Assessment, Cycle

from .conftest import SHOTS, login, second_factor_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Records every violation in the page, before any of the page's own scripts run.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " "
    + (e.sourceFile || "") + ":" + (e.lineNumber || ""));
});
"""


@pytest.fixture
def demo(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_demo", verbosity=0)


class Walk:
    """Visits pages in one browser tab and keeps every CSP violation seen, by page."""

    def __init__(self, page: Any, base: str) -> None:
        self.page, self.base = page, base
        self.violations: dict[str, list[str]] = {}
        self.unprotected: list[str] = []
        self.console: list[str] = []
        page.add_init_script(LISTEN)
        page.on("console", self._console)

    def _console(self, message: Any) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(f"{self.page.url}: {message.text}")

    def visit(
        self, path: str, name: str, hover: str | None = None, click: str | None = None
    ) -> None:
        response = self.page.goto(self.base + path)
        if hover or click:  # charts are drawn from a fetched JSON twin; Swagger UI from its own
            self.page.wait_for_load_state("networkidle")
        if "script-src 'self'" not in (response.headers.get("content-security-policy") or ""):
            self.unprotected.append(path)
        if click:
            self.page.locator(click).first.click()
            self.page.wait_for_load_state("networkidle")
        self.record(path, name, hover)

    def record(self, path: str, name: str, hover: str | None = None) -> None:
        """Keeps the violations of the page now shown (reached by a visit or a form)."""
        if hover:
            for box in self.page.locator(hover).all()[:2]:
                box.scroll_into_view_if_needed()
                box.hover()
                self.page.mouse.move(*self._centre(box), steps=4)
                self.page.wait_for_timeout(150)
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"csp-{name}.png"))  # the viewport: quicker
        found = self.page.evaluate("window.__violations")
        if found:
            self.violations[path] = sorted(set(found))

    @staticmethod
    def _centre(box: Any) -> tuple[float, float]:
        b = box.bounding_box()
        return b["x"] + b["width"] / 2, b["y"] + b["height"] / 2


def assessment(unit: str, year: int) -> Assessment:
    return Assessment.objects.get(unit__code=unit, cycle__year=year, cycle__body__code="snv-vi-du")


def test_no_page_breaks_the_content_security_policy(
    demo: None, live_server: Any, browser: Any
) -> None:
    published = Cycle.objects.get(body__code="bnv", year=2025)
    a = assessment("demo-x01", 2026)
    unit = published.assessments.select_related("unit").first().unit.code
    r = f"/results/{published.pk}"

    def tab() -> Walk:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        return Walk(context.new_page(), live_server.url)

    public = tab()
    public.visit("/", "home")
    public.visit("/results/", "results")
    public.visit(f"{r}/", "ranking")
    public.visit(f"{r}/components", "components")
    public.visit(f"{r}/summary", "summary", hover=".chart:visible")
    public.visit(f"{r}/methodology", "methodology")
    public.visit(f"{r}/map", "map", hover=".chart:visible")
    public.visit(f"{r}/units/{unit}/", "profile", hover=".chart:visible")
    public.visit("/api/docs", "api-docs", click=".opblock-summary")
    public.visit("/accounts/login/", "login")

    officer = tab()
    login(officer.page, live_server.url, "canbo1")
    officer.visit("/work/", "officer-work")
    officer.visit(f"/assessments/{a.pk}/", "officer-assessment")
    officer.visit(f"/assessments/{a.pk}/entries/1.1.1/", "officer-criterion")
    officer.visit("/accounts/otp/", "officer-two-factor-setup")

    appraiser = tab()
    login(appraiser.page, live_server.url, "thamdinh1")
    appraiser.visit("/appraisal/", "appraisal")
    appraiser.visit(f"/appraisal/{a.pk}/", "appraisal-assessment")

    secretariat = tab()
    secretariat.visit("/accounts/login/", "login-secretariat")
    secretariat.page.fill("input[name=username]", "thuky")
    secretariat.page.fill("input[name=password]", "parindex-demo")
    secretariat.page.click("main form button[type=submit]")
    secretariat.page.wait_for_load_state("networkidle")
    assert "/accounts/otp/verify/" in secretariat.page.url
    secretariat.record("/accounts/otp/verify/", "two-factor-code")
    secretariat.page.fill("input[name=code]", second_factor_code("thuky"))
    secretariat.page.click("main form.stacked-form button[type=submit]")
    secretariat.page.wait_for_load_state("networkidle")
    secretariat.visit("/cycles/", "secretariat-cycles")
    secretariat.visit(f"/cycles/{a.cycle_id}/", "secretariat-dashboard")
    secretariat.visit("/cycles/new", "secretariat-new-cycle")

    admin = tab()
    login(admin.page, live_server.url, "admin")
    admin.visit("/admin/", "admin")
    admin.visit("/admin/auth/user/", "admin-users")
    admin.visit("/admin/auth/user/add/", "admin-user-add")
    admin.visit("/admin/cycles/cycle/", "admin-cycles")
    admin.visit(
        f"/admin/cycles/cycle/{a.cycle_id}/change/",
        "admin-cycle-calendar",
        click="a[id^=calendarlink]",
    )
    admin.visit("/accounts/lockouts/", "admin-lockouts")

    walks = [public, officer, appraiser, secretariat, admin]
    assert [p for w in walks for p in w.unprotected] == []
    report = [f"{p}: {v}" for w in walks for p, vs in w.violations.items() for v in vs]
    assert not report, "\n".join(report)
    assert [c for w in walks for c in w.console] == []
