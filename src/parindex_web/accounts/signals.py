"""Every change of a role, of an account's powers or of its second factor goes into the audit
trail.

Roles (memberships) and the account flags and permissions that open the admin can be changed in
the admin, the shell or a command; signals catch them all. The actor is the signed-in user of
the request (:mod:`parindex_web.audit.context`), "system" otherwise.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from parindex_web.audit.context import current_actor
from parindex_web.audit.models import record

from .models import Membership

FLAGS = ("is_active", "is_staff", "is_superuser")


def describe(m: Membership) -> str:
    """``officer @ unit x01`` / ``secretariat @ body bnv``: stable, language-free."""
    if m.unit is not None:
        return f"{m.role} @ unit {m.unit.code}"
    return f"{m.role} @ body {m.body.code if m.body is not None else '?'}"


def _membership_record(m: Membership, action: str, old: str, new: str) -> None:
    record(
        current_actor(),
        action,
        obj=m,
        unit_code=m.unit.code if m.unit is not None else "",
        field="role",
        old=old or None,
        new=new or None,
        reason=f"user {m.user.get_username()}",
    )


def _before_membership_save(sender: Any, instance: Membership, **kwargs: Any) -> None:
    if instance.pk is not None:
        stored = Membership.objects.filter(pk=instance.pk).first()
        instance._audit_before = describe(stored) if stored is not None else ""


def _after_membership_save(sender: Any, instance: Membership, created: bool, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # fixtures being loaded
        return
    before = "" if created else getattr(instance, "_audit_before", "")
    after = describe(instance)
    if before != after:
        action = "membership.granted" if not before else "membership.changed"
        _membership_record(instance, action, before, after)


def _after_membership_delete(sender: Any, instance: Membership, **kwargs: Any) -> None:
    _membership_record(instance, "membership.revoked", describe(instance), "")


def _before_user_save(sender: Any, instance: Any, **kwargs: Any) -> None:
    instance._audit_flags = None
    fields = kwargs.get("update_fields")
    if fields is not None and not set(FLAGS) & set(fields):
        return  # e.g. last_login at every sign-in: no power changes, no extra query
    if instance.pk is not None:
        stored = sender.objects.filter(pk=instance.pk).values(*FLAGS).first()
        instance._audit_flags = stored


def _after_user_save(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    before = None if created else getattr(instance, "_audit_flags", None)
    for flag in FLAGS:
        new = getattr(instance, flag)
        old = before.get(flag) if before is not None else None
        # A new account is recorded only for the powers it starts with beyond a plain login.
        if (created and flag != "is_active" and new) or (before is not None and old != new):
            record(
                current_actor(),
                "user.flag",
                obj=instance,
                field=flag,
                old=old,
                new=new,
                reason=f"user {instance.get_username()}",
            )


def _user_m2m_changed(sender: Any, instance: Any, action: str, pk_set: Any, **kwargs: Any) -> None:
    if action not in ("post_add", "post_remove", "post_clear") or not isinstance(
        instance, get_user_model()
    ):
        return  # changes seen from the group's or permission's side are not user grants
    field = "groups" if sender is get_user_model().groups.through else "user_permissions"
    ids = ",".join(str(pk) for pk in sorted(pk_set or ()))
    record(
        current_actor(),
        f"user.{field}",
        obj=instance,
        field=field,
        old=ids if action != "post_add" else None,
        new=ids if action == "post_add" else None,
        reason=f"user {instance.get_username()}: {action.removeprefix('post_')}",
    )


def _after_device_save(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """A TOTP device counts from its confirmation (set-up page), or its creation confirmed."""
    fields = kwargs.get("update_fields")
    if instance.confirmed and (created or (fields is not None and "confirmed" in fields)):
        _device_record(instance, "otp.device_added", old=None, new="totp")


def _after_device_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.confirmed:  # a set-up never finished is no second factor
        _device_record(instance, "otp.device_removed", old="totp", new=None)


def _device_record(device: Any, action: str, *, old: Any, new: Any) -> None:
    record(
        current_actor(),
        action,
        obj=device.user,
        field="second_factor",
        old=old,
        new=new,
        reason=f"user {device.user.get_username()}: device {device.name}",
    )


def connect() -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    post_save.connect(_after_device_save, sender=TOTPDevice, dispatch_uid="audit-otp-save")
    post_delete.connect(_after_device_delete, sender=TOTPDevice, dispatch_uid="audit-otp-del")
    user = get_user_model()
    pre_save.connect(_before_membership_save, sender=Membership, dispatch_uid="audit-m-pre")
    post_save.connect(_after_membership_save, sender=Membership, dispatch_uid="audit-m-post")
    post_delete.connect(_after_membership_delete, sender=Membership, dispatch_uid="audit-m-del")
    pre_save.connect(_before_user_save, sender=user, dispatch_uid="audit-u-pre")
    post_save.connect(_after_user_save, sender=user, dispatch_uid="audit-u-post")
    for through in (user.groups.through, user.user_permissions.through):
        m2m_changed.connect(_user_m2m_changed, sender=through, dispatch_uid=f"audit-{through}")
