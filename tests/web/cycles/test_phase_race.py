"""Two secretaries opening the next phase at once move the cycle one step, not two."""

import pytest

from parindex_web.audit.models import AuditRecord
from parindex_web.cycles import services
from parindex_web.cycles.models import Cycle, Phase

pytestmark = pytest.mark.django_db


def test_a_stale_copy_cannot_move_the_phase_again(flow, cycle):
    mine = Cycle.objects.get(pk=cycle.pk)
    theirs = Cycle.objects.get(pk=cycle.pk)
    services.advance_phase(flow.people.secretariat, theirs)
    with pytest.raises(services.CycleError, match="vừa chuyển giai đoạn"):
        services.advance_phase(flow.people.secretariat, mine)
    cycle.refresh_from_db()
    assert cycle.phase == Phase.SELF_ASSESSMENT
    assert AuditRecord.objects.filter(action="cycle.phase").count() == 1


def test_a_fresh_copy_moves_on(flow, cycle):
    services.advance_phase(flow.people.secretariat, Cycle.objects.get(pk=cycle.pk))
    services.advance_phase(flow.people.secretariat, Cycle.objects.get(pk=cycle.pk))
    cycle.refresh_from_db()
    assert cycle.phase == Phase.APPRAISAL
