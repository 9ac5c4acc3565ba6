"""Evidence documents: the upload (type found in its bytes, stored once by content hash) and
the documents of a leaf."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any, BinaryIO, cast

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Case, Q, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import parindex
from parindex.filetypes import KNOWN_TYPES, LABELS
from parindex_web.audit.models import AuditRecord, append
from parindex_web.audit.models import entry as audit_entry
from parindex_web.lib.users import User

from .. import storage
from ..models import (
    Assessment,
    Entry,
    Evidence,
    Phase,
)
from .entries import _evidence_change, _units_documents, require_appraisal_leaf
from .errors import CycleError, EvidenceRefused
from .phases import require_officer_can_edit, require_phase


@transaction.atomic
def link_evidence(user: User, entry: Entry, documents: Iterable[Evidence | int]) -> None:
    """Officer: make ``documents`` (the unit's documents, or their ids) exactly those of a leaf.

    Refuses with :class:`CycleError` (and changes nothing) unless the officer can edit the
    self-assessment (its phase, before the deadline, not signed off), the leaf is scored by
    appraisal (not from surveys or service data), and every document is one of the same
    assessment's. Audited as ``entry.evidence`` with the sorted ids before and after, only when
    the set changes.
    """
    assessment = entry.assessment
    require_officer_can_edit(assessment)
    require_appraisal_leaf(assessment.cycle.core(), entry.code)
    ids = [d.pk if isinstance(d, Evidence) else int(d) for d in documents]
    append(_evidence_change(user, entry, exactly=_units_documents(assessment, ids)))


_FOUND = {
    "application/x-executable": gettext_lazy("an executable program"),
    "application/x-msdownload": gettext_lazy("a Windows program"),
    "text/x-shellscript": gettext_lazy("a script"),
    "text/html": gettext_lazy("an HTML page"),
    "image/svg+xml": gettext_lazy("an SVG image"),
    "application/xml": gettext_lazy("an XML document"),
    "application/x-ole-storage": gettext_lazy(
        "an OLE2 compound file that is not a Word or Excel document"
    ),
    "application/vnd.ms-office.vbaProject": gettext_lazy("an Office document with macros"),
    "application/octet-stream": gettext_lazy("a file of unknown type"),
}


def accepted_types() -> str:
    """The accepted evidence types as people know them: "PDF, JPEG, PNG, …"."""
    return ", ".join(LABELS.get(t, t) for t in settings.PARINDEX_EVIDENCE_TYPES)


def evidence_type(upload: UploadedFile[bytes]) -> str:
    """The upload's MIME type, found in its bytes by the core (the declared type and the name's
    extension are not trusted); :class:`EvidenceRefused`, saying what it is, when refused."""
    name = upload.name or ""
    try:
        found = parindex.detect_file_type(
            cast(BinaryIO, upload), name, settings.PARINDEX_EVIDENCE_TYPES
        )
    except parindex.FileTypeError as exc:
        raise EvidenceRefused(_file_type_message(exc)) from None
    return found.mime


def _file_type_message(exc: parindex.FileTypeError) -> str:
    p, allowed = exc.params, accepted_types()
    if exc.code == "dangerous_name":
        return _(
            "The file name “%(name)s” ends in %(extension)s, a kind of file that runs a program "
            "or opens as a web page: it is not accepted. Accepted types: %(allowed)s."
        ) % {**p, "allowed": allowed}
    if exc.code == "empty":
        return _("The file is empty.")
    if exc.code == "damaged":
        return _(
            "The file starts as a ZIP archive (as Word and Excel documents do) but cannot be "
            "read: it is damaged or incomplete."
        )
    found = p["found"]
    if found in _FOUND:
        label = str(_FOUND[found])
    elif found in KNOWN_TYPES:  # a known type this installation does not accept
        label = _("a %(type)s file") % {"type": p["label"]}
    else:
        label = _("a file of type “%(type)s”") % {"type": p["label"]}
    return _("This file is %(found)s (%(mime)s), not one of the accepted types: %(allowed)s.") % {
        "found": label,
        "mime": found,
        "allowed": allowed,
    }


@transaction.atomic
def add_evidence(
    user: User,
    assessment: Assessment,
    upload: UploadedFile[bytes],
    *,
    doc_number: str = "",
    doc_date: Any = None,
    issuer: str = "",
    entry: Entry | None = None,
) -> Evidence:
    """Store an evidence file by content hash (once per unit and cycle), optionally on a leaf.

    ``entry`` must be a leaf of the same assessment (else :class:`CycleError`); the document is
    added to its documents. The new document and the leaf's new list are audited together.
    """
    if entry is not None and entry.assessment_id != assessment.pk:
        raise CycleError(_("Only the unit's own documents can be attached to its criteria."))
    if entry is None and assessment.cycle.phase == Phase.EXPLANATION:
        require_phase(assessment.cycle, Phase.EXPLANATION)  # documents for an explanation
    else:
        require_officer_can_edit(assessment)
    limit = settings.PARINDEX_EVIDENCE_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise CycleError(
            _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}, "file"
        )
    content_type = evidence_type(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    sha = digest.hexdigest()
    records: list[AuditRecord] = []
    # One read answers both "does the unit have it already?" (its own row first) and "are
    # these bytes stored for another unit?" (share that file rather than write it again).
    stored = (
        Evidence.objects.filter(sha256=sha)
        .filter(Q(assessment=assessment) | ~Q(file=""))
        .order_by(Case(When(assessment=assessment, then=0), default=1), "pk")
        .first()
    )
    evidence = stored if stored is not None and stored.assessment_id == assessment.pk else None
    if evidence is None:
        evidence = Evidence(
            assessment=assessment,
            sha256=sha,
            size=upload.size,
            content_type=content_type,
            original_name=(upload.name or "document")[:255],
            doc_number=doc_number,
            doc_date=doc_date,
            issuer=issuer,
            uploaded_by=user,
        )
        if stored is not None:  # the same bytes are already stored: share the file
            evidence.file.name = stored.file.name
        else:
            evidence.file.name = storage.store(upload.chunks(), sha)  # whole or not at all
        evidence.save()
        records += [
            audit_entry(
                user,
                "evidence.add",
                obj=evidence,
                cycle_id=assessment.cycle_id,
                unit_code=assessment.unit.code,
                phase=assessment.cycle.phase,
                field="file",
                new=f"{evidence.original_name} sha256:{sha}",
            )
        ]
    if entry is not None:
        records += _evidence_change(user, entry, adding=[evidence])
    append(records)
    return evidence
