"""How fast the machine's cores run while a benchmark runs, to set beside its latencies.

A separate process times a fixed loop (200,000 steps of Python arithmetic) twice a second in
*CPU time*: waiting for a free core does not count, only how fast the core runs once it has
it, which on a shared virtual machine changes with its neighbours. The loop costs about 8 ms
of CPU every half second (under 2 % of one core). It tells runs apart only roughly: sampled
twice a second, it misses short slowdowns (docs/deployment.md).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time

_LOOP = """
import time
def loop():
    t = time.thread_time()
    x = 0
    for i in range(200_000):
        x += i * i
    return (time.thread_time() - t) * 1000
while True:
    print(f"{time.monotonic():.3f} {loop():.2f}", flush=True)
    time.sleep(0.5)
"""


class SpeedProbe:
    """Start the loop's process; ``between(t0, t1)`` summarises the samples taken in
    [t0, t1] (``time.monotonic`` seconds); ``close()`` stops it."""

    def __init__(self) -> None:
        self.samples: list[tuple[float, float]] = []
        self._proc = subprocess.Popen(
            [sys.executable, "-c", _LOOP], stdout=subprocess.PIPE, text=True
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self._proc.stdout is not None
        for line in self._proc.stdout:
            at, ms = line.split()
            self.samples.append((float(at), float(ms)))

    def between(self, t0: float, t1: float) -> str:
        """The loop's CPU time in [t0, t1]: "median M ms, p90 P ms of N samples", or "no samples"."""
        values = [ms for at, ms in self.samples if t0 <= at <= t1]
        if len(values) < 2:
            return "no samples"
        p90 = statistics.quantiles(values, n=10, method="inclusive")[8]
        return (
            f"median {statistics.median(values):.1f} ms, p90 {p90:.1f} ms of {len(values)} samples"
        )

    def close(self) -> None:
        self._proc.terminate()
        self._proc.wait(timeout=10)
        self._reader.join(timeout=10)


if __name__ == "__main__":  # the machine's speed now, with nothing else of ours running
    probe = SpeedProbe()
    start = time.monotonic()
    time.sleep(10)
    print("a fixed loop's CPU time:", probe.between(start, time.monotonic()))
    probe.close()


_BUSY = """
import sys, time
share = float(sys.argv[1])
while True:  # busy for `share` of every 20 ms, asleep for the rest
    t = time.perf_counter()
    while time.perf_counter() - t < 0.020 * share:
        pass
    time.sleep(0.020 * (1 - share))
"""


def take_cores(share: float) -> list[subprocess.Popen[bytes]]:
    """Processes that keep ``share`` (0–1) of every core busy, to run a benchmark as if the
    machine had that much less CPU (a slow minute of a shared machine); stop them with
    ``_procs.stop``. No process for a share of 0."""
    if not 0 <= share < 1:
        raise ValueError(f"share must be in [0, 1), not {share}")
    if share == 0:
        return []
    return [
        subprocess.Popen([sys.executable, "-c", _BUSY, str(share)])
        for _ in range(os.cpu_count() or 1)
    ]
