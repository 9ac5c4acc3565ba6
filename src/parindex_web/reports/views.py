"""Downloads of published results: workbook, PDF reports, open-data bundle. Public, read-only.

Only publications are read (:mod:`parindex_web.cycles.published`): a cycle without one is a 404.
Files are made once per publication and kept as files (:mod:`.artefacts`), served with the
publication's hash as ETag (a 304 on ``If-None-Match``, from ``ConditionalGetMiddleware``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from parindex_web.cycles.published import Published

from . import artefacts, stored
from .data import Report, file_stem

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A version's own address never changes what it serves; the latest one may, with a publication.
VERSION_SECONDS = 365 * 24 * 3600
LATEST_SECONDS = 300


def _download(
    request: HttpRequest,
    published: Published,
    *,
    kind: str,
    filename: str,
    content_type: str,
    extra: str = "",
    make: Callable[[Report], bytes] | None = None,
    versioned: bool = False,
) -> HttpResponseBase:
    artefact = artefacts.ensure(published, kind, extra=extra, make=make)
    response = FileResponse(
        open(artefact.path, "rb"),  # noqa: SIM115 (FileResponse closes it)
        as_attachment=True,
        filename=filename,
        content_type=content_type,
    )
    response["ETag"] = artefact.etag
    if versioned:
        patch_cache_control(response, public=True, max_age=VERSION_SECONDS, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=LATEST_SECONDS)
    return response


@require_safe
def workbook(request: HttpRequest, cycle_id: int) -> HttpResponseBase:
    published = artefacts.header(cycle_id)
    return _download(
        request,
        published,
        kind="xlsx",
        filename=file_stem(published) + ".xlsx",
        content_type=XLSX,
    )


@require_safe
def cycle_pdf(request: HttpRequest, cycle_id: int) -> HttpResponseBase:
    published = artefacts.header(cycle_id)
    return _download(
        request,
        published,
        kind="pdf",
        filename=file_stem(published) + ".pdf",
        content_type="application/pdf",
    )


@require_safe
def archive_pdf(
    request: HttpRequest, cycle_id: int, version: int | None = None
) -> HttpResponseBase:
    """The cycle report to keep with the publication: Vietnamese, PDF/A-3b (and PDF/UA-1)."""
    published = artefacts.header(cycle_id, version)
    return _download(
        request,
        published,
        kind="pdfa",
        filename=file_stem(published) + "-luu-tru.pdf",
        content_type="application/pdf",
        versioned=version is not None,
    )


@require_safe
def unit_pdf(request: HttpRequest, cycle_id: int, unit_code: str) -> HttpResponseBase:
    published = artefacts.header(cycle_id)
    if not stored.has_unit(published.publication.pk, unit_code):
        raise Http404

    def make(report: Report) -> bytes:
        from . import pdf  # WeasyPrint and matplotlib load with the first PDF, not with Django

        return pdf.unit_pdf(report, unit_code)

    return _download(
        request,
        published,
        kind="unit",
        extra=unit_code,
        filename=f"{file_stem(published)}-{unit_code}.pdf",
        content_type="application/pdf",
        make=make,
    )


@require_safe
def bundle(request: HttpRequest, cycle_id: int, version: int | None = None) -> HttpResponseBase:
    published = artefacts.header(cycle_id, version)
    return _download(
        request,
        published,
        kind="zip",
        filename=file_stem(published) + "-open-data.zip",
        content_type="application/zip",
        versioned=version is not None,
    )
