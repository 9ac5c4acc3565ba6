"""Downloads of published results: workbook, PDF reports, open-data bundle. Public, read-only.

Only publications are read (:mod:`parindex_web.cycles.published`): a cycle without one is a 404.
Files are made once and kept in Django's cache, keyed by the publication (pk and content hash),
the site's publication counter (a later publication may change last year's comparison), the
language and the unit.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from parindex_web.cycles.published import Published, cache_version, load_by_id

from . import bundle as bundles
from . import workbook as workbooks
from .data import Report, build, file_stem
from .models import letterhead_version

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CACHE_SECONDS = 7 * 24 * 3600
# Bump when the layout of a file changes, so that cached copies are made again.
LAYOUT = 2


def _download(
    request: HttpRequest,
    published: Published,
    *,
    kind: str,
    filename: str,
    content_type: str,
    make: Callable[[Report], bytes],
    language: bool = True,
    letterhead: bool = False,
) -> HttpResponse:
    pub = published.publication
    parts = ["reports", kind, str(LAYOUT), str(pub.pk), pub.content_hash[:16], str(cache_version())]
    if language:
        parts.append(get_language() or "")
    if letterhead:  # the PDFs show the body's letterhead: an edit makes them again
        parts.append(letterhead_version(published.cycle.body_id))
    key = ":".join(parts)
    content = cache.get(key)
    if content is None:
        content = make(build(published))
        cache.set(key, content, CACHE_SECONDS)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
def workbook(request: HttpRequest, cycle_id: int) -> HttpResponse:
    published = load_by_id(cycle_id)
    return _download(
        request,
        published,
        kind="xlsx",
        filename=file_stem(published) + ".xlsx",
        content_type=XLSX,
        make=workbooks.build_workbook,
    )


@require_safe
def cycle_pdf(request: HttpRequest, cycle_id: int) -> HttpResponse:
    from . import pdf  # WeasyPrint and matplotlib load with the first PDF, not with Django

    published = load_by_id(cycle_id)
    return _download(
        request,
        published,
        kind="pdf",
        filename=file_stem(published) + ".pdf",
        content_type="application/pdf",
        make=pdf.cycle_pdf,
        letterhead=True,
    )


@require_safe
def archive_pdf(request: HttpRequest, cycle_id: int, version: int | None = None) -> HttpResponse:
    """The cycle report to keep with the publication: Vietnamese, PDF/A-3b (and PDF/UA-1)."""
    from . import pdf

    published = load_by_id(cycle_id, version)
    return _download(
        request,
        published,
        kind="pdfa",
        filename=file_stem(published) + "-luu-tru.pdf",
        content_type="application/pdf",
        make=pdf.archive_pdf,
        language=False,
        letterhead=True,
    )


@require_safe
def unit_pdf(request: HttpRequest, cycle_id: int, unit_code: str) -> HttpResponse:
    from . import pdf

    published = load_by_id(cycle_id)
    if not any(row["unit"] == unit_code for row in published.results["units"]):
        raise Http404
    return _download(
        request,
        published,
        kind=f"unit-pdf:{unit_code}",
        filename=f"{file_stem(published)}-{unit_code}.pdf",
        content_type="application/pdf",
        make=lambda report: pdf.unit_pdf(report, unit_code),
        letterhead=True,
    )


@require_safe
def bundle(request: HttpRequest, cycle_id: int, version: int | None = None) -> HttpResponse:
    published = load_by_id(cycle_id, version)
    return _download(
        request,
        published,
        kind="zip",
        filename=file_stem(published) + "-open-data.zip",
        content_type="application/zip",
        make=bundles.build_bundle,
        language=False,
    )
