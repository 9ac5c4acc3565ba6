"""The fault harness's whole mode: a long burst of saves, uploads and imports with the server
SIGKILLed several times (tests/web/faults/harness.py says what is checked), on SQLite or, with
``--postgres``, on a PostgreSQL server started by ``.ci/postgres.sh`` (on PARINDEX_PG_PORT /
PARINDEX_PG_DATA when set). Prints what was sent, acknowledged and cut off, and the check; exits
1 if anything acknowledged was lost or anything was left half-written.

Usage: ``python bench/faults.py [--clients 12] [--seconds 60] [--kills 4] [--postgres]``
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "web" / "faults"))

from harness import Harness  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=12)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--kills", type=int, default=4)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="parindex-faults-"))
    script = str(REPO / ".ci" / "postgres.sh")
    try:
        if args.postgres:
            out = subprocess.run([script, "start"], check=True, capture_output=True, text=True)
            url = out.stdout.strip().split("=", 1)[1]
        else:
            url = f"sqlite:///{work / 'db.sqlite3'}"
        harness = Harness(work, url, clients=args.clients, env={})
        harness.set_up()
        harness.start()
        try:
            harness.burst(seconds=args.seconds, kills=args.kills)
        finally:
            harness.shut_down()
        result = harness.check()
        r = harness.record
        print(
            f"{'PostgreSQL' if args.postgres else 'SQLite'}, {args.clients} officers and a "
            f"secretary, {args.seconds:g} s, {args.kills} SIGKILLs: {r.sent} writes sent, "
            f"{r.acked} acknowledged, {r.failed} cut off, other answers {r.statuses or 'none'}"
        )
        print(
            f"  stored: {result['documents']} documents, {result['audit_records']} audit "
            f"records; orphans before cleanup {result['orphans_before_cleanup']}, after "
            f"{result['orphans']}; temporary leftovers {len(result['leftovers'])}; chain breaks "
            f"{len(result['chain_findings'])}"
        )
        for problem in result["problems"][:10]:
            print(f"  PROBLEM: {problem}")
        bad = (
            result["problems"]
            or result["chain_findings"]
            or result["leftovers"]
            or result["orphans"]
            or r.statuses
        )
        print(f"  nothing lost, nothing half-written: {'NO' if bad else 'yes'}")
        return 1 if bad else 0
    finally:
        if args.postgres:
            subprocess.run([script, "stop"], check=False, capture_output=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
