"""The site's menu, built in one place from the user's roles: the same on every page.

A link is shown only to those it lets in (README, "Who sees what"): "My work" to the signed-in,
"Appraisal" to appraisers with an assignment and to the secretariat, the cycles and the
locked-out accounts to the secretariat, the Django admin to staff. ``base.html`` renders
:func:`menu` through the ``site_menu`` template tag.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from parindex_web.accounts.models import Role
from parindex_web.cycles import access
from parindex_web.lib.users import Visitor


@dataclass(frozen=True)
class Link:
    """A menu link; ``current`` when it is the page being shown."""

    name: str
    label: str
    url: str
    current: bool = False


@dataclass(frozen=True)
class Menu:
    """``main``: the site's pages; ``account``: the signed-in user's own pages (else empty)."""

    main: list[Link]
    account: list[Link]


def _link(name: str, label: str, path: str) -> Link:
    url = reverse(name)
    return Link(name, label, url, url == path)


def menu(user: Visitor, path: str = "") -> Menu:
    """The menu for ``user`` on the page at ``path`` (marks that page's link as current)."""
    signed_in = bool(getattr(user, "is_authenticated", False))
    secretariat = bool(access.body_ids(user, Role.SECRETARIAT))
    shown = [
        ("home:index", _("Home"), True),
        ("assessments:work", _("My work"), signed_in),
        ("results:index", _("Results"), True),
        ("appraisal:index", _("Appraisal"), secretariat or access.has_assignments(user)),
        ("secretariat:list", _("Index cycles"), secretariat),
        ("admin:index", _("Administration"), signed_in and user.is_staff),
    ]
    account = [
        ("api:tokens", _("API tokens"), signed_in),
        ("accounts:otp", _("Two-step sign-in"), signed_in),
        ("accounts:lockouts", _("Locked-out accounts"), secretariat),
    ]
    return Menu(
        [_link(name, label, path) for name, label, show in shown if show],
        [_link(name, label, path) for name, label, show in account if show],
    )


def administration(user: Visitor) -> list[Link]:
    """The home page's way into the administration, for those who may use it: the
    secretariat's cycles, and the Django admin for staff."""
    return [link for link in menu(user).main if link.name in ("secretariat:list", "admin:index")]
