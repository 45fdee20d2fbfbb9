"""Closed-loop GET load with wrk (``wrk -t2 -c16 -d10s``), results read from report.lua."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

REPORT = Path(__file__).with_name("report.lua")


def available() -> str | None:
    """wrk's version line, or None when it is not installed."""
    path = shutil.which("wrk")
    if path is None:
        return None
    result = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
    return (result.stdout or result.stderr).splitlines()[0].strip() if result.stdout or \
        result.stderr else "wrk"


def run(url: str, *, seconds: float, threads: int = 2, connections: int = 16,
        cookie: str = "") -> dict[str, Any]:
    argv = [shutil.which("wrk") or "wrk", f"-t{threads}", f"-c{connections}",
            f"-d{max(1, round(seconds))}s", "--timeout", "10s", "-s", str(REPORT)]
    if cookie:
        argv += ["-H", f"Cookie: {cookie}"]
    argv.append(url)
    completed = subprocess.run(argv, capture_output=True, text=True, check=False,
                               timeout=seconds + 60)
    line = next((line for line in completed.stdout.splitlines() if line.startswith("WRK_JSON ")),
                None)
    if completed.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({completed.returncode}): {completed.stderr.strip()}")
    raw = json.loads(line.removeprefix("WRK_JSON "))
    seconds_run = raw["duration_us"] / 1e6
    errors = raw["errors"]
    return {
        "generator": "wrk", "requests": raw["requests"], "seconds": round(seconds_run, 3),
        "rps": raw["requests"] / seconds_run if seconds_run else 0.0,
        "latency_ms": {key: value / 1000 for key, value in raw["latency_us"].items()},
        "non_ok": errors["status"] + sum(errors[key] for key in ("connect", "read", "write",
                                                                 "timeout")),
        "socket_errors": {
            key: errors[key] for key in ("connect", "read", "write", "timeout")},
        "bytes": raw["bytes"],
    }
