"""Methodologies stored as their source text; the core parses and validates them."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

import parindex


@lru_cache(maxsize=64)
def _parse(text: str, fmt: str, name: str) -> parindex.Methodology:
    if fmt == Methodology.Format.CSV:
        m = parindex.parse_methodology_csv(text, name)
    else:
        m = parindex.parse_methodology_yaml(text, name)
    return parindex.ensure_valid(m, name)


class Methodology(models.Model):
    """A versioned criteria set. ``source_text`` is the single truth; the rest is read from it."""

    class Format(models.TextChoices):
        YAML = "yaml", "YAML"
        CSV = "csv", "CSV"

    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=300, blank=True)
    unit_type = models.CharField(_("unit type"), max_length=40, blank=True)
    example = models.BooleanField(_("example (not official)"), default=False)
    decision_number = models.CharField(_("decision"), max_length=80, blank=True)
    source_format = models.CharField(
        _("format"), max_length=8, choices=Format.choices, default=Format.YAML
    )
    source_text = models.TextField(_("methodology file"))
    sha256 = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("methodology")
        verbose_name_plural = _("methodologies")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name or self.slug

    def clean(self) -> None:
        """Refuse a file the core cannot read or validate, listing every problem."""
        try:
            _parse(self.source_text, self.source_format, self.slug or "methodology")
        except parindex.ParindexError as exc:
            raise ValidationError({"source_text": [str(p) for p in exc.problems]}) from None

    def save(self, *args: Any, **kwargs: Any) -> None:
        core = self.core()
        self.sha256 = hashlib.sha256(self.source_text.encode("utf-8")).hexdigest()
        self.name = self.name or core.name
        self.unit_type = self.unit_type or core.unit_type
        self.example = self.example or core.example
        self.decision_number = self.decision_number or core.decision.number
        super().save(*args, **kwargs)

    def core(self) -> parindex.Methodology:
        """The parsed, validated methodology (cached by content)."""
        return _parse(self.source_text, self.source_format, self.slug or "methodology")

    @classmethod
    def from_file(cls, path: Path, slug: str | None = None) -> Methodology:
        """An unsaved methodology read from a YAML or interchange CSV file."""
        fmt = cls.Format.CSV if path.suffix.lower() == ".csv" else cls.Format.YAML
        return cls(
            slug=slug or path.stem,
            source_format=fmt,
            source_text=path.read_text(encoding="utf-8-sig"),
        )
