"""``parindex services``: the Decision 766 indicators of a dossier file, and the procedure
catalogue's counts (docs/online-services.md).

``parindex services indicators SOURCE [--period month|quarter|year] [--through DD/MM/YYYY]
[--maximum ID=POINTS] [--quarantine FILE] [--out FILE]`` checks SOURCE (a dossier CSV or
Parquet file of the interchange contract, or a folder written by the store) and writes one CSV row per unit, period
and indicator with the columns :data:`COLUMNS` (a stable contract: columns may be added at the
end, never changed). A bad file is refused whole with a report (the count per reason and
examples naming the row, column and dossier id) and nothing is written; with ``--quarantine
FILE`` the good rows go on and the bad ones are written to FILE with their reasons; with
``--catalogue FILE`` an unknown procedure code is a problem of its row.

``parindex services catalogue FILE [--year YYYY] [--by agency|sector|level] [--out FILE]``
checks a procedure catalogue and writes the procedures in force at each year's end per group,
scheme and level (:data:`~parindex.services.catalogue.COUNT_COLUMNS`).
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from .calendar import PERIODS, VIETNAM

__all__ = ["COLUMNS", "add_services_commands"]

COLUMNS = ("unit", "period", "indicator", "numerator", "denominator", "rate", "points", "rank")
"""The columns of ``services indicators``' CSV, in order."""

Writer = Callable[[Path, Callable[[Path], object]], None]


def _date(text: str) -> datetime:
    try:
        day = datetime.strptime(text.strip(), "%d/%m/%Y")
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as DD/MM/YYYY, got {text!r}") from None
    return day.replace(tzinfo=VIETNAM)


def _maximum(text: str) -> tuple[str, str]:
    name, sep, points = text.partition("=")
    if not sep or not name.strip() or not points.strip():
        raise argparse.ArgumentTypeError(f"expected INDICATOR=POINTS, got {text!r}")
    return name.strip(), points.strip()


def _quarantine_csv(rejected: Sequence[Any], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow([*columns, "quarantine_row", "quarantine_reasons"])
    for item in rejected:
        reasons = "; ".join(f"{p.location.column or ''}: {p.message}" for p in item.problems)
        out.writerow([*(item.values.get(c, "") for c in columns), item.row, reasons])
    return buffer.getvalue()


def _cmd_indicators(args: argparse.Namespace, write: Writer) -> int:
    from . import COLUMNS as CONTRACT
    from . import (
        DossierError,
        compute_indicators,
        load_indicators,
        problem_summary,
        read_dossiers,
        rows_as_csv,
    )

    indicators = load_indicators(maxima=dict(args.maximum or []))
    source = Path(args.source)
    procedures = None
    if args.catalogue:
        from .catalogue import read_catalogue

        procedures = read_catalogue(Path(args.catalogue)).codes
    if source.is_dir():
        if procedures is not None:
            print("error: --catalogue checks a dossier file, not a folder", file=sys.stderr)
            return 2
        dossiers: Any = source
    else:
        try:
            dossiers = read_dossiers(
                source, procedures=procedures, quarantine=bool(args.quarantine)
            )
        except DossierError as error:
            count = len(error.problems)
            print(f"error: {source}: refused ({count} problems); nothing written", file=sys.stderr)
            for line in problem_summary(error.problems, error.dossier_ids):
                print(line, file=sys.stderr)
            return 1
        if args.quarantine:
            text = _quarantine_csv(dossiers.rejected, list(CONTRACT))
            write(Path(args.quarantine), lambda p: p.write_text(text, encoding="utf-8", newline=""))
            print(
                f"{len(dossiers)} rows accepted, {len(dossiers.rejected)} quarantined"
                f" in {args.quarantine}",
                file=sys.stderr,
            )
    rows = compute_indicators(dossiers, args.period, indicators, through=args.through)
    text = rows_as_csv(rows)
    if args.out:
        write(Path(args.out), lambda p: p.write_text(text, encoding="utf-8", newline=""))
    else:
        sys.stdout.write(text)
    units = len({r.unit for r in rows})
    print(f"{len(rows)} figures for {units} units", file=sys.stderr)
    return 0


def _year(text: str) -> int:
    value = text.strip()
    if len(value) != 4 or not value.isdigit():
        raise argparse.ArgumentTypeError(f"expected a year as YYYY, got {text!r}")
    return int(value)


def _cmd_catalogue(args: argparse.Namespace, write: Writer) -> int:
    from .catalogue import count_catalogue, counts_as_csv, read_catalogue

    catalogue = read_catalogue(Path(args.file))
    years = [args.year] if args.year is not None else None
    rows = count_catalogue(catalogue, years=years, by=args.by)
    text = counts_as_csv(rows)
    if args.out:
        write(Path(args.out), lambda p: p.write_text(text, encoding="utf-8", newline=""))
    else:
        sys.stdout.write(text)
    count = len(catalogue.procedures)
    counted = len({r.year for r in rows})
    print(f"{count} procedures; year(s) counted: {counted}", file=sys.stderr)
    return 0


def add_services_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], write: Writer
) -> None:
    """Add ``services indicators`` and ``services catalogue`` to the CLI's commands; ``write`` writes a file atomically."""
    services = commands.add_parser(
        "services", help="online public services: Decision 766 indicators, the procedure catalogue"
    )
    cmds = services.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
    i = cmds.add_parser(
        "indicators",
        help="compute the on-time and online-submission rates per unit and period",
        description=(
            "Check SOURCE (a dossier CSV or Parquet file, or a folder of the Parquet store) and "
            "write one row per unit, period and indicator: unit,period,indicator,numerator,"
            "denominator,rate,points,rank (rate in per cent; points by the indicator's rule, "
            "empty where the sources give no maximum; rank among the units by rate)."
        ),
    )
    i.add_argument("source", help="dossiers: CSV, Parquet, or a folder of the Parquet store")
    i.add_argument("--period", choices=PERIODS, default="month", help="default: month")
    i.add_argument(
        "--through",
        type=_date,
        metavar="DD/MM/YYYY",
        help="report up to the period holding this date (default: the last reception)",
    )
    i.add_argument(
        "--maximum",
        type=_maximum,
        action="append",
        metavar="INDICATOR=POINTS",
        help="set an indicator's maximum the sources do not give (repeatable)",
    )
    i.add_argument(
        "--quarantine",
        metavar="FILE",
        help="go on with the good rows; write the bad ones here (CSV) with their reasons",
    )
    i.add_argument(
        "--catalogue",
        metavar="FILE",
        help="refuse dossiers whose procedure_code is not in this procedure catalogue",
    )
    i.add_argument("--out", help="write here instead of standard output")
    i.set_defaults(handler=lambda args: _cmd_indicators(args, write))
    c = cmds.add_parser(
        "catalogue",
        help="count a procedure catalogue's procedures per online level and year",
        description=(
            "Check FILE (a procedure catalogue, CSV or XLSX: one row per procedure and level "
            "change) and write, for each year's end, the procedures in force per group, scheme "
            "(43/2011 levels 1-4, 42/2022 full/partial) and level, each level given or mapped "
            "from the other scheme: year,group,scheme,level,procedures,given,mapped."
        ),
    )
    c.add_argument("file", help="the procedure catalogue: CSV or XLSX")
    c.add_argument(
        "--year", type=_year, metavar="YYYY", help="only this year (default: every year)"
    )
    c.add_argument(
        "--by",
        choices=("agency", "sector", "level"),
        default="agency",
        help="group by agency, sector or handling level (default: agency)",
    )
    c.add_argument("--out", help="write here instead of standard output")
    c.set_defaults(handler=lambda args: _cmd_catalogue(args, write))
