"""Reading untrusted input, once and strictly: bytes to text, CSV records, names, JSON and YAML.

Every file the project reads (on the command line or uploaded to the web) comes through here:

* :func:`decode` turns bytes into text: UTF-8 with or without a byte-order mark, or UTF-16 with
  one; anything else is refused, naming the encoding the bytes look like. A NUL character is
  refused (with its row and column); the text is normalised to NFC.
* :func:`csv_records` reads CSV from a path, bytes or a binary stream: any line ends (CR, LF,
  CRLF), fields up to :attr:`Limits.max_field` characters, a malformed quote named by its row.
* :func:`clean_name` checks a name or code: NFC, no control or format characters.
* :func:`clean_text` checks free text (a note, a reason, a document number): NFC, tab and line
  ends allowed, no other control character, at most a given length.
* :func:`refuse_duplicate_columns` refuses a header that names one column twice.
* :func:`load_json` and :func:`load_yaml` refuse nesting deeper than :attr:`Limits.max_depth`
  (YAML also more than :attr:`Limits.max_aliases` aliases), never a ``RecursionError``.

Every problem is a :class:`~parindex.errors.ParindexError` whose :class:`Problem` carries a
``code`` (stable, see ``docs/errors.md``) and ``params``, the file, the row and the column.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import yaml

from .errors import InputError, Location, ParindexError, Problem

__all__ = [
    "DEFAULT_LIMITS",
    "MAX_NOTE",
    "MAX_SHORT_TEXT",
    "Limits",
    "Source",
    "clean_name",
    "clean_text",
    "csv_records",
    "decode",
    "load_json",
    "load_yaml",
    "name_problem",
    "read_bytes",
    "refuse_duplicate_columns",
]

Source = str | Path | bytes | IO[bytes]
"""What a reader accepts: a path, the file's bytes, or a binary stream (an upload)."""

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How much input a reader accepts. The defaults suit every file the project knows."""

    max_bytes: int = 20 * MB
    """Size of a text file (CSV, YAML, JSON) in bytes."""
    max_field: int = 65_536
    """Characters in one CSV field or workbook cell (at most 131,072)."""
    max_depth: int = 32
    """Nesting of a methodology tree, of rule JSON, and (twice that plus 8) of a YAML document."""
    max_aliases: int = 100
    """YAML aliases (``*name``) in one document."""
    max_nodes: int = 5_000
    """Nodes in a methodology tree."""
    max_expanded: int = 20 * MB
    """Total uncompressed size of an archive (an XLSX workbook is a ZIP archive)."""
    max_members: int = 2_000
    """Members of an archive."""
    max_ratio: int = 200
    """Uncompressed to compressed size of one archive member."""


DEFAULT_LIMITS = Limits()

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# C0 controls (tab included), DEL and C1 controls: never part of a name or a code.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
# In free text a tab and line ends are allowed; the other controls are not.
# Bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) reorder what is shown
# ("Trojan source"): refused too.
_TEXT_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

MAX_NOTE = 10_000
"""Characters in a free-text note, reason or explanation (the web forms and the API)."""
MAX_SHORT_TEXT = 120
"""Characters in a short free-text field: a document number, an issuer."""


def _fail(
    error: type[ParindexError], code: str, where: Location, **params: object
) -> ParindexError:
    return error(Problem.of(code, where, **params))


def read_bytes(
    source: Source,
    file: str,
    error: type[ParindexError] = InputError,
    limits: Limits = DEFAULT_LIMITS,
) -> bytes:
    """The bytes of ``source`` (a path, bytes or a binary stream), at most ``limits.max_bytes``."""
    if isinstance(source, bytes):
        data = source
    elif isinstance(source, str | Path):
        try:
            with open(source, "rb") as handle:
                data = handle.read(limits.max_bytes + 1)
        except OSError as exc:
            reason = exc.strerror or exc
            raise _fail(error, "unreadable", Location(file), reason=reason) from None
    else:
        data = source.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise _fail(error, "too_large", Location(file), limit=limits.max_bytes // MB)
    return data


def _guess(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:65_536]).best()
    return None if best is None else str(best.encoding).replace("_", "-")


def _position(text: str, index: int) -> tuple[int, int]:
    """1-based line and character of ``text[index]``, counting any line end."""
    before = text[:index].replace("\r\n", "\n").replace("\r", "\n")
    return before.count("\n") + 1, len(before) - before.rfind("\n")


def decode(data: bytes, file: str, error: type[ParindexError] = InputError) -> str:
    """The text of ``data``: UTF-8 (a BOM is allowed) or UTF-16 with a BOM, in NFC.

    Refuses another encoding by the name it looks like ("the file looks like windows-1258; save
    it as UTF-8") and a NUL character (with its row and column).
    """
    encoding = "utf-8"
    for bom, name in _BOMS:
        if data.startswith(bom):
            data, encoding = data[len(bom) :], name
            break
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        guess = _guess(data) if encoding == "utf-8" else None
        where = Location(file, row=row)
        if guess and guess != "utf-8":
            raise _fail(error, "encoding_guess", where, byte=exc.start, encoding=guess) from None
        raise _fail(error, "encoding", where, byte=exc.start) from None
    _refuse_nul(text, file, error)
    return unicodedata.normalize("NFC", text)


def _refuse_nul(text: str, file: str, error: type[ParindexError]) -> None:
    nul = text.find("\x00")
    if nul >= 0:
        row, char = _position(text, nul)
        raise _fail(error, "nul", Location(file, row=row), char=char)


def clean_name(value: str) -> str:
    """A name or code as the project keeps it: stripped, in NFC, with no control character.

    Raises ``ValueError`` naming the character (``U+0000``) for a control character (C0, tab
    included, DEL, C1) or a format character (Unicode category Cf: U+200B zero width space,
    U+FEFF inside a name, U+202E and the other bidi overrides), so that no two spellings of one
    name and no invisible character get in.
    """
    text = unicodedata.normalize("NFC", value.strip())
    bad = _CONTROL.search(text)
    if bad is not None:
        raise ValueError(f"contains the control character U+{ord(bad.group()):04X}")
    for char in text:
        if unicodedata.category(char) == "Cf":
            raise ValueError(f"contains the invisible format character U+{ord(char):04X}")
    return text


def clean_text(text: str, field: str, max_length: int = MAX_NOTE) -> str:
    """Free text (a note, a reason, an explanation, a document number) as the project keeps it.

    In NFC; tab, LF and CR are allowed; NUL and the other C0 and C1 control characters are
    refused, and so are the bidi embeddings, overrides and isolates (U+202A-U+202E,
    U+2066-U+2069) and text longer than ``max_length`` characters. Raises ``ValueError``
    naming ``field`` and the character (``U+0007``) or the limit.
    """
    value = unicodedata.normalize("NFC", text)
    bad = _TEXT_CONTROL.search(value)
    if bad is not None:
        raise ValueError(f"{field} contains the control character U+{ord(bad.group()):04X}")
    if len(value) > max_length:
        raise ValueError(f"{field} is longer than {max_length} characters")
    return value


def refuse_duplicate_columns(
    header: list[str], file: str, row: int, error: type[ParindexError] = InputError
) -> None:
    """Refuse a ``header`` (stripped, compared as given) that names one column twice.

    The error names the column and both positions ("column 'points' is given twice, in
    columns 3 and 4"), so that no cell of a row is silently dropped.
    """
    seen: dict[str, int] = {}
    for index, name in enumerate(header, start=1):
        if name and name in seen:
            where = Location(file, row=row)
            raise _fail(
                error, "duplicate_column", where, column=name, first=seen[name], second=index
            )
        seen.setdefault(name, index)


def name_problem(exc: ValueError, where: Location) -> Problem:
    """The problem :func:`clean_name` raised ``exc`` for, at ``where`` (params: ``char``)."""
    char = str(exc).rpartition(" ")[2]
    code = "name_format" if "format character" in str(exc) else "name_control"
    return Problem.of(code, where, char=char)


# --- CSV ------------------------------------------------------------------------------------


def _long_field(text: str, limit: int) -> int:
    """The 0-based index of the first field longer than ``limit`` in the CSV record ``text``."""
    index = length = 0
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            index, length = index + 1, 0
            continue
        length += 1
        if length > limit:
            return index
    return index  # pragma: no cover - the caller only asks about a record that has one


def csv_records(
    source: Source | None = None,
    file: str = "<csv>",
    *,
    text: str | None = None,
    error: type[ParindexError] = InputError,
    comments: str = "leading",
    limits: Limits = DEFAULT_LIMITS,
) -> list[tuple[int, list[str]]]:
    """The non-blank records of a CSV file, each with the line it starts on (1-based).

    ``source`` is a path, bytes or a binary stream (decoded by :func:`decode`), or ``text`` the
    decoded text. Lines starting with ``#`` are comments: before the header only
    (``comments="leading"``) or anywhere (``"any"``). Line ends may be CR, LF or CRLF. Raises
    ``error`` naming the row (and the column for a field longer than ``limits.max_field``).
    """
    if text is None:
        assert source is not None
        text = decode(read_bytes(source, file, error, limits), file, error)
    _refuse_nul(text, file, error)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    fed: list[str] = []  # comment lines become blank lines, so that line numbers hold
    started = False
    for line in lines:
        if line.lstrip().startswith("#") and (comments == "any" or not started):
            fed.append("\n")
        else:
            started = started or bool(line.strip())
            fed.append(line + "\n")
    reader = csv.reader(fed, strict=True)
    records: list[tuple[int, list[str]]] = []
    header: list[str] = []
    previous = 0
    # The csv module's own limit is process-wide and other libraries change it (frictionless
    # raises it to sys.maxsize on import), so it is read at each call: a field over it is
    # reported by the csv.Error path below, a field under it by the loop, with the same words.
    limit = min(limits.max_field, csv.field_size_limit())
    try:
        for fields in reader:
            row = previous + 1
            for index, field in enumerate(fields):
                if len(field) > limit:
                    raise _too_long(error, file, row, index, header, limit)
            if any(field.strip() for field in fields):
                records.append((row, fields))
                header = header or [f.strip() for f in fields]
            previous = reader.line_num
    except csv.Error as exc:
        row = previous + 1
        if "field limit" in str(exc):
            index = _long_field("".join(fed[previous:]), limit)
            raise _too_long(error, file, row, index, header, limit) from None
        raise _fail(error, "csv", Location(file, row=row), reason=exc) from None
    return records


def _too_long(
    error: type[ParindexError], file: str, row: int, index: int, header: list[str], limit: int
) -> ParindexError:
    column = header[index] if index < len(header) and header[index] else f"#{index + 1}"
    where = Location(file, row=row, column=column)
    return _fail(error, "field_too_long", where, limit=limit)


# --- JSON and YAML --------------------------------------------------------------------------


def _json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in JSON ``text`` (strings skipped)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def load_json(
    text: str,
    where: Location,
    error: type[ParindexError] = InputError,
    limits: Limits = DEFAULT_LIMITS,
) -> Any:
    """Parse JSON ``text``; refuse nesting deeper than ``limits.max_depth`` and bad JSON."""
    if _json_depth(text) > limits.max_depth:
        raise _fail(error, "json_too_deep", where, limit=limits.max_depth)
    try:
        return json.loads(text, parse_constant=_no_constant)
    except ValueError as exc:
        raise _fail(error, "json", where, reason=exc) from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


class _StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader with limits on nesting and aliases, and strict numbers.

    YAML 1.1 reads ``1_0`` as 10, ``0o10``/``010`` as 8, ``1:30`` as 90 and ``.nan`` as a
    number; here only plain decimal integers and ``1.5``-style floats are numbers, everything
    else stays text (and a number field then refuses it by name).
    """

    limits = DEFAULT_LIMITS

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = self.aliases = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > self.limits.max_aliases:
                raise _YamlLimit("yaml_aliases", self.limits.max_aliases, self)
        self.depth += 1
        if self.depth > 2 * self.limits.max_depth + 8:
            raise _YamlLimit("yaml_too_deep", 2 * self.limits.max_depth + 8, self)
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _YamlLimit(Exception):
    def __init__(self, code: str, limit: int, loader: _StrictLoader) -> None:
        super().__init__(code)
        self.code, self.limit = code, limit
        self.line = loader.peek_event().start_mark.line + 1  # type: ignore[no-untyped-call]


_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _NUMBER_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^-?(?:0|[1-9][0-9]*)$"), list("-0123456789")
)
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float", re.compile(r"^-?[0-9]+\.[0-9]+$"), list("-0123456789")
)


def load_yaml(
    text: str,
    file: str,
    error: type[ParindexError] = InputError,
    limits: Limits = DEFAULT_LIMITS,
) -> Any:
    """Parse YAML ``text`` safely (see :class:`_StrictLoader`); errors name the line."""
    loader_class = type("_Loader", (_StrictLoader,), {"limits": limits})
    loader: _StrictLoader | None = None
    try:
        loader = loader_class(text)  # the reader refuses special characters here
        return loader.get_single_data()
    except _YamlLimit as exc:
        raise _fail(error, exc.code, Location(file, row=exc.line), limit=exc.limit) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        reason = f"{exc.reason} (U+{exc.character:04X})"
        raise _fail(error, "yaml", Location(file, row=line), reason=reason) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or "malformed YAML"
        raise _fail(error, "yaml", Location(file, row=row), reason=reason) from None
    finally:
        if loader is not None:
            loader.dispose()
