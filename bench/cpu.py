"""Where the machine's CPU went during one measurement (Linux /proc; empty elsewhere).

The VM is shared: other programs (a test suite, a browser) may run during the benchmark and
take CPU from the servers. Each measurement records, in cores, the CPU used by all processes,
by the benchmark's own (gunicorn masters and workers, wrk, this process) and the difference,
"foreign" CPU. A measurement with much foreign CPU was disturbed.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
PROC = Path("/proc")


def _machine() -> tuple[float, float, float] | None:
    """(process seconds, interrupt seconds, steal seconds) over all CPUs since boot.

    Interrupt time (mostly the loopback network's softirq, i.e. our own traffic) is kept apart:
    it belongs to no process, so it is neither "ours" nor "foreign" for certain."""
    try:
        fields = (PROC / "stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system) / TICKS, (irq + softirq) / TICKS, steal / TICKS


def _children(parents: set[int]) -> set[int]:
    found = set()
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        if ppid in parents:
            found.add(int(entry.name))
    return found


def _process_seconds(pid: int) -> float:
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


class Meter:
    """``with Meter(server_pids) as meter: …`` then ``meter.result``."""

    def __init__(self, server_pids: Iterable[int | None]) -> None:
        self.masters = {pid for pid in server_pids if pid}
        self.result: dict[str, Any] = {}

    def _ours(self) -> dict[int, float]:
        pids = self.masters | _children(self.masters)
        return {pid: _process_seconds(pid) for pid in pids}

    def __enter__(self) -> Meter:
        self._machine = _machine()
        self._servers = self._ours()
        times = os.times()
        self._self = times.user + times.system + times.children_user + times.children_system
        self._wall = time.monotonic()
        return self

    def __exit__(self, *_exc: object) -> None:
        machine = _machine()
        wall = time.monotonic() - self._wall
        if machine is None or self._machine is None or wall <= 0:
            return
        servers = self._ours()
        server_seconds = sum(seconds - self._servers.get(pid, 0.0)
                             for pid, seconds in servers.items())
        times = os.times()
        own = times.user + times.system + times.children_user + times.children_system - self._self
        processes = machine[0] - self._machine[0]
        self.result = {
            "processes_cores": round(processes / wall, 3),
            "servers_cores": round(server_seconds / wall, 3),
            "generator_cores": round(own / wall, 3),  # this process, wrk, other children
            "foreign_cores": round(max(0.0, processes - server_seconds - own) / wall, 3),
            "interrupt_cores": round((machine[1] - self._machine[1]) / wall, 3),
            "steal_cores": round((machine[2] - self._machine[2]) / wall, 3),
        }
