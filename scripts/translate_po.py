"""Fill empty Vietnamese msgstr entries from a dict ``T`` in a Python file; set the headers.

Maintainer helper (needs ``pip install polib``). Usage:
``python scripts/translate_po.py TRANSLATIONS.py PO [PO ...]``; compiles each .mo with msgfmt.
"""

from __future__ import annotations

import runpy
import subprocess
import sys

import polib

HEADER = {
    "Project-Id-Version": "parindex",
    "Last-Translator": "parindex maintainers",
    "Language-Team": "Vietnamese",
    "Language": "vi",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=1; plural=0;",
    "PO-Revision-Date": "2026-11-26 12:00+0700",
}


def main() -> int:
    table = runpy.run_path(sys.argv[1])["T"]
    missing = 0
    for path in sys.argv[2:]:
        po = polib.pofile(path)
        po.metadata.update(HEADER)
        if "fuzzy" in po.metadata_is_fuzzy or po.metadata_is_fuzzy:
            po.metadata_is_fuzzy = []
        for entry in po.untranslated_entries():
            if entry.msgid in table:
                entry.msgstr = table[entry.msgid]
            else:
                missing += 1
                print(f"{path}: no translation for {entry.msgid!r}")
        po.save(path)
        subprocess.run(["msgfmt", "--check", "-o", path[:-3] + ".mo", path], check=True)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
