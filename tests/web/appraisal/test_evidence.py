"""A new document sent with an explanation passes the same check of its bytes as any upload."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from evidence_samples import PNG, REFUSED

from parindex_web.audit.models import AuditRecord
from parindex_web.cycles.models import Evidence, Explanation

from .conftest import LOWERED

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def explain(client, world, file):
    entry = world.entry(LOWERED)
    payload = {f"e{entry.pk}-text": "Đơn vị đã ban hành kế hoạch", f"e{entry.pk}-file": file}
    return client.post(f"/appraisal/{world.assessment.pk}/explanations/{entry.pk}/", payload)


def stored(settings) -> tuple[int, int, int, int]:
    """Files under MEDIA_ROOT, evidence rows, explanations, audit records."""
    files = sum(1 for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())
    counts = (Evidence.objects.count(), Explanation.objects.count(), AuditRecord.objects.count())
    return (files, *counts)


def test_the_document_is_stored_with_the_type_its_bytes_are(client, world):
    world.to_explanation_phase()
    client.force_login(world.officer)
    r = explain(client, world, SimpleUploadedFile("bao-cao.pdf", PNG, "application/pdf"))
    assert r.status_code == 302
    assert world.entry(LOWERED).explanations.get().evidence.get().content_type == "image/png"


@pytest.mark.parametrize(
    ("name", "data", "declared", "named"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED]
)
def test_a_refused_document_shows_the_form_again_and_stores_nothing(
    client, parse, settings, world, name, data, declared, named
):
    world.to_explanation_phase()
    client.force_login(world.officer)
    before = stored(settings)
    r = explain(client, world, SimpleUploadedFile(name, data, declared))
    assert r.status_code == 400
    form = parse(r.content).find("form", class_="stacked-form explain-form")
    assert named in form.text
    assert stored(settings) == before
