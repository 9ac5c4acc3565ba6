"""The API's request and response shapes; they are the OpenAPI schema.

Points and indices are strings with exactly the published number of decimals ("95.83"), as
in the published snapshots and the CSV files: exact, never floats. Keys may be added in later
versions; existing keys keep their name, type and meaning (see docs/api.md).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias

from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, WithJsonSchema

import parindex
from parindex_web.lib.ids import MAX_ID

# --- ids ------------------------------------------------------------------------------------

# Every id in a path or a query: the database's keys are 64-bit integers, so a larger number
# names nothing, and sent to the database it would overflow the query (a server error on SQLite
# and PostgreSQL). Out of these bounds it is a 422 like any other number outside its range.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


# Dates in a query or a form are written YYYY-MM-DD: pydantic alone would also take a number
# of seconds ("0", "8e-45") for 1 January 1970.
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _written_iso(value: object) -> object:
    if isinstance(value, str | bytes | int | float) and not (
        isinstance(value, str) and _ISO_DATE.fullmatch(value)
    ):
        raise ValueError("a date is written YYYY-MM-DD")
    return value


IsoDate = Annotated[date, BeforeValidator(_written_iso)]


# Free text (a note, a reason, a document number) is checked by the core's clean_text: NFC,
# tab and line ends kept, NUL and the other control characters refused (a 422 naming the field).
def _clean_text(max_length: int) -> Any:
    return AfterValidator(lambda value: parindex.clean_text(value, "the text", max_length))


# What clean_text refuses, declared in the OpenAPI schema too (so that a client, or
# schemathesis, knows that such a string is not valid).
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]*$"


def _text(max_length: int) -> Any:
    schema = {"type": "string", "maxLength": max_length, "pattern": TEXT_PATTERN}
    return Annotated[
        str, Field(max_length=max_length), _clean_text(max_length), WithJsonSchema(schema)
    ]


if TYPE_CHECKING:  # text to mypy, which cannot read a type made by a function
    Note: TypeAlias = str
    ShortText: TypeAlias = str
    Issuer: TypeAlias = str
else:
    Note = _text(parindex.MAX_NOTE)
    ShortText = _text(parindex.MAX_SHORT_TEXT)
    Issuer = _text(200)

# A write schema refuses a field it does not know (a 422 naming it) rather than ignore it.
STRICT = ConfigDict(extra="forbid")


# --- errors ---------------------------------------------------------------------------------


class ErrorBody(Schema):
    code: str = Field(description="Stable machine-readable code, e.g. `not_found`.")
    message: str = Field(description="Human-readable message in the request's language.")
    details: list[dict[str, Any]] = Field(
        default_factory=list, description="More about the error: invalid fields, versions."
    )


class ErrorOut(Schema):
    error: ErrorBody


# --- public: cycles and results ---------------------------------------------------------------


class BodyRef(Schema):
    code: str
    name: str


class MethodologyRef(Schema):
    slug: str
    name: str
    unit_type: str
    example: bool


class PublicationOut(Schema):
    version: int
    published_at: datetime
    reason: str = Field(description="Why this version corrects the previous one (empty at 1).")
    content_hash: str = Field(description="SHA-256 over methodology, inputs and results.")


class CycleOut(Schema):
    id: int
    name: str
    year: int
    body: BodyRef
    methodology: MethodologyRef
    unit_type: str
    example: bool = Field(
        description="Example data, not official results (example methodology or demo cycle)."
    )
    latest: PublicationOut
    units: int = Field(description="How many units the latest publication ranks.")


class FieldOut(Schema):
    code: str
    name: str
    name_en: str
    max_points: str


class BandOut(Schema):
    label: str
    min: str


class StatsOut(Schema):
    count: int
    mean: str
    median: str
    min: str
    max: str


class CycleDetailOut(CycleOut):
    places: int = Field(description="Decimals of published points and indices.")
    fields: list[FieldOut] = Field(description="First-level nodes: the component indices.")
    bands: list[BandOut]
    stats: dict[str, StatsOut] = Field(description="Per node code (and `total`), over units.")
    publications: list[PublicationOut] = Field(description="Every version, newest first.")
    previous_cycle: int | None = Field(description="Last year's published cycle compared with.")


class SourceScore(Schema):
    points: str
    max_points: str
    index: str


class NodeScore(Schema):
    code: str
    points: str
    max_points: str
    index: str


class NodeDetail(NodeScore):
    name: str
    level: int


class ComparisonOut(Schema):
    basis: str = Field(description="`same`, `successor`, `merged` or `none`.")
    predecessors: list[str]
    previous_index: str | None
    previous_rank: int | None
    change: str | None


class ResultRow(Schema):
    unit: str = Field(description="Unit code.")
    name: str
    rank: int
    index: str
    group: str | None
    total_points: str
    by_source: dict[str, SourceScore] = Field(
        description="Points by source: `appraisal`, `survey`, `sipas`, `data`."
    )
    fields: list[NodeScore] = Field(description="Component indices, in methodology order.")
    comparison: ComparisonOut
    full_name: str = Field(description="The unit's full name (since 2026-12-04).")
    group_position: int | None = Field(
        description="The group's position among the bands, 0 = best (since 2026-12-04)."
    )
    profile_url: str = Field(description="The unit's public profile page (since 2026-12-04).")


class UnitResultOut(ResultRow):
    cycle: int
    version: int
    nodes: list[NodeDetail] = Field(description="Every node of the methodology, in order.")


# --- public: methodologies and units ----------------------------------------------------------


class MethodologyOut(Schema):
    slug: str
    name: str
    unit_type: str
    example: bool
    decision_number: str
    format: str
    sha256: str


class DecisionOut(Schema):
    number: str
    date: str | None
    issuer: str
    url: str


class MethodologyNode(Schema):
    code: str
    name: str
    max_points: str
    level: int
    source: str
    name_en: str | None = None
    evidence: str | None = None
    legal_basis: str | None = None
    note: str | None = None
    rule: dict[str, Any] | None = None
    rule_text: str | None = None
    children: list[MethodologyNode] | None = None


class MethodologyDetailOut(Schema):
    slug: str
    sha256: str
    id: str
    name: str
    name_en: str
    unit_type: str
    valid_from: int | None
    valid_to: int | None
    decision: DecisionOut
    example: bool
    places: int
    rounding: str
    total_points: str | None
    max_total: str
    bands: list[BandOut]
    tie_rule: str
    notes: str
    notes_en: str
    nodes: list[MethodologyNode]


class UnitOut(Schema):
    code: str
    name: str
    short_name: str
    name_en: str
    unit_type: str
    body: str | None = Field(description="Code of the assessing body.")
    valid_from: date | None
    valid_to: date | None
    lat: float | None
    lon: float | None


class SuccessionOut(Schema):
    code: str
    name: str
    effective: date
    weight: str | None
    primary: bool
    basis: str


class UnitDetailOut(UnitOut):
    predecessors: list[SuccessionOut] = Field(description="Units that passed into this one.")
    successors: list[SuccessionOut] = Field(description="Units this one passed into.")


# --- authenticated: assessments -----------------------------------------------------------------


class CycleRef(Schema):
    id: int
    name: str
    year: int
    phase: str
    deadline: datetime | None = Field(description="Deadline of the current phase, if any.")


class UnitRef(Schema):
    code: str
    name: str


class AssessmentOut(Schema):
    id: int
    cycle: CycleRef
    unit: UnitRef
    status: str = Field(description="`draft`, `submitted`, `appraised` or `final`.")
    roles: list[str] = Field(description="Your roles over this assessment.")


class EntryOut(Schema):
    id: int
    code: str
    name: str
    source: str
    max_points: str
    input_fields: list[str] = Field(description="Input names the leaf's rule reads.")
    rule_text: str
    inputs: dict[str, Any]
    self_points: str | None
    note: str
    appraised_points: str | None = Field(
        description="Hidden (null) from the unit until the explanation phase."
    )
    appraisal_reason: str | None
    external_points: str | None
    final_points: str | None
    evidence: list[int]
    version: int = Field(description="Send it back when saving (optimistic locking).")
    updated_at: datetime


InputValue = str | int | float | bool | None


class SelfAssessmentIn(Schema):
    model_config = STRICT

    inputs: dict[str, InputValue] = Field(description="The rule's inputs, by input name.")
    note: Note = ""
    version: Version = Field(description="The entry's version you read.")
    evidence: list[Id] | None = Field(
        None, description="If given: the ids of the unit's documents attached to this leaf."
    )


# Points as text with a decimal dot and at most 4 decimals ("4.5"), or a whole number.
PointsText = Annotated[str, Field(pattern=r"^[0-9]{1,5}(\.[0-9]{1,4})?$", examples=["4.5"])]
PointsWhole = Annotated[int, Field(ge=0, le=99999)]
Version = Annotated[int, Field(ge=0, le=2_147_483_647)]


class AppraisalIn(Schema):
    model_config = STRICT

    points: PointsText | PointsWhole = Field(description='e.g. "4.5" (text) or 4.')
    reason: Note = ""
    version: Version = Field(description="The entry's version you read.")

    def decimal_points(self) -> Decimal:
        return Decimal(str(self.points))


class EvidenceOut(Schema):
    id: int
    original_name: str
    size: int
    content_type: str
    sha256: str
    doc_number: str
    doc_date: date | None
    issuer: str
    uploaded_at: datetime
    entries: list[str] = Field(description="Codes of the leaves the document is attached to.")


# A form field has no null: an optional date is a date or absent.
FormDate = Annotated[IsoDate | None, WithJsonSchema({"type": "string", "format": "date"})]


class EvidenceIn(Schema):
    doc_number: ShortText = Field("", description="Document number, e.g. 12/KH-UBND.")
    doc_date: FormDate = Field(None, description="Date of the document (YYYY-MM-DD).")
    issuer: Issuer = Field("", description="Who issued the document.")
    entry: str = Field("", max_length=40, description="Leaf code to attach the document to.")
