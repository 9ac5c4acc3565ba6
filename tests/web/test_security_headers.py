"""Secure by default: HTTPS only with debug off, security headers on every response, and a
Content-Security-Policy that no template needs to loosen (no inline script or style)."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import RequestFactory
from fresh_settings import load

import parindex_web
from conftest import Page
from parindex_web.lib.headers import PermissionsPolicyMiddleware, permissions_policy
from parindex_web.results import palette

REPO = Path(__file__).resolve().parents[2]
WEB = Path(parindex_web.__file__).parent
DOCS = REPO / "docs" / "settings.md"
PDF_TEMPLATES = WEB / "reports" / "templates" / "reports" / "pdf"
YEAR = 365 * 24 * 3600

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def directives(header: str) -> dict[str, str]:
    parts = (d.strip().split(None, 1) for d in header.split(";") if d.strip())
    return {p[0]: p[1] if len(p) > 1 else "" for p in parts}


def production_variables() -> dict[str, str]:
    """The ``sh`` block under "## Production" in docs/settings.md, placeholders filled in."""
    section = DOCS.read_text(encoding="utf-8").split("\n## Production\n", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    env = dict(line.split("=", 1) for line in block.splitlines() if line.strip())
    return {k: secrets.token_urlsafe(50) if v.startswith("<") else v for k, v in env.items()}


# --- check --deploy and the settings behind it ---------------------------------------------


def test_check_deploy_reports_nothing_with_the_documented_production_variables(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PARINDEX_", "DJANGO_"))}
    env |= production_variables()
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env["PARINDEX_MEDIA_ROOT"] = str(tmp_path / "media")
    assert env["PARINDEX_DEBUG"] == "false"
    done = subprocess.run(
        [sys.executable, str(REPO / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_debug_off_makes_the_site_https_only(monkeypatch, tmp_path):
    s = load(monkeypatch, tmp_path, PARINDEX_DEBUG="false", PARINDEX_SECRET_KEY="k" * 50)
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SECURE_HSTS_SECONDS"] == YEAR
    assert s["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert s["SECURE_HSTS_PRELOAD"] is True
    assert s["SESSION_COOKIE_SECURE"] is True and s["CSRF_COOKIE_SECURE"] is True
    assert s["SECURE_PROXY_SSL_HEADER"] is None


def test_debug_on_keeps_plain_http_working(monkeypatch, tmp_path):
    s = load(monkeypatch, tmp_path)
    assert s["SECURE_SSL_REDIRECT"] is False
    assert s["SECURE_HSTS_SECONDS"] == 0
    assert s["SESSION_COOKIE_SECURE"] is False and s["CSRF_COOKIE_SECURE"] is False


def test_the_https_settings_can_be_changed(monkeypatch, tmp_path):
    s = load(
        monkeypatch,
        tmp_path,
        PARINDEX_DEBUG="false",
        PARINDEX_SECRET_KEY="k" * 50,
        PARINDEX_SSL_REDIRECT="false",
        PARINDEX_HSTS_SECONDS="3600",
        PARINDEX_HSTS_INCLUDE_SUBDOMAINS="no",
        PARINDEX_HSTS_PRELOAD="off",
    )
    assert s["SECURE_SSL_REDIRECT"] is False
    assert s["SECURE_HSTS_SECONDS"] == 3600
    assert s["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False and s["SECURE_HSTS_PRELOAD"] is False


def test_the_tls_proxy_header_becomes_the_secure_proxy_ssl_header(monkeypatch, tmp_path):
    s = load(monkeypatch, tmp_path, PARINDEX_TLS_PROXY_HEADER="X-Forwarded-Proto")
    assert s["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")


@pytest.mark.parametrize("value", ["X-Forwarded-Proto: https", "X_Forwarded", "Proto,Other"])
def test_it_refuses_a_tls_proxy_header_that_is_not_a_header_name(monkeypatch, tmp_path, value):
    with pytest.raises(ImproperlyConfigured, match="PARINDEX_TLS_PROXY_HEADER"):
        load(monkeypatch, tmp_path, PARINDEX_TLS_PROXY_HEADER=value)


def test_it_refuses_negative_hsts_seconds(monkeypatch, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="PARINDEX_HSTS_SECONDS"):
        load(monkeypatch, tmp_path, PARINDEX_HSTS_SECONDS="-1")


# --- behaviour over http and https ---------------------------------------------------------


def test_the_local_server_answers_plain_http(client):
    r = client.get("/")
    assert r.status_code == 200
    assert "Strict-Transport-Security" not in r


@pytest.fixture
def https_only(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = YEAR
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def test_with_https_only_plain_http_is_redirected_to_https(https_only, client):
    r = client.get("/results/?x=1")
    assert r.status_code == 301
    assert r["Location"] == "https://testserver/results/?x=1"


def test_with_https_only_the_health_probe_still_answers_plain_http(https_only, client):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok"}


def test_through_the_tls_proxy_a_request_is_served_with_hsts(https_only, client):
    r = client.get("/", HTTP_X_FORWARDED_PROTO="https")
    assert r.status_code == 200
    assert r["Strict-Transport-Security"] == f"max-age={YEAR}; includeSubDomains; preload"


def test_a_forwarded_proto_header_counts_only_when_configured(settings, client):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = None
    assert client.get("/", HTTP_X_FORWARDED_PROTO="https").status_code == 301


# --- headers on every response -------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/results/", "/healthz", "/api/"])
def test_every_response_carries_the_security_headers(client, path):
    r = client.get(path)
    assert directives(r["Content-Security-Policy"]) == POLICY
    assert "unsafe-inline" not in r["Content-Security-Policy"]
    assert r["Permissions-Policy"].startswith("accelerometer=(), camera=(), geolocation=()")
    assert "microphone=()" in r["Permissions-Policy"]
    assert r["Referrer-Policy"] == "same-origin"
    assert r["Cross-Origin-Opener-Policy"] == "same-origin"
    assert r["X-Frame-Options"] == "DENY"
    assert r["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_the_api_docs_also_allow_data_images_for_swagger_icons(client):
    r = client.get("/api/docs")
    assert r.status_code == 200
    assert directives(r["Content-Security-Policy"]) == POLICY | {"img-src": "'self' data:"}


def test_the_permissions_policy_lists_each_feature_with_its_origins():
    policy = {"camera": [], "fullscreen": ["'self'"], "geolocation": ["'self'", "https://a.b"]}
    assert permissions_policy(policy) == (
        "camera=(), fullscreen=('self'), geolocation=('self' https://a.b)"
    )


def test_a_view_keeps_its_own_permissions_policy(settings):
    settings.PERMISSIONS_POLICY = {"camera": []}
    own = HttpResponse(headers={"Permissions-Policy": "camera=(self)"})
    middleware = PermissionsPolicyMiddleware(lambda request: own)
    assert middleware(RequestFactory().get("/"))["Permissions-Policy"] == "camera=(self)"
    plain = PermissionsPolicyMiddleware(lambda request: HttpResponse())
    assert plain(RequestFactory().get("/"))["Permissions-Policy"] == "camera=()"


# --- no inline code: templates and rendered pages ------------------------------------------

TAG = re.compile(r"<([a-zA-Z][\w-]*)((?:[^>{]|\{[^}]*\})*)>", re.S)
INLINE_ATTRIBUTE = re.compile(
    r"""(?:^|\s)(style|on[a-z]+)\s*=|(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I
)


def inline_code(source: str) -> list[str]:
    """What a Content-Security-Policy without 'unsafe-inline' refuses: <style> elements,
    <script> without src (other than JSON data), style="…", on…= handlers, javascript: URLs."""
    found = []
    for m in TAG.finditer(source):
        tag, attrs = m.group(1).lower(), m.group(2)
        if tag == "style" or (
            tag == "script"
            and not re.search(r"\ssrc\s*=", attrs)
            and not re.search(r"""type\s*=\s*["']application/(ld\+)?json""", attrs)
        ):
            found.append(m.group(0))
        if INLINE_ATTRIBUTE.search(attrs):
            found.append(m.group(0)[:120])
    return found


def served_templates() -> list[Path]:
    """Every HTML template of the project's apps, except the PDF reports' (WeasyPrint)."""
    return sorted(p for p in WEB.glob("**/templates/**/*.html") if PDF_TEMPLATES not in p.parents)


@pytest.mark.parametrize(
    "snippet",
    [
        "<style>p { color: red }</style>",
        "<script>alert(1)</script>",
        '<script type="module">import x from "./x.js"</script>',
        '<td class="heat" style="background: {{ c.bg }}">',
        '<button onclick="go()">',
        '<body onload="start()">',
        '<a href="javascript:void(0)">',
        '<span class="badge" STYLE="--badge: {{ colour }}">',
    ],
)
def test_the_template_scan_finds_inline_code(snippet):
    assert inline_code(f"<p>{{% if a %}}x{{% endif %}}</p>{snippet}")


@pytest.mark.parametrize(
    "snippet",
    [
        "<script src=\"{% static 'results/sort.js' %}\" defer></script>",
        '<script type="application/json" id="x">{}</script>',
        '<td class="num heat heat-{{ c.bg|cut:\'#\' }}" data-sort="{{ v }}">',
        '<a href="{% url \'home:index\' %}" data-style="x">',
        "<p>one=two, onward = yes</p>",
    ],
)
def test_the_template_scan_lets_external_code_and_data_through(snippet):
    assert inline_code(snippet) == []


def test_no_served_template_has_inline_script_or_style():
    templates = served_templates()
    assert len(templates) > 40
    found = {
        str(p.relative_to(WEB)): hits
        for p in templates
        if (hits := inline_code(p.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_the_pdf_templates_are_only_rendered_into_pdfs():
    users = [
        p.relative_to(WEB).as_posix()
        for p in WEB.rglob("*.py")
        if "reports/pdf/" in p.read_text(encoding="utf-8")
    ]
    assert users == ["reports/pdf.py"]
    source = (WEB / "reports" / "pdf.py").read_text(encoding="utf-8")
    rendered = source.count('render_to_string("reports/pdf/')
    assert rendered == source.count('_pdf(render_to_string("reports/pdf/') > 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/accounts/login/", "/results/", "/api/docs", "/api/tokens/", "/admin/"]
)
def test_rendered_pages_have_no_inline_script_or_style(admin_client, path):
    r = admin_client.get(path, follow=True)
    assert r.status_code == 200
    page = Page(r.content.decode())
    for e in page.elements:
        assert "style" not in e.attrs, (path, e.tag, e.attrs)
        assert not [a for a in e.attrs if a.startswith("on")], (path, e.tag, e.attrs)
    for script in page.find_all("script"):
        assert script.attrs.get("src") or script.attrs.get("type") == "application/json", path
    assert page.find_all("style") == []


# --- colours from data are classes -----------------------------------------------------------


def css_rules(path: Path) -> dict[str, str]:
    text = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
    return {sel.strip(): body.strip() for sel, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text)}


def test_every_palette_colour_has_its_class():
    rules = css_rules(WEB / "results" / "static" / "results" / "results.css")
    for colour in [*palette.BAND_COLOURS, palette.NO_GROUP_COLOUR]:
        assert rules[f".badge.colour-{colour[1:]}"] == f"--badge: {colour};"
    for colour in palette.HEAT_COLOURS:
        text = palette.text_on(colour)
        assert rules[f".heat-{colour[1:]}"] == f"background: {colour}; color: {text};"


@pytest.mark.django_db
def test_a_failed_csrf_check_answers_a_page_without_inline_style():
    from django.test import Client

    r = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "a"})
    assert r.status_code == 403
    page = Page(r.content.decode())
    assert page.find("h1").text == "Không gửi được biểu mẫu"
    assert page.find_all("style") == [] and inline_code(r.content.decode()) == []
    assert directives(r["Content-Security-Policy"]) == POLICY
