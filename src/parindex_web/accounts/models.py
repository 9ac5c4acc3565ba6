"""Roles: who may do what, for which assessing body or unit.

A user may hold several memberships (for example an appraiser of the Ministry of Home Affairs who
is also a secretariat member). Object-level checks live in :mod:`parindex_web.cycles.access`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    APPRAISER = "appraiser", _("Appraiser")
    OFFICER = "officer", _("Unit officer")
    LEADER = "leader", _("Unit leader")


BODY_ROLES = (Role.SECRETARIAT, Role.APPRAISER)
UNIT_ROLES = (Role.OFFICER, Role.LEADER)


class Membership(models.Model):
    """One role of a user: in an assessing body (secretariat, appraiser) or a unit (officer, leader)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    body = models.ForeignKey(
        "units.AssessingBody",
        verbose_name=_("assessing body"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
    )
    # The role as stored before a save, kept by the audit signals for the record after it.
    _audit_before: str

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=[r.value for r in BODY_ROLES], body__isnull=False, unit__isnull=True)
                    | Q(
                        role__in=[r.value for r in UNIT_ROLES],
                        unit__isnull=False,
                        body__isnull=True,
                    )
                ),
                name="membership_scope_fits_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "body", "unit"], name="unique_membership"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.body or self.unit}"
