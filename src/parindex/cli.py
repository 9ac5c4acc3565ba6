"""The ``parindex`` command line.

Exit status: 0 success, 1 bad input (every problem printed on standard error as
``error: FILE, row R, column 'C': message``), 2 usage error. Output files are written only
when everything succeeded, through a temporary file renamed into place.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__
from .appendix import read_appendix_table
from .compute import Results, compute
from .decimals import format_fixed, parse_whole
from .errors import Location, ParindexError, Problem
from .methodology_diff import diff_methodologies
from .methodology_io import load_methodology, resolve_methodology, shipped_methodologies
from .methodology_yaml import methodology_to_yaml
from .model import Methodology
from .results_io import results_to_csv, results_to_dict, write_xlsx
from .scores_io import parse_bands, read_previous, read_scores
from .services.commands import add_services_commands
from .surveys.commands import add_survey_commands
from .validate import ensure_valid, validate

__all__ = ["main"]

FORMATS = ("csv", "json", "xlsx")


def _write_atomic(path: Path, writer: Callable[[Path], object]) -> None:
    """Write ``path`` through a temporary file in its folder, renamed into place on success.

    The file gets the permissions a plain ``open()`` gives (0666 less the umask), not
    ``mkstemp``'s 0600, and an operating-system error names ``path``, not the temporary file.
    """
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    os.close(fd)
    try:
        writer(Path(tmp))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _cannot_write(path, exc) from None
        raise


def _cannot_write(path: Path, exc: OSError) -> ParindexError:
    return ParindexError(Problem.of("cannot_write", Location(str(path)), reason=exc.strerror))


def _cmd_validate(args: argparse.Namespace) -> int:
    path = resolve_methodology(args.file)
    m = read_appendix_table(path) if path.suffix.lower() == ".xlsx" else load_methodology(path)
    problems = validate(m)
    for problem in problems:
        where = ", ".join(x for x in (str(path), str(problem.location)) if x)
        print(f"error: {where}: {problem.message}", file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) found in {path}", file=sys.stderr)
        return 1
    _print_summary(m)
    return 0


def _print_summary(m: Methodology) -> None:
    levels = [m.level(node.code) for node in m.nodes]
    print(f"{m.id}: {m.name}")
    if m.example:
        print("EXAMPLE: figures are illustrative, not official")
    print(
        f"fields: {levels.count(1)}, criteria: {levels.count(2)}, "
        f"sub-criteria: {sum(1 for level in levels if level >= 3)}, leaves: {len(m.leaves)}, "
        f"total points: {format_fixed(m.max_total, m.places)}"
    )


def _cmd_show(args: argparse.Namespace) -> int:
    m = _load_any(args.file)
    _print_summary(m)
    if m.decision.number:
        day = m.decision.date.strftime("%d/%m/%Y") if m.decision.date else "?"
        print(f"decision: {m.decision.number} ({day}) {m.decision.issuer}".rstrip())
    width = max(len(node.code) + 2 * m.level(node.code) for node in m.nodes)
    for node in m.nodes:
        indent = "  " * (m.level(node.code) - 1)
        label = f"{indent}{node.code}".ljust(width)
        points = format_fixed(node.max_points, m.places).rjust(7)
        extra = ""
        if node.rule is not None:
            extra = f"  [{m.source_of(node.code).value}; {node.rule.describe()}]"
        print(f"{label} {points}  {node.name}{extra}")
    return 0


def _load_any(name: str) -> Methodology:
    """A valid methodology from YAML, the interchange CSV, an appendix table (.xlsx) or an id."""
    path = resolve_methodology(name)
    if path.suffix.lower() == ".xlsx":
        return read_appendix_table(path)
    return ensure_valid(load_methodology(path), str(path))


def _cmd_import_table(args: argparse.Namespace) -> int:
    path = Path(args.file)
    m = read_appendix_table(path)
    text = methodology_to_yaml(m)
    if args.out:
        _write_atomic(Path(args.out), lambda p: p.write_text(text, encoding="utf-8"))
        _print_summary(m)
    else:
        sys.stdout.write(text)
    return 0


def _cmd_diff(args: argparse.Namespace) -> int:
    old, new = _load_any(args.old), _load_any(args.new)
    differences = diff_methodologies(old, new)
    for difference in differences:
        print(difference)
    print(f"{len(differences)} difference(s)", file=sys.stderr)
    return 0


def _print_stats(results: Results) -> None:
    s = results.stats.get("total")
    if s is None:  # pragma: no cover - read_scores refuses a file without rows
        return
    f = results.places
    print(
        f"{s.count} units; index mean {format_fixed(s.mean, f)}, median {format_fixed(s.median, f)}, "
        f"min {format_fixed(s.minimum, f)}, max {format_fixed(s.maximum, f)}",
        file=sys.stderr,
    )


def _output_format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    if args.out:
        suffix = Path(args.out).suffix.lower().lstrip(".")
        if suffix in FORMATS:
            return suffix
    return "csv"


def _cmd_compute(args: argparse.Namespace) -> int:
    fmt = _output_format(args)
    if fmt == "xlsx" and not args.out:
        args.usage_error("xlsx output needs --out FILE")  # exits with status 2
    bands = parse_bands(args.bands) if args.bands is not None else None
    path = resolve_methodology(args.methodology)
    m = ensure_valid(load_methodology(path), str(path))
    scores = read_scores(args.scores, m)
    previous = read_previous(args.previous) if args.previous else None
    results = compute(m, scores, places=args.places, bands=bands, previous=previous)
    for warning in results.warnings:
        print(f"warning: {args.scores}: {warning}", file=sys.stderr)
    if fmt == "xlsx":
        _write_atomic(Path(args.out), lambda p: write_xlsx(results, p))
    else:
        text = (
            results_to_csv(results)
            if fmt == "csv"
            else json.dumps(results_to_dict(results), ensure_ascii=False, indent=2) + "\n"
        )
        if args.out:
            _write_atomic(
                Path(args.out), lambda p: p.write_text(text, encoding="utf-8", newline="")
            )
        else:
            sys.stdout.write(text)
    _print_stats(results)
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    for name, path in shipped_methodologies().items():
        m = load_methodology(path)
        tag = " (example)" if m.example else ""
        print(f"{name}\t{m.unit_type}\t{m.decision.number}\t{m.name}{tag}")
    return 0


def _places(text: str) -> int:
    try:
        digits = text.strip()
        value = -parse_whole(digits[1:]) if digits.startswith("-") else parse_whole(digits)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 0 <= value <= 6:
        raise argparse.ArgumentTypeError("places must be 0 to 6")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="parindex",
        description=(
            "PAR INDEX engine: validate methodologies and compute results; validate survey "
            "questionnaires and estimate SIPAS indices."
        ),
    )
    parser.add_argument("--version", action="version", version=f"parindex {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    meth = commands.add_parser("methodology", help="validate, show or list methodologies")
    meth_cmds = meth.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
    v = meth_cmds.add_parser(
        "validate",
        help="list every problem of a methodology (exit 1 if any)",
        description=(
            "Validate a methodology file (YAML, interchange CSV or an appendix table .xlsx, or a "
            "shipped id)."
        ),
    )
    v.add_argument("file", help="methodology file, or the id of a shipped one")
    v.set_defaults(handler=_cmd_validate)
    s = meth_cmds.add_parser(
        "show",
        help="print the tree with maxima and rules",
        description="Print a methodology's tree: codes, maxima, names, sources and rules.",
    )
    s.add_argument("file", help="methodology file, or the id of a shipped one")
    s.set_defaults(handler=_cmd_show)
    ls = meth_cmds.add_parser(
        "list",
        help="list the methodologies shipped with parindex",
        description="List shipped methodologies: id, unit type, decision, name.",
    )
    ls.set_defaults(handler=_cmd_list)
    it = meth_cmds.add_parser(
        "import-table",
        help="read a decision's appendix table (.xlsx) as a methodology (exit 1 if invalid)",
        description=(
            "Read the criteria table of a decision's appendix (STT, criterion, maximum points, "
            "evidence, scoring) from the first sheet of an XLSX workbook, check it and write it "
            "as the project's YAML. Every problem is listed with its row and column."
        ),
    )
    it.add_argument("file", help="the appendix table, an .xlsx workbook")
    it.add_argument("-o", "--out", help="write the YAML here instead of standard output")
    it.set_defaults(handler=_cmd_import_table)
    d = meth_cmds.add_parser(
        "diff",
        help="list what changed from one methodology to another",
        description=(
            "List the nodes added, removed, renamed, moved, or with another maximum, rule or "
            "evidence, from OLD to NEW (YAML, interchange CSV, appendix table .xlsx or a "
            "shipped id)."
        ),
    )
    d.add_argument("old", help="the earlier methodology")
    d.add_argument("new", help="the methodology to compare with it")
    d.set_defaults(handler=_cmd_diff)

    c = commands.add_parser(
        "compute",
        help="compute results from a methodology and scores",
        description=(
            "Compute points, component indices, total index, ranks and groups. SCORES is long "
            "form (unit,code,points) as CSV or XLSX."
        ),
    )
    c.add_argument("methodology", help="methodology file (YAML or CSV), or a shipped id")
    c.add_argument("scores", help="scores file: CSV or XLSX with columns unit,code,points")
    c.add_argument("--out", help="write here instead of standard output")
    c.add_argument(
        "--format", choices=FORMATS, help="output format (default: from --out, else csv)"
    )
    c.add_argument("--places", type=_places, help="decimal places of published figures (0-6)")
    c.add_argument("--bands", help="groups as LABEL:MIN pairs, highest first: 'A:90;B:80;C:0'")
    c.add_argument("--previous", help="previous results (CSV/XLSX with unit,index[,rank] or JSON)")
    c.set_defaults(handler=_cmd_compute, usage_error=c.error)
    add_survey_commands(commands, _write_atomic, _places)
    add_services_commands(commands, _write_atomic)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status = int(args.handler(args))
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's final flush
        return status
    except ParindexError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # standard output closed early (`parindex ... | head`): stop quietly
        with contextlib.suppress(Exception):  # and keep the interpreter's final flush quiet
            stdout = sys.stdout.fileno()
            os.dup2(os.open(os.devnull, os.O_WRONLY), stdout)
        return 1
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # pragma: no cover
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
