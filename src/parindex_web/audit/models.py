"""The audit trail: every change, hash-chained so that an edited or deleted record shows.

Each record's ``hash`` is SHA-256 over the previous record's hash and this record's canonical
JSON. ``ChainHead`` holds the last hash and the count; appending locks it (``SELECT … FOR
UPDATE``), so concurrent writers form one chain. ``verify()`` recomputes the chain.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parindex_web.lib.sql import insert_rows
from parindex_web.lib.users import User, Visitor

GENESIS = "0" * 64
P = ParamSpec("P")


class ChainHead(models.Model):
    """A single row: the last hash of the chain and how many records it holds."""

    last_hash = models.CharField(max_length=64, default=GENESIS)
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("audit chain head")


class AuditRecord(models.Model):
    """Who changed what, when, in which phase, from which value to which, and why."""

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(_("who"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=60)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=60, blank=True)
    cycle_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    unit_code = models.CharField(max_length=40, blank=True)
    code = models.CharField(_("leaf"), max_length=40, blank=True)
    phase = models.CharField(_("phase"), max_length=20, blank=True)
    field = models.CharField(_("field"), max_length=60, blank=True)
    old_value = models.TextField(_("old value"), blank=True)
    new_value = models.TextField(_("new value"), blank=True)
    reason = models.TextField(_("reason"), blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        ordering = ["pk"]
        indexes = [models.Index(fields=["cycle_id", "unit_code", "code"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"

    def payload(self) -> str:
        """The canonical JSON that the hash covers."""
        data = {
            "at": self.at.isoformat(),
            "actor": self.actor_id,
            "actor_name": self.actor_name,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "cycle_id": self.cycle_id,
            "unit_code": self.unit_code,
            "code": self.code,
            "phase": self.phase,
            "field": self.field,
            "old_value": self.old_value,
            "new_value": self.new_value,
            "reason": self.reason,
        }
        return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    def compute_hash(self) -> str:
        return hashlib.sha256((self.prev_hash + self.payload()).encode("utf-8")).hexdigest()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


def entry(
    actor: Visitor | None,
    action: str,
    *,
    obj: models.Model | None = None,
    cycle_id: int | None = None,
    unit_code: str = "",
    code: str = "",
    phase: str = "",
    field: str = "",
    old: Any = None,
    new: Any = None,
    reason: str = "",
) -> AuditRecord:
    """A record not yet in the chain: pass it (with others) to :func:`append`."""
    user = actor if isinstance(actor, User) and actor.is_authenticated else None
    return AuditRecord(
        at=timezone.now(),
        actor=user,
        actor_name=user.get_username() if user is not None else "system",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        cycle_id=cycle_id,
        unit_code=unit_code,
        code=code,
        phase=phase,
        field=field,
        old_value=_text(old),
        new_value=_text(new),
        reason=reason,
    )


#: From this many records on (a survey and data import of a national cycle: 66,000), :func:`append`
#: writes them as prepared rows (:func:`~parindex_web.lib.sql.insert_rows`): ``bulk_create`` compiles its SQL at
#: about 0.3 ms a record, most of such an import's time. Their ``pk`` is then not set.
MANY = 1000


def _insert_many(records: list[AuditRecord]) -> None:
    """INSERT ``records`` in their order (ids follow it, which :func:`verify` reads), as
    prepared rows: text columns as they are, the others through their field's preparation."""
    fields = [f for f in AuditRecord._meta.concrete_fields if not f.primary_key]
    db = transaction.get_connection()  # resolved once, not per value
    plain = {f.attname for f in fields if isinstance(f, models.CharField | models.TextField)}
    prepare = [(f.attname, None if f.attname in plain else f.get_db_prep_save) for f in fields]
    rows = [
        [
            getattr(rec, name) if prep is None else prep(getattr(rec, name), db)
            for name, prep in prepare
        ]
        for rec in records
    ]
    columns = [f.get_attname_column()[1] or f.name for f in fields]
    insert_rows(db, AuditRecord._meta.db_table, columns, rows)


def append(records: list[AuditRecord]) -> list[AuditRecord]:
    """Add ``records`` to the chain in their order (inside the caller's transaction, or its own).

    The chain head stays locked until the transaction ends, and every writer waits for it:
    one change's records are appended together, as late as possible, in one INSERT, so the
    lock is held for three statements however many fields changed. No savepoint: a record
    that fails must take the caller's whole change down with it (an unaudited change must not
    be committed), and on PostgreSQL the two statements a savepoint costs are a tenth of a
    save's round trips.
    """
    if not records:
        return records
    with transaction.atomic(savepoint=False):
        head, _created = ChainHead.objects.select_for_update().get_or_create(pk=1)
        last = head.last_hash
        for rec in records:
            rec.prev_hash = last
            rec.hash = last = rec.compute_hash()
        if len(records) == 1:
            records[0].save()
        elif len(records) >= MANY:
            _insert_many(records)
        else:
            # Rows get their ids in list order (one INSERT), which verify() follows.
            AuditRecord.objects.bulk_create(records)
        head.last_hash, head.count = last, head.count + len(records)
        head.save(update_fields=["last_hash", "count"])
    return records


def _appended(make: Callable[P, AuditRecord]) -> Callable[P, AuditRecord]:
    """``make`` followed by :func:`append`, with ``make``'s signature (as ``inspect`` shows)."""

    @functools.wraps(make, assigned=("__module__",))  # keeps __wrapped__, not entry's doc
    def appended(*args: P.args, **kwargs: P.kwargs) -> AuditRecord:
        """The record built from these arguments, appended to the chain now."""
        return append([make(*args, **kwargs)])[0]

    return appended


#: Append one record to the chain now: :func:`entry`'s arguments, then :func:`append`.
record = _appended(entry)


@dataclass(frozen=True)
class Finding:
    """A break in the chain: the record (or None for the head) and what is wrong."""

    record_id: int | None
    message: str


def verify() -> list[Finding]:
    """Recompute the chain; return every break found (empty: intact)."""
    findings: list[Finding] = []
    prev, count = GENESIS, 0
    for rec in AuditRecord.objects.order_by("pk").iterator():
        count += 1
        if rec.prev_hash != prev:
            findings.append(
                Finding(rec.pk, "the link to the previous record is broken (deleted or inserted)")
            )
        if rec.compute_hash() != rec.hash:
            findings.append(Finding(rec.pk, "the content does not match its hash (it was edited)"))
        prev = rec.hash
    head = ChainHead.objects.filter(pk=1).first()
    expected_hash, expected_count = (head.last_hash, head.count) if head else (GENESIS, 0)
    if count != expected_count or prev != expected_hash:
        message = (
            f"the chain holds {count} records ending in {prev[:12]}…, the head expects "
            f"{expected_count} ending in {expected_hash[:12]}… (records were deleted at the end)"
        )
        findings.append(Finding(None, message))
    return findings
