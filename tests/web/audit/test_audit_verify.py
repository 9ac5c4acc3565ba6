"""manage.py audit_verify: exit 0 and "intact", or non-zero with every finding on stderr."""

from io import StringIO

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import connections

from parindex_web.audit.models import AuditRecord, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(db):
    return [record(None, "test", field="f", old=i, new=i + 1) for i in range(4)]


def test_it_reports_an_intact_trail(chain):
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert out.getvalue() == "audit trail intact: 4 records\n"


def test_it_lists_every_finding_and_fails(chain):
    AuditRecord.objects.filter(pk=chain[1].pk).update(new_value="x")
    AuditRecord.objects.filter(pk=chain[3].pk).delete()
    err = StringIO()
    with pytest.raises(CommandError, match="2 problem"):
        call_command("audit_verify", stderr=err)
    lines = err.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"record {chain[1].pk}: the content does not match its hash")
    assert lines[1].startswith("chain head: the chain holds 3 records")


def test_run_from_the_command_line_it_exits_0_or_1(chain, capsys, monkeypatch):
    # run_from_argv closes the connections when it ends: keep the test's transaction open
    monkeypatch.setattr(connections, "close_all", lambda: None)
    ManagementUtility(["manage.py", "audit_verify"]).execute()
    assert "intact" in capsys.readouterr().out
    AuditRecord.objects.filter(pk=chain[0].pk).update(reason="forged")
    with pytest.raises(SystemExit) as exc:
        ManagementUtility(["manage.py", "audit_verify"]).execute()
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert f"record {chain[0].pk}: the content does not match its hash" in err
    assert "the audit trail is broken: 1 problem(s)" in err
