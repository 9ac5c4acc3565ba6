"""``parindex services``: the Decision 766 indicators of a dossier file (docs/online-services.md).

``parindex services indicators SOURCE [--period month|quarter|year] [--through DD/MM/YYYY]
[--maximum ID=POINTS] [--out FILE]`` checks SOURCE (a dossier CSV or Parquet file of the
interchange contract, or a folder written by the store) and writes one CSV row per unit, period
and indicator with the columns :data:`COLUMNS` (a stable contract: columns may be added at the
end, never changed). A bad file is refused whole: every problem is printed with its file, row and
column, and nothing is written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from .calendar import PERIODS, VIETNAM

__all__ = ["COLUMNS", "add_services_commands"]

COLUMNS = ("unit", "period", "indicator", "numerator", "denominator", "rate", "points")
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


def _cmd_indicators(args: argparse.Namespace, write: Writer) -> int:
    from . import compute_indicators, load_indicators, read_dossiers, rows_as_csv

    indicators = load_indicators(maxima=dict(args.maximum or []))
    source = Path(args.source)
    dossiers = source if source.is_dir() else read_dossiers(source)
    rows = compute_indicators(dossiers, args.period, indicators, through=args.through)
    text = rows_as_csv(rows)
    if args.out:
        write(Path(args.out), lambda p: p.write_text(text, encoding="utf-8", newline=""))
    else:
        sys.stdout.write(text)
    units = len({r.unit for r in rows})
    print(f"{len(rows)} figures for {units} units", file=sys.stderr)
    return 0


def add_services_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], write: Writer
) -> None:
    """Add ``services indicators`` to the CLI's commands; ``write`` writes a file atomically."""
    services = commands.add_parser(
        "services", help="online public services: the Decision 766 indicators of dossiers"
    )
    cmds = services.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
    i = cmds.add_parser(
        "indicators",
        help="compute the on-time and online-submission rates per unit and period",
        description=(
            "Check SOURCE (a dossier CSV or Parquet file, or a folder of the Parquet store) and "
            "write one row per unit, period and indicator: unit,period,indicator,numerator,"
            "denominator,rate,points (rate in per cent; points by the indicator's rule, empty "
            "where the sources give no maximum)."
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
    i.add_argument("--out", help="write here instead of standard output")
    i.set_defaults(handler=lambda args: _cmd_indicators(args, write))
