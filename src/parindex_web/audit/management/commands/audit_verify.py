"""Check the audit trail's hash chain: exit 1 and list each break if a record was altered."""

from django.core.management.base import BaseCommand, CommandError

from parindex_web.audit.models import AuditRecord, verify


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain (detects edited and deleted records)."

    def handle(self, *args: object, **options: object) -> None:
        findings = verify()
        for finding in findings:
            where = f"record {finding.record_id}" if finding.record_id else "chain head"
            self.stderr.write(f"{where}: {finding.message}")
        if findings:
            raise CommandError(f"the audit trail is broken: {len(findings)} problem(s)")
        self.stdout.write(f"audit trail intact: {AuditRecord.objects.count()} records")
