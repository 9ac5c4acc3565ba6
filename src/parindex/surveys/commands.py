"""``parindex survey``: validate a questionnaire, estimate its indices (docs/surveys.md).

``parindex survey template FORM.xlsx --out FILE.xlsx`` writes the template for paper forms.
``parindex survey validate FORM.xlsx`` checks the XLSForm (the core's reading, then pyxform)
and prints a summary. ``parindex survey estimate FORM.xlsx RESPONSES [--by COLUMN] [--weight
COLUMN] [--strata COLUMN] [--calibrate TOTALS.csv] [--places N] [--methodology FILE] [--out FILE]`` checks the responses
against the form and writes one CSV row per domain and item with the columns of
:data:`COLUMNS` (a stable contract: columns may be added at the end, never changed).
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import io
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from ..decimals import format_fixed, parse_decimal
from ..errors import Location, Problem
from .calibration import calibrate, read_totals
from .definitions import SurveyError, SurveyMethodology, load_survey_methodology
from .definitions import shipped_survey_methodology as shipped
from .indices import Figure, SurveyAnswers, estimate_indices
from .responses import read_responses
from .writing import response_template, template_questions
from .xlsform import Form, validate_xlsform

__all__ = ["COLUMNS", "add_survey_commands", "figures_to_csv"]

COLUMNS = ("unit", "item", "estimate", "ci_low", "ci_high", "n", "kind", "flag")
"""The columns of ``survey estimate``'s CSV, in order."""

Writer = Callable[[Path, Callable[[Path], object]], None]


def figures_to_csv(figures: list[Figure], places: int) -> str:
    """The figures as CSV (UTF-8, ``\\n`` line ends): per cent with ``places`` decimals, an
    empty estimate and interval where there was no valid answer, ``flag`` ``few`` when there
    were fewer answers than the methodology's minimum."""
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(COLUMNS)
    for f in figures:
        numbers = [
            "" if value is None else format_fixed(value, places)
            for value in (f.estimate, f.ci_low, f.ci_high)
        ]
        out.writerow([f.unit, f.item, *numbers, f.n, f.kind, "few" if f.few else ""])
    return buffer.getvalue()


def _methodology(args: argparse.Namespace) -> SurveyMethodology:
    m = load_survey_methodology(args.methodology) if args.methodology else shipped()
    return m if args.places is None else dataclasses.replace(m, places=args.places)


def _cmd_validate(args: argparse.Namespace) -> int:
    m = load_survey_methodology(args.methodology) if args.methodology else shipped()
    form = validate_xlsform(args.form, methodology=m)
    title = form.settings.get("form_title") or form.settings.get("form_id") or Path(args.form).stem
    print(f"{title}: {len(form.questions)} questions, {len(form.choices)} choice lists")
    languages = sorted({lang for q in form.questions for lang in q.labels if lang})
    if languages:
        print(f"languages: {', '.join(languages)}")
    fed = Counter(q.factor for q in form.questions if q.factor)
    for factor in m.factors:
        if fed[factor.code]:
            print(f"{factor.code}: {fed[factor.code]} question(s)")
    return 0


def _answers(form: Form, args: argparse.Namespace, m: SurveyMethodology) -> SurveyAnswers:
    items = [q for q in form.questions if q.factor]
    if not items:
        raise SurveyError(Problem.of("xlsform_no_factors", Location(args.form)))
    extra = {key: getattr(args, key) for key in ("by", "weight", "strata") if getattr(args, key)}
    totals = read_totals(args.calibrate) if args.calibrate else {}
    extra.update({f"calibrate {variable}": variable for variable in totals})
    responses = read_responses(args.responses, form, extra=extra)
    count = len(responses.rows)
    weights = [float(parse_decimal(w)) for w in responses.extra.get("weight", ["1"] * count)]
    if totals:
        margins = {v: responses.extra[f"calibrate {v}"] for v in totals}
        weights = calibrate(weights, margins, totals, file=args.calibrate)
        cells = sum(len(t) for t in totals.values())
        print(
            f"weights calibrated to {cells} known totals of {len(totals)} variable(s)",
            file=sys.stderr,
        )
    skipped = (
        f" ({responses.duplicates} exact duplicate(s) skipped)" if responses.duplicates else ""
    )
    print(f"{count} responses{skipped}", file=sys.stderr)
    return SurveyAnswers(
        answers={q.name: responses.answers[q.name] for q in items},
        factors={q.name: q.factor for q in items},
        weights=weights,
        strata=responses.extra.get("strata", [""] * count),
        domains=responses.extra.get("by", [""] * count),
    )


def _cmd_estimate(args: argparse.Namespace, write: Writer) -> int:
    m = _methodology(args)
    form = validate_xlsform(args.form, methodology=m)
    figures = estimate_indices(m, _answers(form, args, m))
    text = figures_to_csv(figures, m.places)
    if args.out:
        write(Path(args.out), lambda p: p.write_text(text, encoding="utf-8", newline=""))
    else:
        sys.stdout.write(text)
    few = sum(1 for f in figures if f.few)
    print(f"{len(figures)} figures, {few} flagged with too few answers", file=sys.stderr)
    return 0


def _cmd_template(args: argparse.Namespace, write: Writer) -> int:
    form = validate_xlsform(args.form)
    data = response_template(form)
    write(Path(args.out), lambda p: p.write_bytes(data))
    columns = len(template_questions(form)) + 1
    print(f"{args.out}: a template of {columns} columns (_uuid and the questions)", file=sys.stderr)
    return 0


def add_survey_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    write: Writer,
    places: Callable[[str], int],
) -> None:
    """Add ``survey validate`` and ``survey estimate`` to the CLI's commands; ``write`` writes
    an output file atomically, ``places`` parses ``--places``."""
    survey = commands.add_parser("survey", help="validate questionnaires, estimate SIPAS indices")
    cmds = survey.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
    v = cmds.add_parser(
        "validate",
        help="check an XLSForm questionnaire (exit 1 if any problem)",
        description=(
            "Check an XLSForm workbook (survey, choices, settings sheets; pyxform's conversion) "
            "and that every sipas_factor is a factor of the survey methodology."
        ),
    )
    v.add_argument("form", help="the questionnaire, an XLSForm .xlsx workbook")
    v.add_argument("--methodology", help="survey methodology YAML (default: sipas-default)")
    v.set_defaults(handler=_cmd_validate)
    e = cmds.add_parser(
        "estimate",
        help="estimate the index of each question, factor and overall, per unit",
        description=(
            "Check RESPONSES (a KoboToolbox/ODK export or the template, CSV or XLSX) against "
            "FORM and write one row per unit and item: unit,item,estimate,ci_low,ci_high,n,"
            "kind,flag (per cent; a Wald 95 %% interval clipped to [0, 100]; n valid answers)."
        ),
    )
    e.add_argument("form", help="the questionnaire, an XLSForm .xlsx workbook")
    e.add_argument("responses", help="the responses, CSV or XLSX")
    e.add_argument("--by", metavar="COLUMN", help="the column of the unit (domain) of each row")
    e.add_argument("--weight", metavar="COLUMN", help="the column of the design weights")
    e.add_argument("--strata", metavar="COLUMN", help="the column of the strata")
    e.add_argument(
        "--calibrate",
        metavar="TOTALS",
        help="CSV of known totals (variable,category,total): post-stratify or rake the weights",
    )
    e.add_argument("--places", type=places, help="decimal places of the figures (0-6)")
    e.add_argument("--methodology", help="survey methodology YAML (default: sipas-default)")
    e.add_argument("--out", help="write here instead of standard output")
    e.set_defaults(handler=lambda args: _cmd_estimate(args, write))
    t = cmds.add_parser(
        "template",
        help="write the XLSX template for keying in paper forms",
        description=(
            "Write an XLSX workbook with one column per question of FORM (by XML name, the "
            "Vietnamese label as the header's comment, choice lists as drop-downs) and a _uuid "
            "column; survey estimate reads it filled in as RESPONSES."
        ),
    )
    t.add_argument("form", help="the questionnaire, an XLSForm .xlsx workbook")
    t.add_argument("--out", required=True, help="the template to write (.xlsx)")
    t.set_defaults(handler=lambda args: _cmd_template(args, write))
