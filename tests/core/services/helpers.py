"""Dossier rows for the tests: the contract's header and rows built from keyword arguments."""

from __future__ import annotations

from parindex.services.contract import COLUMNS, REQUIRED

HEADER = list(REQUIRED)


def row(dossier_id: str = "D1", **fields: str) -> dict[str, str]:
    """A valid dossier row (finished on time, online, unit U1), with ``fields`` changed."""
    base = {
        "dossier_id": dossier_id,
        "procedure_code": "P1",
        "unit": "U1",
        "channel": "online",
        "submitted_at": "2026-10-01T08:00:00+07:00",
        "received_at": "2026-10-01T09:00:00+07:00",
        "due_at": "2026-10-10T17:00:00+07:00",
        "supplement_requests": "0",
        "supplement_requested_at": "",
        "supplement_received_at": "",
        "finished_at": "2026-10-03T10:00:00+07:00",
        "returned_at": "",
        "status": "finished",
    }
    base.update(fields)
    return base


def csv_bytes(rows: list[dict[str, str]], header: list[str] | None = None) -> bytes:
    """The CSV of ``rows`` under ``header`` (the contract's required columns by default)."""
    names = header or HEADER
    lines = [",".join(names)] + [",".join(r.get(name, "") for name in names) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


ALL = list(COLUMNS)
