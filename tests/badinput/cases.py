"""The bad-input corpus: one row per case, with the entry points that accept it and the outcome.

A case is a file (inline bytes here, or made by ``scripts/make_bad_inputs.py`` when it is large
or binary) or a value typed into a field. ``expect``:

- ``refused``: exit 1 or 2 with a message on standard error naming the file (CLI), a 4xx
  answer whose re-shown form or JSON error names the problem (web, API); nothing written.
- ``accepted``: the input is good by the documented grammar (a decimal comma, CR line ends)
  and must be read, not refused; it is here to prove the harness sees a write.
- ``text``: a name that looks like a formula or markup; accepted, and kept as plain text.
- ``clean``: either outcome is allowed (a 10,000-character name, 10,000 columns), but never a
  traceback, a 500 or a half-written state.

``where``: a piece of text (lower case) the message must contain, e.g. ``"row 2"``.
``xfail``: entry point → the defect that makes the case fail today, named with the scope that
is fixing it (``"*"``: every entry point). Marks are strict: remove one when its fix lands.

The entry points and :class:`~.points.Case` are in ``points.py``; the requests built by hand in
``http_cases.py``.
"""

from __future__ import annotations

import unicodedata

from .http_cases import HTTP_CASES
from .points import (
    API_SELF_PERCENT,
    CLI_BANDS,
    CLI_COMPUTE,
    CLI_PLACES,
    CLI_PREVIOUS,
    CLI_SCORES_PATH,
    EVIDENCE,
    GOOD,
    HEADER,
    METHODOLOGY,
    NUMBER_FIELDS,
    SCORES,
    TEXT_FIELDS,
    WEB_ENTRY_PERCENT,
    WEB_EVIDENCE_NUMBER,
    WEB_WORKBOOK,
    XLSX_ALL,
    Case,
)


def scores(*lines: str) -> bytes:
    return (HEADER + "".join(f"{line}\n" for line in lines)).encode()


def methodology_csv(*rows: str, header: str = "code,parent,name,max_points") -> bytes:
    return (header + "\n" + "".join(f"{r}\n" for r in rows)).encode()


YAML_HEAD = "id: bad\nname: Bad\nunit_type: commune\ntotal_points: 10\n"


def yaml(body: str) -> bytes:
    return (YAML_HEAD + body).encode()


NODE = "nodes:\n  - code: '1'\n    name: A\n    max_points: 10\n"
NFD_NAME = unicodedata.normalize("NFD", "Xã Một")
LAUGHS = (
    "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(8)
    )
    + "nodes:\n  - code: '1'\n    name: A\n    max_points: 10\n    rule: {kind: levels, levels: *i}\n"
)

CASES: list[Case] = [
    # --- encodings ---------------------------------------------------------------------
    Case("utf16-no-bom", "encodings", SCORES, (HEADER + GOOD).encode("utf-16-le")),
    Case("utf16-with-bom", "encodings", SCORES, (HEADER + GOOD).encode("utf-16"), expect="clean"),
    Case(
        "windows-1258",
        "encodings",
        SCORES,
        (HEADER + unicodedata.normalize("NFD", "Quảng Trị,2.2.1,5\n")).encode("cp1258"),
        where="row 2",
    ),
    Case(
        "latin-1", "encodings", SCORES, (HEADER + "Bình,2.2.1,5\n").encode("latin-1"), where="row 2"
    ),
    Case("invalid-utf8", "encodings", SCORES, HEADER.encode() + b"xa-\xc3\x28,2.2.1,5\n"),
    Case(
        "bom-in-the-middle",
        "encodings",
        SCORES,
        scores("\ufeffxa-1,2.2.1,5"),
        where="row 2",
    ),
    Case(
        "methodology-latin-1",
        "encodings",
        METHODOLOGY,
        methodology_csv("1,,Bình,100").decode().encode("latin-1"),
    ),
    Case(
        "methodology-utf16",
        "encodings",
        METHODOLOGY,
        methodology_csv("1,,A,100").decode().encode("utf-16"),
        expect="clean",
    ),
    Case(
        "yaml-windows-1258",
        "encodings",
        METHODOLOGY,
        unicodedata.normalize(
            "NFD", yaml(NODE.replace("name: A", "name: Quảng Trị")).decode()
        ).encode("cp1258"),
        suffix=".yaml",
    ),
    Case(
        "previous-latin-1",
        "encodings",
        (CLI_PREVIOUS,),
        "unit,index\nBình,50\n".encode("latin-1"),
    ),
    # --- line ends ---------------------------------------------------------------------
    Case(
        "cr-only",
        "line ends",
        SCORES,
        (HEADER + GOOD).replace("\n", "\r").encode(),
        expect="accepted",
    ),
    Case(
        "mixed-line-ends",
        "line ends",
        SCORES,
        (HEADER.replace("\n", "\r\n") + GOOD + "xa-1,2.2.2,6\r").encode(),
        expect="accepted",
    ),
    Case(
        "cr-only-bad-row-named",
        "line ends",
        SCORES,
        (HEADER + GOOD + "xa-1,2.2.2,eleven\n").replace("\n", "\r").encode(),
        where="row 3",
    ),
    # --- CSV structure -----------------------------------------------------------------
    Case(
        "unbalanced-quotes",
        "CSV structure",
        SCORES,
        scores('xa-1,2.2.1,"5'),
    ),
    Case(
        "unbalanced-quotes-mid-file",
        "CSV structure",
        SCORES,
        scores('"xa-1,2.2.1,5', "xa-2,2.2.1,6"),
    ),
    Case("field-over-128k", "CSV structure", SCORES, where="row 3"),
    Case("ten-thousand-columns", "CSV structure", SCORES, expect="clean"),
    Case("empty-file", "CSV structure", SCORES, b""),
    Case("empty-methodology", "CSV structure", METHODOLOGY, b""),
    Case("empty-previous", "CSV structure", (CLI_PREVIOUS,), b""),
    Case("blank-lines-only", "CSV structure", SCORES, b"\n\n  \n"),
    Case("header-only", "CSV structure", SCORES, HEADER.encode()),
    Case("methodology-header-only", "CSV structure", METHODOLOGY, methodology_csv()),
    Case(
        "duplicate-headers",
        "CSV structure",
        SCORES,
        b"unit,code,points,points\nxa-1,2.2.1,5,7\n",
    ),
    Case(
        "methodology-duplicate-headers",
        "CSV structure",
        METHODOLOGY,
        b"code,parent,name,max_points,max_points\n1,,A,100,50\n",
    ),
    Case("missing-column", "CSV structure", SCORES, b"unit,code\nxa-1,2.2.1\n", where="row 1"),
    Case("missing-all-columns", "CSV structure", SCORES, b"a,b,c\n1,2,3\n", where="row 1"),
    Case(
        "methodology-missing-column",
        "CSV structure",
        METHODOLOGY,
        b"code,parent,name\n1,,A\n",
        where="row 1",
    ),
    Case("previous-missing-column", "CSV structure", (CLI_PREVIOUS,), b"unit\nxa-1\n"),
    Case(
        "extra-cells",
        "CSV structure",
        SCORES,
        scores("xa-1,2.2.1,5,surplus"),
        where="row 2",
    ),
    Case("short-row", "CSV structure", SCORES, scores("xa-1,2.2.1"), where="row 2"),
    Case("nul-byte-in-csv", "CSV structure", SCORES, scores("xa-1\0,2.2.1,5")),
    Case(
        "header-of-spaces",
        "CSV structure",
        SCORES,
        b" , , \nxa-1,2.2.1,5\n",
        where="missing column",
    ),
    Case("comment-lines-then-nothing", "CSV structure", (CLI_COMPUTE,), b"# a\n# b\n"),
    Case("unknown-code", "CSV structure", SCORES, scores("xa-1,9.9.9,5"), where="row 2"),
    Case("not-a-leaf", "CSV structure", SCORES, scores("xa-1,2.2,5"), where="row 2"),
    Case("empty-unit", "CSV structure", SCORES, scores(",2.2.1,5"), where="row 2"),
    Case(
        "given-twice",
        "CSV structure",
        SCORES,
        scores("xa-1,2.2.1,5", "xa-1,2.2.1,6"),
        where="row 3",
    ),
    # --- numbers (the points column; the grammar: README "Decimal commas (11,5)") -------
    *[
        Case(
            f"points-{slug}",
            "numbers",
            SCORES,
            scores(f"xa-1,2.2.1,{text}"),
            where="row 2",
            **extra,
        )
        for slug, text, extra in [
            ("underscore", "1_0", {}),
            ("nan", "nan", {}),
            ("NaN-capital", "NaN", {}),
            ("inf", "inf", {}),
            ("minus-infinity", "-Infinity", {}),
            ("minus-zero", "-0", {}),
            ("exponent-above-max", "1e5", {}),
            ("exponent-in-range", "1e0", {}),
            ("full-width", "１０", {}),
            ("arabic-indic", "٥", {}),
            ("comma-above-max", '"10,5"', {}),
            ("dot-above-max", "10.5", {}),
            ("400-nines-inline", "9" * 400, {}),
            ("negative", "-1", {}),
            ("above-maximum", "11", {}),
            ("percent-sign", "50%", {}),
            ("thousands-separator", '"1,000.5"', {}),
            ("two-dots", "1.5.5", {}),
            ("hex", "0x5", {}),
            ("words", "five", {}),
            ("empty", "", {}),
        ]
    ],
    Case("points-comma-decimal", "numbers", SCORES, scores('xa-1,2.2.1,"5,5"'), expect="accepted"),
    Case("number-400-nines", "numbers", SCORES, where="row 2"),
    Case(
        "methodology-max-nan",
        "numbers",
        METHODOLOGY,
        methodology_csv("1,,A,nan"),
        where="row 2",
    ),
    Case(
        "methodology-max-negative",
        "numbers",
        METHODOLOGY,
        methodology_csv("1,,A,-100"),
    ),
    Case(
        "methodology-max-underscore",
        "numbers",
        METHODOLOGY,
        methodology_csv("1,,A,1_00"),
    ),
    Case(
        "yaml-max-inf", "numbers", METHODOLOGY, yaml(NODE.replace("10\n", ".inf\n")), suffix=".yaml"
    ),
    Case("previous-index-nan", "numbers", (CLI_PREVIOUS,), b"unit,index\nxa-1,nan\n"),
    Case("previous-index-words", "numbers", (CLI_PREVIOUS,), b"unit,index\nxa-1,high\n"),
    Case("previous-rank-fraction", "numbers", (CLI_PREVIOUS,), b"unit,index,rank\nxa-1,50,1.5\n"),
    Case(
        "previous-given-twice", "CSV structure", (CLI_PREVIOUS,), b"unit,index\nxa-1,50\nxa-1,60\n"
    ),
    Case("previous-json-not-json", "JSON", (CLI_PREVIOUS,), b"{units: [", suffix=".json"),
    Case("previous-json-wrong-shape", "JSON", (CLI_PREVIOUS,), b'{"units": 5}', suffix=".json"),
    Case(
        "previous-json-deep",
        "JSON",
        (CLI_PREVIOUS,),
        ("[" * 100_000 + "]" * 100_000).encode(),
        suffix=".json",
    ),
    Case(
        "previous-json-index-object",
        "JSON",
        (CLI_PREVIOUS,),
        b'{"units": [{"unit": "xa-1", "index": {"a": 1}}]}',
        suffix=".json",
    ),
    # --- names (the unit column of a scores file) --------------------------------------
    Case("name-nul-byte", "names", SCORES, scores("Xã\0Một,2.2.1,5")),
    Case(
        "name-bell",
        "names",
        SCORES,
        scores("Xã\aMột,2.2.1,5"),
        where="row 2",
    ),
    Case(
        "name-escape-sequence",
        "names",
        SCORES,
        scores("Xã\x1b[31mMột,2.2.1,5"),
        where="row 2",
    ),
    Case(
        "name-rtl-override",
        "names",
        SCORES,
        scores("Xã\u202eMột,2.2.1,5"),
        where="row 2",
    ),
    Case(
        "name-zero-width",
        "names",
        SCORES,
        scores("xa-1\u200b,2.2.1,5"),
        where="row 2",
    ),
    Case(
        "name-nfc-nfd-twins",
        "names",
        (CLI_COMPUTE,),
        scores("Xã Một,2.2.1,5", f"{NFD_NAME},2.2.1,6"),
        where="row 3",
    ),
    Case("name-10000-chars", "names", SCORES, expect="clean"),
    *[
        Case(f"name-leading-{slug}", "names", SCORES, scores(f"{lead}1+1,2.2.1,5"), expect="text")
        for slug, lead in [("equals", "="), ("plus", "+"), ("minus", "-"), ("at", "@")]
    ],
    Case(
        "name-formula-call",
        "names",
        SCORES,
        scores('"=HYPERLINK(""http://x"",""y"")",2.2.1,5'),
        expect="text",
    ),
    Case(
        "name-html-script",
        "names",
        SCORES,
        scores("<script>alert(1)</script>,2.2.1,5"),
        expect="text",
    ),
    Case(
        "methodology-name-nul",
        "names",
        METHODOLOGY,
        methodology_csv("1,,A\0B,100"),
    ),
    Case(
        "methodology-name-control",
        "names",
        METHODOLOGY,
        methodology_csv("1,,A\x07B,100"),
    ),
    Case(
        "yaml-name-rtl-override",
        "names",
        METHODOLOGY,
        yaml(NODE.replace("name: A", 'name: "A\\u202eB"')),
        suffix=".yaml",
    ),
    Case(
        "methodology-nfc-nfd-codes",
        "names",
        METHODOLOGY,
        methodology_csv("Một,,A,50", f"{unicodedata.normalize('NFD', 'Một')},,B,50"),
    ),
    # --- YAML --------------------------------------------------------------------------
    Case(
        "yaml-deep-10000",
        "YAML",
        METHODOLOGY,
        suffix=".yaml",
    ),
    Case(
        "yaml-deep-mappings",
        "YAML",
        METHODOLOGY,
        ("a: " + "{b: " * 5000 + "1" + "}" * 5000 + "\n").encode(),
        suffix=".yaml",
    ),
    Case("yaml-billion-laughs", "YAML", METHODOLOGY, yaml(LAUGHS), suffix=".yaml"),
    Case(
        "yaml-tabs",
        "YAML",
        METHODOLOGY,
        yaml("nodes:\n\t- code: '1'\n"),
        suffix=".yaml",
        where="row",
    ),
    Case(
        "yaml-duplicate-keys",
        "YAML",
        METHODOLOGY,
        yaml(NODE + "    max_points: 20\n"),
        suffix=".yaml",
    ),
    Case(
        "yaml-max-points-text",
        "YAML",
        METHODOLOGY,
        yaml(NODE.replace("10\n", "ten\n")),
        suffix=".yaml",
    ),
    Case(
        "yaml-max-points-list",
        "YAML",
        METHODOLOGY,
        yaml(NODE.replace("10\n", "[10]\n")),
        suffix=".yaml",
    ),
    Case(
        "yaml-code-mapping",
        "YAML",
        METHODOLOGY,
        yaml(NODE.replace("'1'", "{a: 1}")),
        suffix=".yaml",
    ),
    Case("yaml-nodes-mapping", "YAML", METHODOLOGY, yaml("nodes: {a: 1}\n"), suffix=".yaml"),
    Case(
        "yaml-children-number",
        "YAML",
        METHODOLOGY,
        yaml(NODE + "    children: 5\n"),
        suffix=".yaml",
    ),
    Case("yaml-top-level-list", "YAML", METHODOLOGY, b"- a\n- b\n", suffix=".yaml"),
    Case("yaml-top-level-scalar", "YAML", METHODOLOGY, b"just text\n", suffix=".yaml"),
    Case(
        "yaml-unclosed-flow", "YAML", METHODOLOGY, yaml("nodes: [\n"), suffix=".yaml", where="row"
    ),
    Case(
        "yaml-python-tag",
        "YAML",
        METHODOLOGY,
        yaml("nodes: !!python/object/apply:os.system ['true']\n"),
        suffix=".yaml",
    ),
    Case(
        "yaml-unknown-rule-kind",
        "YAML",
        METHODOLOGY,
        yaml(NODE + "    rule: {kind: magic}\n"),
        suffix=".yaml",
    ),
    Case(
        "yaml-rule-list", "YAML", METHODOLOGY, yaml(NODE + "    rule: [points]\n"), suffix=".yaml"
    ),
    Case(
        "yaml-levels-not-list",
        "YAML",
        METHODOLOGY,
        yaml(NODE + "    rule: {kind: levels, levels: 5}\n"),
        suffix=".yaml",
    ),
    Case(
        "yaml-decision-date-text",
        "YAML",
        METHODOLOGY,
        yaml("decision: {date: yesterday}\n" + NODE),
        suffix=".yaml",
    ),
    Case(
        "yaml-bands-mapping", "YAML", METHODOLOGY, yaml("bands: {A: 90}\n" + NODE), suffix=".yaml"
    ),
    Case(
        "yaml-unknown-source",
        "YAML",
        METHODOLOGY,
        yaml(NODE + "    source: rumour\n"),
        suffix=".yaml",
    ),
    Case("yaml-empty-file", "YAML", METHODOLOGY, b"", suffix=".yaml"),
    Case("methodology-wrong-extension", "YAML", METHODOLOGY, yaml(NODE), suffix=".txt"),
    # --- rule JSON (the rule column of an interchange CSV) -----------------------------
    Case("rule-json-deep-10000", "rule JSON", METHODOLOGY),
    *[
        Case(
            f"rule-json-{slug}",
            "rule JSON",
            METHODOLOGY,
            methodology_csv(f"1,,A,100,{rule}", header="code,parent,name,max_points,rule"),
            where="row 2",
        )
        for slug, rule in [
            ("not-json", "not json"),
            ("list", '"[1, 2]"'),
            ("kind-number", '"{""kind"": 5}"'),
            ("unknown-kind", '"{""kind"": ""magic""}"'),
            ("levels-text", '"{""kind"": ""levels"", ""levels"": ""x""}"'),
            ("per-item-text", '"{""kind"": ""deduction"", ""per_item"": ""x""}"'),
            ("nan-constant", '"{""kind"": ""deduction"", ""per_item"": NaN}"'),
            ("string", '"""points"""'),
        ]
    ],
    # --- XLSX --------------------------------------------------------------------------
    Case("xlsx-not-a-zip", "XLSX", XLSX_ALL, b"unit,code,points\nxa-1,2.2.1,5\n", suffix=".xlsx"),
    Case("xlsx-empty", "XLSX", XLSX_ALL, b"", suffix=".xlsx"),
    Case("xlsx-truncated-zip", "XLSX", XLSX_ALL, b"PK\x03\x04\x14\x00\x00\x00", suffix=".xlsx"),
    Case("xlsx-zip-not-xlsx", "XLSX", XLSX_ALL, suffix=".xlsx"),
    Case("xlsx-dtd-billion-laughs", "XLSX", XLSX_ALL, suffix=".xlsx"),
    Case("xlsx-dtd-external-entity", "XLSX", XLSX_ALL, suffix=".xlsx"),
    Case("xlsx-zip-bomb", "XLSX", XLSX_ALL, suffix=".xlsx"),
    Case("xlsx-missing-sheet", "XLSX", XLSX_ALL, suffix=".xlsx"),
    Case("xlsx-merged-header", "XLSX", SCORES, suffix=".xlsx", where="row 1"),
    Case("xlsx-formula-points", "XLSX", SCORES, suffix=".xlsx", where="row 2"),
    Case("xlsx-date-points", "XLSX", SCORES, suffix=".xlsx", where="row 2"),
    Case("xlsm-with-macros", "XLSX", XLSX_ALL, suffix=".xlsm", expect="clean"),
    Case(
        "workbook-formula-percent",
        "XLSX",
        (WEB_WORKBOOK,),
        suffix=".xlsx",
        where="row 2",
    ),
    Case("workbook-date-percent", "XLSX", (WEB_WORKBOOK,), suffix=".xlsx", where="row 2"),
    Case(
        "workbook-percent-over-100",
        "XLSX",
        (WEB_WORKBOOK,),
        suffix=".xlsx",
        where="row 2",
    ),
    # The merged header hides the percentage column: the row changes nothing, which is allowed.
    Case("workbook-merged-header", "XLSX", (WEB_WORKBOOK,), suffix=".xlsx", expect="clean"),
    Case("workbook-no-code-column", "XLSX", (WEB_WORKBOOK,), suffix=".xlsx"),
    Case("workbook-as-csv", "XLSX", (WEB_WORKBOOK,), b"Code,Points\n1.1.4,5\n", suffix=".csv"),
    *[
        Case(name, "XLSX", (WEB_WORKBOOK,), suffix=".xlsx", where=where, xfail=xfail)
        for name, where, xfail in [
            ("workbook-percent-underscore", "row 2", {}),
            ("workbook-percent-full-width", "row 2", {}),
            ("workbook-percent-nan", "row 2", {}),
            ("workbook-percent-negative", "row 2", {}),
            ("workbook-percent-400-nines", "row 2", {}),
            ("workbook-count-negative", "row 2", {}),
            ("workbook-count-fraction", "row 2", {}),
            ("workbook-level-unknown", "row 2", {}),
            ("workbook-yes-no-unknown", "row 2", {}),
            ("workbook-unknown-code", "row 2", {}),
            ("workbook-code-twice", "row 3", {}),
            ("workbook-survey-leaf-input", "row 2", {}),
            ("workbook-unknown-evidence", "row 2", {}),
        ]
    ],
    # A note that looks like a formula is text: saved as it is.
    Case("workbook-note-formula", "XLSX", (WEB_WORKBOOK,), suffix=".xlsx", expect="text"),
    # --- evidence files ----------------------------------------------------------------
    Case("evidence-elf", "evidence", EVIDENCE, suffix=".pdf"),
    Case("evidence-pe", "evidence", EVIDENCE, suffix=".pdf"),
    Case("evidence-html", "evidence", EVIDENCE, suffix=".pdf"),
    Case("evidence-svg-script", "evidence", EVIDENCE, suffix=".svg", content_type="image/svg+xml"),
    Case(
        "evidence-svg-as-png",
        "evidence",
        EVIDENCE,
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        suffix=".png",
        content_type="image/png",
    ),
    Case("evidence-empty", "evidence", EVIDENCE, b"", suffix=".pdf"),
    Case("evidence-pdf-named-exe", "evidence", EVIDENCE, suffix=".exe"),
    # A plain ZIP named .docx: stored as what its bytes are (a ZIP, an accepted type) or refused.
    Case(
        "evidence-zip-as-docx",
        "evidence",
        EVIDENCE,
        suffix=".docx",
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        expect="clean",
    ),
    Case(
        "evidence-declared-html",
        "evidence",
        EVIDENCE,
        b"<html></html>",
        suffix=".html",
        content_type="text/html",
    ),
    Case(
        "evidence-declared-exe",
        "evidence",
        EVIDENCE,
        b"MZ\x90\x00",
        suffix=".exe",
        content_type="application/x-msdownload",
    ),
    Case(
        "evidence-name-nul",
        "evidence",
        EVIDENCE,
        b"%PDF-1.4\n%%EOF\n",
        suffix=".pdf\0.exe",
    ),
]

# --- values typed into a field ----------------------------------------------------------
NUMBER_VALUES: list[tuple[str, str, dict[str, str]]] = [
    # slug, text, entry point → reason of an expected failure
    ("nan", "nan", {}),
    ("inf", "inf", {}),
    ("minus-infinity", "-Infinity", {}),
    ("negative", "-1", {}),
    ("underscore", "1_0", {}),
    ("full-width", "１０", {}),
    ("400-nines", "9" * 400, {}),
    ("above-maximum", "10.5", {WEB_ENTRY_PERCENT: "-", API_SELF_PERCENT: "-"}),
    ("percent-over-100", "250", {}),
    ("words", "ten", {}),
    ("two-dots", "1.5.5", {}),
    ("nul-byte", "5\0", {}),
    ("hex", "0x5", {}),
]  # fmt: skip
TEXT_VALUES: list[tuple[str, str, str, dict[str, str]]] = [
    # slug, text, expect, entry point → reason
    ("nul-byte", "ghi\0chú", "refused", {}),
    ("bell", "ghi\achú", "refused", {}),
    ("escape-sequence", "ghi\x1b[2Jchú", "refused", {}),
    ("rtl-override", "ghi\u202echú", "refused", {}),
    ("over-10000-chars", "x" * 10_001, "refused", {}),
    ("html-script", "<script>alert(1)</script>", "text", {}),
    ("leading-equals", "=1+1", "text", {}),
]

# Where a number case does not apply (the value is in range for that field): "-" above.
for slug, text, reasons in NUMBER_VALUES:
    points = tuple(p for p in NUMBER_FIELDS if reasons.get(p) != "-")
    xfail = {p: r for p, r in reasons.items() if r != "-"}
    CASES.append(Case(f"value-{slug}", "numbers", points, value=text, xfail=xfail))
for slug, text, expect, reasons in TEXT_VALUES:
    CASES.append(
        Case(f"text-{slug}", "names", TEXT_FIELDS, value=text, expect=expect, xfail=reasons)
    )
CASES += [
    Case("bands-nan", "numbers", (CLI_BANDS,), value="A:nan;B:0"),
    Case("bands-empty", "numbers", (CLI_BANDS,), value=";;"),
    Case("bands-no-colon", "numbers", (CLI_BANDS,), value="A90"),
    Case("bands-not-descending", "numbers", (CLI_BANDS,), value="A:10;B:90"),
    Case("bands-underscore", "numbers", (CLI_BANDS,), value="A:9_0;B:0"),
    Case("bands-huge", "numbers", (CLI_BANDS,), value=f"A:{'9' * 400};B:0"),
    Case("places-words", "numbers", (CLI_PLACES,), value="two"),
    Case("places-too-many", "numbers", (CLI_PLACES,), value="7"),
    Case("places-negative", "numbers", (CLI_PLACES,), value="-1"),
    Case("places-fraction", "numbers", (CLI_PLACES,), value="2.5"),
    Case("places-full-width", "numbers", (CLI_PLACES,), value="２"),
    Case(
        "path-missing",
        "paths",
        (CLI_SCORES_PATH,),
        value="/nonexistent/x.csv",
        where="/nonexistent",
    ),
    Case("path-is-a-folder", "paths", (CLI_SCORES_PATH,), value="/tmp", where="/tmp"),
    Case("path-is-a-device", "paths", (CLI_SCORES_PATH,), value="/dev/null", where="/dev/null"),
    Case("path-xlsx-missing", "paths", (CLI_SCORES_PATH,), value="/nonexistent.xlsx"),
    Case("evidence-number-too-long", "names", (WEB_EVIDENCE_NUMBER,), value="1" * 121),
    Case("evidence-number-nul", "names", (WEB_EVIDENCE_NUMBER,), value="12/\0KH"),
    Case(
        "evidence-number-control",
        "names",
        (WEB_EVIDENCE_NUMBER,),
        value="12/\x07KH",
    ),
]


def params(points: tuple[str, ...]) -> list[tuple[Case, str]]:
    """(case, entry point) pairs of the cases that ``points`` accept."""
    return [(c, p) for c in CASES for p in c.points if p in points]


def table() -> str:
    """The corpus as a Markdown table: case, family, entry points, expected outcome, xfail."""
    lines = [
        "| case | family | entry points | expected | known defect |",
        "| --- | --- | --- | --- | --- |",
    ]
    for c in CASES:
        known = "; ".join(sorted({f"{p}: {r}" for p, r in c.xfail.items()}))
        lines.append(f"| {c.name} | {c.family} | {', '.join(c.points)} | {c.expect} | {known} |")
    for h in HTTP_CASES:
        lines.append(f"| {h.name} | HTTP | {h.method.upper()} {h.url[:40]} | refused | {h.xfail} |")
    return "\n".join(lines)


if __name__ == "__main__":  # python -m tests.badinput.cases > corpus.md
    print(table())
