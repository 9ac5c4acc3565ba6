"""Where bad input enters (the entry points of the corpus) and what a case of it is."""

from __future__ import annotations

from dataclasses import dataclass, field

# Entry points. Files:
CLI_COMPUTE = "cli-compute"  # parindex compute METHODOLOGY SCORES: the scores file
CLI_COMPUTE_M = "cli-compute-methodology"  # parindex compute METHODOLOGY SCORES: the methodology
CLI_VALIDATE = "cli-validate"  # parindex methodology validate FILE
CLI_SHOW = "cli-show"  # parindex methodology show FILE
CLI_PREVIOUS = "cli-previous"  # parindex compute ... --previous FILE
WEB_EXTERNAL = "web-external"  # the secretariat's import of survey/SIPAS/data points
WEB_WORKBOOK = "web-workbook"  # the officer's self-assessment workbook upload
WEB_EVIDENCE = "web-evidence"  # the evidence upload form
API_EVIDENCE = "api-evidence"  # POST /api/assessments/{id}/evidence
WEB_EXPLAIN_EVIDENCE = "web-explain-evidence"  # the unit's explanation form, its new document
# Values:
CLI_BANDS = "cli-bands"  # parindex compute ... --bands SPEC
CLI_PLACES = "cli-places"  # parindex compute ... --places N
CLI_SCORES_PATH = "cli-scores-path"  # parindex compute METHODOLOGY PATH: a path that is no file
WEB_ENTRY_PERCENT = "web-entry-percent"  # the officer's entry form, a percentage (leaf 1.1.4)
WEB_ENTRY_COUNT = "web-entry-count"  # the officer's entry form, a count (leaf 1.5.2)
WEB_ENTRY_NOTE = "web-entry-note"  # the officer's entry form, the note
WEB_EXTERNAL_UNIT = "web-external-unit"  # the secretariat's form of one unit's points (2.2.1)
WEB_APPRAISE_POINTS = "web-appraise-points"  # the appraisal form, the points (leaf 1.1.4)
WEB_APPRAISE_REASON = "web-appraise-reason"  # the appraisal form, the reason
WEB_EVIDENCE_NUMBER = "web-evidence-number"  # the evidence form's document number
API_SELF_PERCENT = "api-self-percent"  # PUT .../entries/1.1.4/self-assessment, inputs.percent
API_SELF_NOTE = "api-self-note"  # PUT .../entries/1.1.4/self-assessment, note
API_APPRAISAL_POINTS = "api-appraisal-points"  # PUT .../entries/1.1.4/appraisal, points
WEB_EXPLAIN_TEXT = "web-explain-text"  # the unit's explanation form, the text

SCORES = (CLI_COMPUTE, WEB_EXTERNAL)
METHODOLOGY = (CLI_VALIDATE, CLI_SHOW, CLI_COMPUTE_M)
EVIDENCE = (WEB_EVIDENCE, API_EVIDENCE, WEB_EXPLAIN_EVIDENCE)
XLSX_ALL = (CLI_COMPUTE, WEB_EXTERNAL, WEB_WORKBOOK)
NUMBER_FIELDS = (
    WEB_ENTRY_PERCENT,
    WEB_EXTERNAL_UNIT,
    WEB_APPRAISE_POINTS,
    API_SELF_PERCENT,
    API_APPRAISAL_POINTS,
)
TEXT_FIELDS = (WEB_ENTRY_NOTE, WEB_APPRAISE_REASON, API_SELF_NOTE, WEB_EXPLAIN_TEXT)

# A scores row the example-commune methodology and the web world both accept (2.2.1: a survey
# leaf, maximum 10) and the same as a line.
UNIT, LEAF = "xa-1", "2.2.1"
HEADER = "unit,code,points\n"
GOOD = f"{UNIT},{LEAF},5\n"


@dataclass(frozen=True)
class Case:
    name: str
    family: str
    points: tuple[str, ...]
    data: bytes | None = None  # the file's bytes, or None: made by the generator
    suffix: str = ".csv"
    value: str | None = None  # a value case's text
    content_type: str = "application/pdf"  # an evidence file's declared type
    expect: str = "refused"
    where: str = ""
    xfail: dict[str, str] = field(default_factory=dict)

    def reason(self, point: str) -> str | None:
        return self.xfail.get(point) or self.xfail.get("*")
