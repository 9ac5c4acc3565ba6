"""Properties of the rates on random valid dossiers (hypothesis)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from parindex.services import read_dossiers
from parindex.services.rates import compute_indicators

from .helpers import csv_bytes, row

BASE = datetime(2026, 9, 1, tzinfo=UTC) - timedelta(hours=7)  # 01/09/2026 00:00 in Vietnam
THROUGH = datetime(2027, 1, 31, tzinfo=UTC)
hours = st.integers(0, 400)


def at(hour: int) -> str:
    return (BASE + timedelta(hours=hour)).isoformat()


@st.composite
def dossiers(draw: st.DrawFn, name: str = "D", unit: str | None = None) -> dict[str, str]:
    received = draw(st.integers(0, 2000))
    fields = {
        "unit": unit or draw(st.sampled_from(["U1", "U2", "U3"])),
        "channel": draw(st.sampled_from(["online", "in_person", "postal"])),
        "submitted_at": at(received),
        "received_at": at(received),
        "due_at": at(received + draw(st.integers(1, 500))),
        "finished_at": "",
        "status": "processing",
    }
    last = received
    requests = draw(st.integers(0, 2))
    fields["supplement_requests"] = str(requests)
    supplied = False
    if requests:
        requested = received + draw(hours)
        fields["supplement_requested_at"] = at(requested)
        last = requested
        if draw(st.booleans()):
            supplied = True
            last = requested + draw(hours)
            fields["supplement_received_at"] = at(last)
    if draw(st.booleans()):
        fields["finished_at"] = at(last + draw(hours))
        fields["status"] = draw(st.sampled_from(["finished", "stopped", "withdrawn"]))
    elif requests and not supplied:
        fields["status"] = "supplement_requested"
    return row(name, **fields)


def _rows(records: list[dict[str, str]], period: str = "month"):  # type: ignore[no-untyped-def]
    data = read_dossiers("random.csv", data=csv_bytes(records))
    return compute_indicators(data, period, through=THROUGH)


@settings(max_examples=25, deadline=None)
@given(st.lists(dossiers(), min_size=1, max_size=12), st.sampled_from(["month", "quarter", "year"]))
def test_rates_lie_between_0_and_100_and_every_reception_is_counted_once(
    records: list[dict[str, str]], period: str
) -> None:
    records = [dict(r, dossier_id=f"D{n}") for n, r in enumerate(records)]
    rows = _rows(records, period)
    for r in rows:
        assert 0 <= r.numerator <= r.denominator
        assert r.rate is None or 0 <= r.rate <= 100
        assert r.points is None or 0 <= r.points <= 20
    received = sum(r.denominator for r in rows if r.indicator == "online_submission")
    assert received == len(records)


@settings(max_examples=25, deadline=None)
@given(dossiers(unit="U1"), st.integers(0, 400))
def test_a_dossier_finished_before_its_due_time_is_never_late(
    record: dict[str, str], early: int
) -> None:
    due = datetime.fromisoformat(record["due_at"])
    earliest = max(
        datetime.fromisoformat(record[c])
        for c in ("received_at", "supplement_requested_at", "supplement_received_at")
        if record[c]
    )
    finished = max(earliest, due - timedelta(hours=early))
    if finished > due or record["supplement_requests"] == "2":
        return
    record = dict(record, finished_at=finished.isoformat(), status="finished")
    for r in _rows([record]):
        if r.indicator == "on_time":
            assert r.numerator == r.denominator == 1


@settings(max_examples=25, deadline=None)
@given(dossiers(unit="U1"), st.integers(0, 300), st.integers(0, 300), st.integers(0, 300))
def test_a_longer_supplement_never_makes_a_finished_dossier_later(
    record: dict[str, str], wait: int, more: int, after: int
) -> None:
    requested = datetime.fromisoformat(record["received_at"]) + timedelta(hours=wait)
    shorter, longer = requested + timedelta(hours=wait), requested + timedelta(hours=wait + more)
    base = dict(
        record,
        supplement_requests="1",
        supplement_requested_at=requested.isoformat(),
        finished_at=(longer + timedelta(hours=after)).isoformat(),
        status="finished",
    )
    figures = [
        {
            r.period: r.numerator
            for r in _rows([dict(base, supplement_received_at=moment.isoformat())])
            if r.indicator == "on_time"
        }
        for moment in (shorter, longer)
    ]
    assert figures[0].keys() == figures[1].keys()
    assert all(figures[0][p] <= figures[1][p] for p in figures[0])
