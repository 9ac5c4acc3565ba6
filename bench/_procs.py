"""Process helpers shared by the server benchmarks (officers_load.py, publish_load.py)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on at the time of the call."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stop(procs: list[subprocess.Popen[bytes]], sig: signal.Signals, seconds: float = 10) -> None:
    """Send ``sig`` to every process, then wait for each; one still running ``seconds`` later
    is killed, and named.

    ``runserver --noreload`` can keep a request thread alive past SIGINT; a benchmark must not
    fail (and skip the benchmarks after it) because its server was slow to exit.
    """
    for proc in procs:
        proc.send_signal(sig)
    for proc in procs:
        try:
            proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            print(f"  ({proc.args!r} still running {seconds:g} s after {sig.name}: killed)")
            proc.kill()
            proc.wait()


def _cpu_of(pid: str) -> tuple[int, float] | None:
    """(parent pid, user + system CPU seconds) of a process from /proc, or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _is_postgres(pid: str) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            argv0 = f.read().split(b"\0", 1)[0].decode(errors="replace")
    except OSError:
        return False
    return argv0.startswith("postgres:") or os.path.basename(argv0) == "postgres"


def cpu_snapshot(server: int) -> dict[str, dict[int, float]] | None:
    """CPU seconds so far of the ``server`` process and its descendants, of PostgreSQL's
    processes and of this process (the load generator), per pid; None where there is no /proc.

    Read from /proc (Linux); :func:`cpu_used` subtracts two snapshots.
    """
    if not os.path.isdir("/proc/self"):
        return None
    procs = {p: c for p in os.listdir("/proc") if p.isdigit() and (c := _cpu_of(p)) is not None}
    tree, grew = {server}, True
    while grew:  # a worker's children too, whatever the depth
        grown = tree | {int(p) for p, (parent, _) in procs.items() if parent in tree}
        grew, tree = grown != tree, grown
    return {
        "server": {int(p): c for p, (_, c) in procs.items() if int(p) in tree},
        "PostgreSQL": {int(p): c for p, (_, c) in procs.items() if _is_postgres(p)},
        "load generator": {os.getpid(): procs[str(os.getpid())][1]},
    }


def cpu_used(
    before: dict[str, dict[int, float]] | None, after: dict[str, dict[int, float]] | None
) -> str:
    """CPU used between two snapshots: "server 24.1 s, PostgreSQL 5.0 s, load generator 1.3 s".

    A process started in between counts from its start; one that ended in between is not
    counted (the servers' processes and database connections live through a run).
    """
    if before is None or after is None:
        return "not measured (no /proc)"
    return ", ".join(
        f"{group} {sum(c - before[group].get(pid, 0.0) for pid, c in pids.items()):.1f} s"
        for group, pids in after.items()
        if pids  # no PostgreSQL on SQLite
    )
