"""Process helpers shared by the server benchmarks (officers_load.py, publish_load.py)."""

from __future__ import annotations

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
