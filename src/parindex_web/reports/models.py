"""What an assessing body's reports carry as an official document (Decree 30/2020/NĐ-CP).

One row per body, edited by the site's administrators (Django admin). Every field may stay
blank: the PDF then leaves an honest blank line where the decree wants the part, never an
invented value.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# The kind of document of every report: "BC" (báo cáo), Appendix III of the decree.
REPORT_KIND = "BC"


class Letterhead(models.Model):
    """The issuing body, the place and the signer of an assessing body's reports."""

    body = models.OneToOneField(
        "units.AssessingBody",
        verbose_name=_("assessing body"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="letterhead",
    )
    parent_body = models.CharField(
        _("governing body"),
        max_length=200,
        blank=True,
        help_text=_("The body directly above the issuer, e.g. ỦY BAN NHÂN DÂN TỈNH THỬ."),
    )
    issuer = models.CharField(
        _("issuing body"),
        max_length=200,
        blank=True,
        help_text=_("As it heads the document; blank: the assessing body's name."),
    )
    abbreviation = models.CharField(
        _("abbreviation of the issuing body"),
        max_length=30,
        blank=True,
        help_text=_("The part after BC- in the document's symbol, e.g. SNV."),
    )
    place = models.CharField(
        _("place name"),
        max_length=100,
        blank=True,
        help_text=_("The place before the date, e.g. Thử or Hà Nội."),
    )
    signer_authority = models.CharField(
        _("signing on behalf of"),
        max_length=100,
        blank=True,
        help_text=_("e.g. KT. GIÁM ĐỐC when a deputy signs; blank when the head signs."),
    )
    signer_position = models.CharField(_("signer's position"), max_length=100, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=100, blank=True)
    recipients = models.TextField(
        _("recipients"), blank=True, help_text=_("One per line, e.g. Bộ Nội vụ (để báo cáo);")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("report letterhead")
        verbose_name_plural = _("report letterheads")

    def __str__(self) -> str:
        return str(self.body)

    @property
    def recipient_lines(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]


def letterhead_version(body_id: int) -> str:
    """When the body's letterhead was last saved (a cache key part); "0" without one."""
    stamp = Letterhead.objects.filter(body_id=body_id).values_list("updated_at", flat=True).first()
    return "0" if stamp is None else str(stamp.timestamp())


class PublishedUnit(models.Model):
    """One unit's row of a publication's results, so that a page reads only the rows it shows.

    A copy of ``Publication.results_json["units"]``, made in the transaction that saves the
    publication (:func:`parindex_web.reports.stored.store_units`); the JSON document and its
    hash stay the published record. ``row_json`` is the unit's row exactly as in the document;
    ``index`` is its text, with the published places.

    Publishing writes the rows first as a *draft* (no publication, ``draft`` its token, in
    short transactions: :func:`parindex_web.reports.stored.stage`) and gives them their
    publication in the one short transaction that saves it, so no reader sees a half-written
    version; a draft left by a publication that failed is deleted by the next publication of
    its cycle or by ``manage.py clean_publications``.
    """

    publication = models.ForeignKey(
        "cycles.Publication", on_delete=models.CASCADE, related_name="unit_rows", null=True
    )
    # "<cycle id>:<token>" while the row belongs to a publication not saved yet, else "".
    draft = models.CharField(max_length=64, blank=True, default="")
    staged_at = models.DateTimeField(null=True, blank=True)
    unit_code = models.CharField(max_length=64)
    rank = models.PositiveIntegerField()
    index = models.CharField(max_length=32)
    group = models.CharField(max_length=200, blank=True)
    row_json = models.JSONField()
    # The row with its fields only (the nodes of level 1): what a ranking shows of the unit.
    fields_json = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("published unit result")
        verbose_name_plural = _("published unit results")
        ordering = ["publication", "rank", "unit_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "unit_code"], name="unique_published_unit"
            )
        ]
        indexes = [
            models.Index(fields=["publication", "rank"], name="published_unit_rank"),
            models.Index(fields=["draft"], name="published_unit_draft"),
        ]

    def __str__(self) -> str:
        return f"{self.publication_id} {self.unit_code}"


class PublishedHeader(models.Model):
    """A publication's results without their units (places, bands, statistics, methodology), so
    that a page reads them without the whole results document. Written with the unit rows."""

    publication = models.OneToOneField(
        "cycles.Publication",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="results_header",
    )
    header_json = models.JSONField()

    class Meta:
        verbose_name = _("published results header")
        verbose_name_plural = _("published results headers")

    def __str__(self) -> str:
        return str(self.publication_id)
