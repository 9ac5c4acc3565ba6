"""parindex core: methodology as data, exact scoring and aggregation, ranks, groups.

The public API is what ``__all__`` lists; everything else is private and may change.
This package imports no web framework; the Django shell (``parindex_web``) imports it.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .appendix import (
    methodology_to_table,
    parse_appendix_table,
    read_appendix_table,
    write_appendix_xlsx,
)
from .archives import check_archive, open_workbook
from .arrays import TreeArrays, competition_ranks_array, round_half_up
from .compare import Comparison, compare_with_previous
from .compute import (
    Change,
    NodeResult,
    Previous,
    Results,
    Stats,
    UnitResult,
    compute,
    score_leaf,
)
from .decimals import (
    Rounding,
    format_fixed,
    format_recorded,
    parse_decimal,
    parse_whole,
    quantize,
)
from .differences import AppraisalDifferences, LeafDifferences, appraisal_differences
from .documents import decree_date, document_number, document_symbol
from .errors import InputError, Location, MethodologyError, ParindexError, Problem
from .filetypes import FileType, FileTypeError, detect_file_type, download_name
from .inputs import MAX_NOTE, MAX_SHORT_TEXT, Limits, clean_name, clean_text, csv_records
from .methodology_diff import DifferenceKind, NodeDifference, diff_methodologies
from .methodology_io import (
    load_methodology,
    methodology_to_dict,
    parse_methodology_csv,
    parse_methodology_yaml,
    shipped_methodologies,
)
from .methodology_yaml import methodology_to_yaml
from .model import Band, Decision, Methodology, Node, Source
from .results_io import results_to_csv, results_to_dict, unit_to_dict
from .rules import (
    RULE_KINDS,
    RULE_TEXTS,
    Choice,
    DeductionRule,
    InputSpec,
    Level,
    LevelsRule,
    Phrase,
    PointsRule,
    ProportionalRule,
    Rule,
    RuleInputError,
    Step,
    ThresholdsRule,
    YesNoRule,
    check_inputs,
    rule_from_dict,
)
from .scores_io import read_previous, read_scores, read_table
from .sheets import CSV_BOM, append_row, cell_text, csv_field, csv_row, csv_unquote, put_cell
from .successions import SuccessionEvent, predecessor_events, successor_events
from .text import fold, matches, unaccent, vi_sort_key
from .tilegrid import Tile, shipped_tilegrids
from .units import (
    Share,
    Succession,
    Unit,
    UnitChange,
    UnitRegistry,
)
from .validate import ensure_valid, validate

__all__ = [
    "CSV_BOM",
    "MAX_NOTE",
    "MAX_SHORT_TEXT",
    "RULE_KINDS",
    "RULE_TEXTS",
    "AppraisalDifferences",
    "Band",
    "Change",
    "Choice",
    "Comparison",
    "Decision",
    "DeductionRule",
    "DifferenceKind",
    "FileType",
    "FileTypeError",
    "InputError",
    "InputSpec",
    "LeafDifferences",
    "Level",
    "LevelsRule",
    "Limits",
    "Location",
    "Methodology",
    "MethodologyError",
    "Node",
    "NodeDifference",
    "NodeResult",
    "ParindexError",
    "Phrase",
    "PointsRule",
    "Previous",
    "Problem",
    "ProportionalRule",
    "Results",
    "Rounding",
    "Rule",
    "RuleInputError",
    "Share",
    "Source",
    "Stats",
    "Step",
    "Succession",
    "SuccessionEvent",
    "ThresholdsRule",
    "Tile",
    "TreeArrays",
    "Unit",
    "UnitChange",
    "UnitRegistry",
    "UnitResult",
    "YesNoRule",
    "append_row",
    "appraisal_differences",
    "cell_text",
    "check_archive",
    "check_inputs",
    "clean_name",
    "clean_text",
    "compare_with_previous",
    "competition_ranks_array",
    "compute",
    "csv_field",
    "csv_records",
    "csv_row",
    "csv_unquote",
    "decree_date",
    "detect_file_type",
    "diff_methodologies",
    "document_number",
    "document_symbol",
    "download_name",
    "ensure_valid",
    "fold",
    "format_fixed",
    "format_recorded",
    "load_methodology",
    "matches",
    "methodology_to_dict",
    "methodology_to_table",
    "methodology_to_yaml",
    "open_workbook",
    "parse_appendix_table",
    "parse_decimal",
    "parse_methodology_csv",
    "parse_methodology_yaml",
    "parse_whole",
    "predecessor_events",
    "put_cell",
    "quantize",
    "read_appendix_table",
    "read_previous",
    "read_scores",
    "read_table",
    "results_to_csv",
    "results_to_dict",
    "round_half_up",
    "rule_from_dict",
    "score_leaf",
    "shipped_methodologies",
    "shipped_tilegrids",
    "successor_events",
    "unaccent",
    "unit_to_dict",
    "validate",
    "vi_sort_key",
    "write_appendix_xlsx",
]
