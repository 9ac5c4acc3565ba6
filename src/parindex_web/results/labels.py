"""Words for what a published result carries: its sources and how a change was worked out.

One wording for the public pages, the profile, the downloads (PDF, workbook) and their twins;
the codes are the core's (:class:`parindex.Source`, :attr:`parindex.Comparison.basis`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

import parindex


def source_label(source: str) -> str:
    """Where a leaf's points come from, in words (unknown codes as given)."""
    labels = {
        parindex.Source.APPRAISAL.value: _("Self-assessment and appraisal"),
        parindex.Source.SURVEY.value: _("Sociological survey"),
        parindex.Source.SIPAS.value: _("Satisfaction survey (SIPAS)"),
        parindex.Source.DATA.value: _("Service data"),
    }
    return labels.get(source, source)


def basis_label(basis: str, predecessors: Iterable[str]) -> str:
    """How a change since the previous cycle was worked out, ``predecessors`` by name."""
    units = ", ".join(predecessors)
    if basis == "same":
        return _("the same unit")
    if basis == "successor":
        return _("successor of %(units)s") % {"units": units}
    if basis == "merged":
        return _("mean of merged units: %(units)s") % {"units": units}
    return _("no comparison")
