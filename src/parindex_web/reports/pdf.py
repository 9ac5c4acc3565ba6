"""PDF reports with WeasyPrint: the cycle report and one unit's report.

HTML from templates (``reports/pdf/*.html``) with the charts inlined as SVG, laid out as an
administrative document of Decree 30/2020/NĐ-CP (heading, number, place and date, recipients,
signer: :class:`Heading`), table headers repeated on every page, a Times New Roman-like serif
that covers Vietnamese, embedded.

Every PDF is tagged (headings, tables with their header cells, figures with their text, the
language): the downloads are PDF/UA-1; the archived copy (:func:`archive_pdf`) is PDF/A-3b and
declares PDF/UA-1 as well. WeasyPrint is imported when a report is made, not when Django starts.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

import parindex
from parindex_web.cycles.published import Published
from parindex_web.results.palette import NO_GROUP_COLOUR

from . import charts
from .data import Report, example_warning, rounding_text
from .models import REPORT_KIND, Letterhead

# Where a part of the document has no data: dots to write on, as the decree's forms print them.
BLANK = "……"
# The language of the archived copy: an official document is written in Vietnamese.
ARCHIVE_LANGUAGE = "vi"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PDFUA = "http://www.aiim.org/pdfua/ns/id/"


@dataclass
class Heading:
    """The parts of the document around the report (Decree 30/2020/NĐ-CP, Appendix I)."""

    issuer: str
    number: str  # what follows "Số:"
    place_and_date: str
    parent_body: str = ""
    signer_authority: str = ""
    signer_position: str = ""
    signer_name: str = ""
    recipients: list[str] = field(default_factory=list)


def date_of_issue(day: date) -> str:
    """The date in the decree's words in Vietnamese (``ngày 03 tháng 12 năm 2026``), else dd/mm/yyyy."""
    if (translation.get_language() or "").startswith("vi"):
        return parindex.decree_date(day)
    return day.strftime("%d/%m/%Y")


def heading(report: Report) -> Heading:
    """The assessing body's letterhead with the publication's date; blanks where data is missing.

    The number is always left blank: the clerk gives it when the signed report is registered.
    """
    body = report.cycle.body
    letterhead = Letterhead.objects.filter(body=body).first() or Letterhead(body=body)
    place = letterhead.place or BLANK
    return Heading(
        issuer=letterhead.issuer or body.name,
        number=parindex.document_number(None, REPORT_KIND, letterhead.abbreviation),
        place_and_date=_("%(place)s, %(date)s")
        % {"place": place, "date": date_of_issue(report.published_on)},
        parent_body=letterhead.parent_body,
        signer_authority=letterhead.signer_authority,
        signer_position=letterhead.signer_position,
        signer_name=letterhead.signer_name,
        recipients=letterhead.recipient_lines,
    )


def _img(svg: str | None) -> SafeString | None:
    """An ``<img>`` source for an SVG (data URI: the PDF needs no other file)."""
    if svg is None:
        return None
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return mark_safe(f"data:image/svg+xml;base64,{data}")


def _declare_pdf_ua(metadata: Any) -> None:
    """Make the XMP packet of ``metadata`` say ``pdfuaid:part="1"`` beside the PDF/A part.

    WeasyPrint writes one variant's identification; a file both archival and accessible needs
    both in the same ``rdf:Description``, so its metadata generator is wrapped.
    """
    generate: Callable[[str, int, Any], bytes] = metadata.generate_rdf_metadata

    def both(variant: str, version: int, conformance: Any) -> bytes:
        rdf = ElementTree.fromstring(generate(variant, version, conformance))
        description = rdf.find(f"{{{RDF}}}Description")
        assert description is not None
        description.set(f"{{{PDFUA}}}part", "1")
        # bytes for any encoding but "unicode" (typeshed says Any for an encoding by name)
        packet: bytes = ElementTree.tostring(rdf, encoding="utf-8")
        return packet

    metadata.generate_rdf_metadata = both


def _pdf(html: str, *, archive: bool = False) -> bytes:
    from weasyprint import HTML

    document = HTML(string=html, base_url=None).render()
    if archive:
        _declare_pdf_ua(document.metadata)
        result: bytes = document.write_pdf(pdf_variant="pdf/a-3b", pdf_tags=True)
    else:
        result = document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=True)
    return result


def _base(report: Report) -> dict[str, Any]:
    return {
        "report": report,
        "cycle": report.cycle,
        "publication": report.publication,
        "methodology": report.methodology,
        "example": report.example,
        "warning": example_warning(),
        "places": report.places,
        "rounding": rounding_text(report.places),
        "has_merged": any(r.comparison.basis == "merged" for r in report.rows),
        "has_previous": any(r.comparison.basis != "none" for r in report.rows),
        "no_group_colour": NO_GROUP_COLOUR,
        "letterhead": heading(report),
        "created": timezone.localtime(report.publication.published_at).isoformat(
            timespec="seconds"
        ),
    }


def cycle_pdf(report: Report, *, archive: bool = False) -> bytes:
    """The cycle report: heading, ranking, components, charts, summary, map (provinces), signer.

    ``archive``: the PDF/A-3b copy to keep, always in Vietnamese (:func:`archive_pdf`).
    """
    total = report.stat("total")
    first = report.rows[0] if report.rows else None
    last = report.rows[-1] if report.rows else None
    context = {
        **_base(report),
        "total": total,
        "first": first,
        "last": last,
        "histogram": _img(charts.histogram(report)) if report.rows else None,
        "component_chart": _img(charts.component_means(report)) if report.rows else None,
        "group_chart": _img(charts.groups(report)) if report.rows else None,
        "group_counts": report.group_counts(),
        "map": _img(charts.province_map(report)) if report.rows else None,
        "field_stats": [s for s in report.stats if s[0] != "total"],
    }
    return _pdf(render_to_string("reports/pdf/cycle.html", context), archive=archive)


def archive_pdf(report: Report) -> bytes:
    """The cycle report to archive with the publication: Vietnamese, PDF/A-3b, tagged.

    The same publication gives the same bytes (its time is the creation date, the file
    identifier is a digest of the content), so the copy can be checked by its hash.
    """
    with translation.override(ARCHIVE_LANGUAGE):
        return cycle_pdf(report, archive=True)


@dataclass
class HistoryLine:
    year: int
    cycle: str
    index: Decimal | None
    rank: int | None
    units: int
    basis: str


def history(report: Report, code: str) -> list[HistoryLine]:
    """The unit's published indices, this year first, then earlier years of the same series.

    The year before uses the comparison (a merged unit compares with its predecessors' mean);
    earlier years follow the same unit code.
    """
    row = report.row(code)
    assert row is not None
    lines = [
        HistoryLine(report.cycle.year, report.cycle.name, row.index, row.rank, len(report.rows), "")
    ]
    previous: Published | None = report.published.previous
    if previous is not None and row.comparison.basis != "none":
        lines.append(
            HistoryLine(
                previous.cycle.year,
                previous.cycle.name,
                row.comparison.previous_index,
                row.comparison.previous_rank,
                len(previous.results["units"]),
                row.basis,
            )
        )
        codes = set(row.comparison.predecessors)
        seen = {previous.cycle.pk, report.cycle.pk}
        earlier = previous.previous
        while earlier is not None and len(codes) == 1 and earlier.cycle.pk not in seen:
            seen.add(earlier.cycle.pk)
            found = next((u for u in earlier.results["units"] if u["unit"] in codes), None)
            if found is None:
                break
            lines.append(
                HistoryLine(
                    earlier.cycle.year,
                    earlier.cycle.name,
                    Decimal(found["index"]),
                    int(found["rank"]),
                    len(earlier.results["units"]),
                    row.basis,
                )
            )
            earlier = earlier.previous
    return lines


@dataclass
class Lost:
    code: str
    name: str
    level: int
    max_points: Decimal
    points: Decimal
    lost: Decimal


def points_lost(report: Report, code: str) -> list[Lost]:
    """The leaves where the unit did not get the maximum, most points lost first."""
    row = report.row(code)
    assert row is not None
    m = report.methodology
    out = []
    order = {leaf.code: i for i, leaf in enumerate(m.leaves)}
    for leaf in m.leaves:
        node = row.nodes.get(leaf.code)
        if node is None:
            continue
        if node.lost > 0:
            out.append(
                Lost(
                    leaf.code,
                    leaf.name,
                    m.level(leaf.code),
                    node.max_points,
                    node.points,
                    node.lost,
                )
            )
    out.sort(key=lambda x: (-x.lost, order[x.code]))
    return out


def unit_pdf(report: Report, code: str) -> bytes:
    """One unit's report: total and components against the mean and the best, history, losses."""
    row = report.row(code)
    assert row is not None
    total = report.stat("total")
    fields = [
        {
            "node": f,
            "points": row.fields[f.code][0],
            "index": row.fields[f.code][1],
            "mean": report.stat(f.code).get("mean"),
            "best": report.best(f.code),
        }
        for f in report.fields
        if f.code in row.fields
    ]
    lost = points_lost(report, code)
    context = {
        **_base(report),
        "row": row,
        "unit": report.published.units.get(code),
        "total": total,
        "best_index": max(r.index for r in report.rows),
        "fields": fields,
        "history": history(report, code),
        "lost": lost,
        "lost_total": sum((x.lost for x in lost), Decimal(0)),
        "profile_chart": _img(charts.unit_profile(report, code)),
        "count": len(report.rows),
    }
    return _pdf(render_to_string("reports/pdf/unit.html", context))
