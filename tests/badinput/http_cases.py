"""The bad-input corpus's requests built by hand: malformed JSON, huge bodies, unknown
addresses. Each is sent to the API or a page and must be refused with a 4xx, never a 500."""

from __future__ import annotations

from dataclasses import dataclass

# --- HTTP-level cases ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HttpCase:
    """A request built by hand. ``url``: ``self`` (PUT a self-assessment of leaf 1.1.4),
    ``appraisal`` (PUT an appraisal of 1.1.4), ``evidence`` (POST /api/…/evidence), ``page``
    (POST the web evidence form), or a path with ``{a}`` (the open assessment). ``body``:
    bytes, with ``{v}`` replaced by the entry's version. ``named``: the answer must name the
    problem (a JSON error for the API, a form error on a page); 404s need not."""

    name: str
    method: str
    url: str
    body: bytes = b""
    content_type: str = "application/json"
    named: bool = True
    xfail: str = ""


NESTED = b"[" * 100_000 + b"]" * 100_000
HTTP_CASES: list[HttpCase] = [
    HttpCase("json-not-json", "put", "self", b'{"inputs": '),
    HttpCase("json-empty-body", "put", "self", b""),
    HttpCase("json-array", "put", "self", b"[1, 2]"),
    HttpCase("json-string", "put", "self", b'"inputs"'),
    HttpCase("json-deep-nesting", "put", "self", b'{"inputs": ' + NESTED + b', "version": {v}}'),
    HttpCase("json-utf16", "put", "self", '{"inputs": {}, "version": 0}'.encode("utf-16")),
    HttpCase(
        "json-invalid-utf8", "put", "self", b'{"inputs": {"percent": "\xff"}, "version": {v}}'
    ),
    HttpCase("json-wrong-types", "put", "self", b'{"inputs": [], "version": "abc"}'),
    HttpCase(
        "json-unknown-field",
        "put",
        "self",
        b'{"inputs": {"percent": "50"}, "note": "", "version": {v}, "bogus": 1}',
    ),
    HttpCase("json-unknown-input", "put", "self", b'{"inputs": {"bogus": "1"}, "version": {v}}'),
    HttpCase("json-nan-literal", "put", "self", b'{"inputs": {"percent": NaN}, "version": {v}}'),
    HttpCase(
        "json-infinity-literal", "put", "self", b'{"inputs": {"percent": Infinity}, "version": {v}}'
    ),
    HttpCase(
        "json-version-22-digits",
        "put",
        "self",
        b'{"inputs": {"percent": "50"}, "version": 1234567890123456789012}',
    ),
    HttpCase("json-inputs-nested", "put", "self", b'{"inputs": {"percent": [50]}, "version": {v}}'),
    HttpCase("json-huge-exponent", "put", "appraisal", b'{"points": 1e400, "version": {v}}'),
    HttpCase("json-points-bool", "put", "appraisal", b'{"points": true, "version": {v}}'),
    HttpCase("json-points-negative", "put", "appraisal", b'{"points": -1, "version": {v}}'),
    HttpCase("json-points-object", "put", "appraisal", b'{"points": {"a": 1}, "version": {v}}'),
    HttpCase(
        "json-as-text-plain",
        "put",
        "self",
        b'{"inputs": {"percent": "50"}, "version": {v}}',
        content_type="text/plain",
    ),
    HttpCase(
        "id-22-digits",
        "put",
        "/api/assessments/1234567890123456789012/entries/1.1.4/self-assessment",
        b'{"inputs": {"percent": "50"}, "version": 0}',
    ),
    HttpCase(
        "code-1000-chars",
        "put",
        "/api/assessments/{a}/entries/" + "1" * 1000 + "/self-assessment",
        b'{"inputs": {"percent": "50"}, "version": 0}',
        named=False,
    ),
    HttpCase("query-string-100k", "get", "/api/assessments?cycle=" + "9" * 100_000),
    HttpCase(
        "query-string-5000-fields",
        "get",
        "/api/assessments?" + "&".join(f"f{i}=1" for i in range(5000)),
    ),
    HttpCase("multipart-without-boundary", "post", "evidence", b"--x\r\n", "multipart/form-data"),
    HttpCase(
        "multipart-truncated",
        "post",
        "evidence",
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF',
        "multipart/form-data; boundary=b",
    ),
    HttpCase(
        "multipart-no-file",
        "post",
        "evidence",
        b'--b\r\nContent-Disposition: form-data; name="doc_number"\r\n\r\n1\r\n--b--\r\n',
        "multipart/form-data; boundary=b",
    ),
    HttpCase(
        "page-multipart-without-boundary",
        "post",
        "page",
        b"--x\r\n",
        "multipart/form-data",
        named=False,
    ),
    HttpCase(
        "page-no-file",
        "post",
        "page",
        b'--b\r\nContent-Disposition: form-data; name="doc_number"\r\n\r\n1\r\n--b--\r\n',
        "multipart/form-data; boundary=b",
    ),
    HttpCase(
        "page-id-22-digits",
        "post",
        "/assessments/1234567890123456789012/evidence/",
        b"doc_number=1",
        "application/x-www-form-urlencoded",
        named=False,
    ),
    HttpCase(
        "page-unknown-leaf",
        "post",
        "/assessments/{a}/entries/9.9.9/",
        b"note=x",
        "application/x-www-form-urlencoded",
        named=False,
    ),
    HttpCase(
        "page-5000-fields",
        "post",
        "/assessments/{a}/entries/1.1.4/",
        "&".join(f"f{i}=1" for i in range(5000)).encode(),
        "application/x-www-form-urlencoded",
        named=False,
    ),
]
