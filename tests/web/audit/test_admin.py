"""The admin shows the audit trail read-only: no adding, editing or deleting records."""

import pytest

from parindex_web.audit.models import AuditRecord, record

pytestmark = pytest.mark.django_db


def test_the_admin_lists_records_but_cannot_change_them(admin_client):
    before = AuditRecord.objects.count()  # the admin account's own powers are recorded
    rec = record(None, "test", field="f", old=1, new=2)
    assert admin_client.get("/admin/audit/auditrecord/").status_code == 200
    assert admin_client.get("/admin/audit/auditrecord/add/").status_code == 403
    assert admin_client.post(f"/admin/audit/auditrecord/{rec.pk}/delete/").status_code == 403
    page = admin_client.get(f"/admin/audit/auditrecord/{rec.pk}/change/")
    assert page.status_code == 200  # view only
    assert b'name="_save"' not in page.content
    assert AuditRecord.objects.count() == before + 1
