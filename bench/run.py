"""The benchmark: ``python -m bench.run`` from the project root (``make bench``).

One run, all side by side (see bench/README.md and ../shared/research/performance.md):

1. the floor: bench/hello.py under gunicorn (2 sync workers) with ``wrk -t2 -c16 -d10s``;
2. the real app under gunicorn (2 sync workers) on a throwaway SQLite database: GET of the point
   pages p7 (professionals table) and p4 and of the overview of a fully filled-in application
   (wrk), and autosave of point 3 in a closed loop (16 connections, own client, see loadgen.py);
3. autosave under open-loop Poisson load (150/s by default) over ≥ 50 drafts, then a check in
   the database that every save that got 200 is there, exactly once, with the last text;
4. a summary with the ratios to the floor, each measurement repeated in interleaved rounds.

It prints and writes JSON to bench/results/; it exits 0 whatever the numbers are. It exits 3
only when the database check finds lost or duplicated saves (a correctness bug, not slowness),
and 1 when something crashed.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from bench import cpu, loadgen, scenario, servers, wrk
from bench.client import Session

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"

# Goals from ../shared/research/performance.md §5 (guard, target); None = no such bound.
GOALS = {
    "p7/hello": (0.035, 0.15),
    "autosave/hello": (0.09, None),
    "openloop_p99_ms": (50.0, 25.0),
}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    parser.add_argument("--seconds", type=float, default=10.0,
                        help="length of each closed-loop measurement (default 10)")
    parser.add_argument("--connections", type=int, default=16,
                        help="closed-loop connections (default 16, as wrk -c16)")
    parser.add_argument("--rate", type=float, default=150.0,
                        help="open-loop autosaves per second (default 150)")
    parser.add_argument("--openloop-seconds", type=float, default=12.0,
                        help="length of each open-loop measurement (default 12)")
    parser.add_argument("--applications", type=int, default=50,
                        help="applications, i.e. autosave drafts (default 50, at least 16)")
    parser.add_argument("--rows", type=int, default=12,
                        help="rows in the professionals table of point 7 (default 12)")
    parser.add_argument("--inproc-requests", type=int, default=100,
                        help="requests per endpoint for the in-process CPU figure, each round "
                        "(default 100; 0 leaves it out)")
    parser.add_argument("--no-wrk", action="store_true",
                        help="use the Python closed-loop client even when wrk is installed")
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run: 1 round of 3 s, open loop 4 s (numbers are rough)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary instance folder and database")
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds, args.seconds, args.openloop_seconds = 1, 3.0, 4.0
    args.applications = max(args.applications, args.connections)
    return args


# --------------------------------------------------------------------------- formatting


def spread(values: list[float], digits: int = 0) -> str:
    """"median [min–max]" of the rounds."""
    values = [value for value in values if not math.isnan(value)]
    if not values:
        return "–"
    if len(values) == 1:
        return f"{values[0]:.{digits}f}"
    return (f"{statistics.median(values):.{digits}f} "
            f"[{min(values):.{digits}f}–{max(values):.{digits}f}]")


def stats(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "n": len(values)} if values else {}


def verdict(value: float, guard: float | None, target: float | None, *, higher: bool) -> str:
    def ok(bound: float) -> bool:
        return value >= bound if higher else value <= bound

    if math.isnan(value):
        return ""
    if target is not None and ok(target):
        return "meets target"
    if guard is not None and ok(guard):
        return "within guard, below target" if target is not None else "within guard"
    return "OUTSIDE GUARD" if guard is not None else ""


def table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for index, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i])
                               for i, cell in enumerate(row)).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


# --------------------------------------------------------------------------- environment


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in ("flask", "werkzeug", "jinja2", "wtforms", "flask-wtf", "sqlalchemy",
                 "flask-sqlalchemy", "gunicorn"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "?"
    import sqlite3

    found["sqlite"] = sqlite3.sqlite_version
    return found


def source_fingerprint() -> str:
    """A hash of the code and data the app runs on, to notice edits made during a run."""
    import hashlib

    digest = hashlib.sha256()
    for folder in ("soknad", "templates", "forms", "data", "migrations"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    git = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
                         capture_output=True, text=True, check=False).stdout.strip()
    return {"cpus": os.cpu_count(), "cpu_model": model, "platform": platform.platform(),
            "git": git, "loadavg_at_start": os.getloadavg()}


# --------------------------------------------------------------------------- the run


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.wrk_version = None if args.no_wrk else wrk.available()
        self.rounds: list[dict[str, Any]] = []
        self.servers: list[servers.Server] = []

    def start_servers(self, work: Path, env: dict[str, str]
                      ) -> tuple[servers.Server, servers.Server]:
        """gunicorn serving hello (the floor) and the app, on free ports; stopped by ``main``."""
        hello = servers.Server("hello", "bench.hello:app", servers.free_port(),
                               work / "gunicorn-hello.log", env)
        app = servers.Server("app", "bench.appwsgi:app", servers.free_port(),
                             work / "gunicorn-app.log", env)
        for server in (hello, app):
            self.servers.append(server)
            server.start()
        return hello, app

    def get(self, server: servers.Server, path: str, cookie: str = "", *,
            seconds: float | None = None, python: bool = False) -> dict[str, Any]:
        seconds = seconds or self.args.seconds
        load = os.getloadavg()[0]
        with self.meter() as meter:
            if self.wrk_version and not python:
                result = wrk.run(server.base + path, seconds=seconds, cookie=cookie,
                                 connections=self.args.connections)
            else:
                result = loadgen.closed_loop_get(server.port, path, cookie,
                                                 self.args.connections, seconds).to_dict()
        result["loadavg_1m_before"] = load
        result["cpu"] = meter.result
        return result

    def meter(self) -> cpu.Meter:
        return cpu.Meter(server.pid for server in self.servers)

    def autosave(self, server: servers.Server, drafts: list[scenario.Draft],
                 seconds: float | None = None) -> dict[str, Any]:
        load = os.getloadavg()[0]
        with self.meter() as meter:
            result = loadgen.closed_loop_autosave(server.port, drafts, self.args.connections,
                                                  seconds or self.args.seconds).to_dict()
        result["loadavg_1m_before"] = load
        result["cpu"] = meter.result
        return result

    def inproc(self, env: dict[str, str], scene: scenario.Scenario) -> dict[str, Any] | None:
        if self.args.inproc_requests <= 0:
            return None
        done = subprocess.run(
            [sys.executable, "-m", "bench.inproc", str(scene.heavy_id), str(scene.spare_id),
             str(self.args.inproc_requests)],
            cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, check=False,
            timeout=600)
        if done.returncode != 0:
            raise RuntimeError(f"bench.inproc failed:\n{done.stdout}\n{done.stderr}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def run(self, work: Path) -> dict[str, Any]:  # noqa: PLR0915
        args = self.args
        say = print
        instance, database = work / "instance", work / "bench.sqlite"
        env = {"BENCH_INSTANCE": str(instance), "DATABASE_URL": f"sqlite:///{database}",
               "PYTHONDONTWRITEBYTECODE": "1"}
        say(f"benchmark in {work} ({os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f})")
        if self.wrk_version:
            say(f"load generator: {self.wrk_version} for GET; own asyncio client for autosave")
        else:
            why = "--no-wrk given" if args.no_wrk else "wrk is not installed"
            say(f"NOTE: {why}: every closed-loop figure uses the Python asyncio client "
                "(slower than wrk, so the hello floor and the ratios are less sharp)")

        say("preparing the database: soknad demo (migrate, organisations, round, demo users)")
        demo = subprocess.run([sys.executable, "-m", "bench.appwsgi", "demo"], cwd=ROOT,
                              env={**os.environ, **env}, capture_output=True, text=True,
                              check=False, timeout=300)
        if demo.returncode != 0:
            raise RuntimeError(f"soknad demo failed:\n{demo.stdout}\n{demo.stderr}")

        hello, app = self.start_servers(work, env)
        for server in (hello, app):
            say(f"started gunicorn {server.name} (pid {server.pid}) on port {server.port}")

        say(f"setting up {args.applications} applications through the app's pages")
        setup_started = time.monotonic()
        scene = scenario.prepare(Session("127.0.0.1", app.port), args.applications, args.rows,
                                 log=say)
        say(f"  done in {time.monotonic() - setup_started:.1f} s; pages measured:")
        for name, facts in scene.page_facts.items():
            say(f"    {name:<9} {facts['path']:<28} {facts['bytes'] / 1024:6.1f} KB, "
                f"{facts['form_controls']} form controls")
        drafts = scene.drafts
        cookie = scene.heavy_cookie

        say("warming up (2 s each, not recorded)")
        self.get(hello, "/", seconds=2)
        for path in scene.pages.values():
            self.get(app, path, cookie, seconds=2)
        self.autosave(app, drafts, seconds=2)

        for number in range(1, args.rounds + 1):
            say(f"round {number}/{args.rounds}")
            measured: dict[str, Any] = {}
            measured["hello"] = self.get(hello, "/")
            say(f"  hello                {measured['hello']['rps']:8.0f} req/s")
            if self.wrk_version:
                measured["hello_py"] = self.get(hello, "/", python=True)
                say(f"  hello (python)       {measured['hello_py']['rps']:8.0f} req/s")
            for name, path in scene.pages.items():
                measured[name] = result = self.get(app, path, cookie)
                say(f"  GET {name:<16} {result['rps']:8.0f} req/s")
                # wrk counts a 3xx as success: make sure the answers were the page itself.
                size = result.get("bytes", 0) / max(1, result["requests"])
                result["bytes_per_response"] = size
                if size < 0.9 * scene.page_facts[name]["bytes"]:
                    say(f"  WARNING: {size:.0f} bytes per response, the page has "
                        f"{scene.page_facts[name]['bytes']}: not the page (logged out?)")
            measured["autosave"] = self.autosave(app, drafts)
            say(f"  autosave (closed)    {measured['autosave']['rps']:8.0f} req/s, "
                f"statuses {measured['autosave']['statuses']}")
            load = os.getloadavg()[0]
            with self.meter() as meter:
                opened = loadgen.open_loop_autosave(app.port, drafts, args.rate,
                                                    args.openloop_seconds, seed=number).to_dict()
            opened["loadavg_1m_before"] = load
            opened["cpu"] = meter.result
            opened["integrity"] = scenario.verify(database, drafts)
            measured["openloop"] = opened
            latency = opened["latency_ms"]
            say(f"  autosave open loop {args.rate:.0f}/s: p50 {latency['p50']:.1f} "
                f"p99 {latency['p99']:.1f} max {latency['max']:.1f} ms, "
                f"non-200 {opened['non_ok']}, lag p99 {opened['lag_ms']['p99']:.1f} ms")
            inproc = self.inproc(env, scene)
            if inproc:
                measured["inproc"] = inproc
                say("  in-process CPU ms/request: " + ", ".join(
                    f"{name} {value:.2f}" for name, value in inproc["cpu_ms"].items()))
            self.rounds.append(measured)

        integrity = scenario.verify(database, drafts)
        return {
            "scenario": {
                "applications": args.applications, "users": scene.users,
                "heavy_application": scene.heavy_id, "pages": scene.page_facts,
                "autosave_point": scenario.AUTOSAVE_POINT,
                "autosave_body_bytes": scenario.body_fields_bytes(drafts[0]),
                "professionals_rows": args.rows,
            },
            "rounds": self.rounds,
            "integrity": integrity,
            "server_error_logs": {s.name: s.error_log_tail() for s in self.servers},
        }


# --------------------------------------------------------------------------- summary


LABELS = {"hello": "hello (floor)", "hello_py": "hello (floor, Python client)",
          "p7": "GET point p7 (professionals)", "p4": "GET point p4 (regions)",
          "overview": "GET overview", "autosave": "POST autosave p3",
          "p7_cold": "GET point p7, first view after a change"}


def _closed_table(rounds: list[dict[str, Any]], connections: int) -> str:
    rows = [[f"closed loop, {connections} connections", "client", "n", "req/s", "p50 ms",
             "p99 ms", "errors"]]
    for name, label in LABELS.items():
        if name not in rounds[0]:
            continue
        runs = [r[name] for r in rounds]
        rows.append([label, runs[0]["generator"], str(len(runs)),
                     spread([r["rps"] for r in runs]),
                     spread([r["latency_ms"]["p50"] for r in runs], 1),
                     spread([r["latency_ms"]["p99"] for r in runs], 1),
                     f"{sum(r['non_ok'] for r in runs)} / {sum(r['requests'] for r in runs)}"])
    return table(rows)


def _ratios(rounds: list[dict[str, Any]]) -> dict[str, list[float]]:
    ratios = {f"{page}/hello": [r[page]["rps"] / r["hello"]["rps"] for r in rounds]
              for page in ("p7", "p4", "overview")}
    ratios["autosave/hello"] = [r["autosave"]["rps"] / r["hello"]["rps"] for r in rounds]
    if "hello_py" in rounds[0]:
        ratios["autosave/hello_py"] = [r["autosave"]["rps"] / r["hello_py"]["rps"]
                                       for r in rounds]
    return ratios


def _ratio_table(rounds: list[dict[str, Any]], ratios: dict[str, list[float]]) -> str:
    notes = {
        "p7/hello": "(the main figure)",
        "autosave/hello": f"(autosave: own client; hello: {rounds[0]['hello']['generator']})",
        "autosave/hello_py": "(both with the Python client)",
    }
    rows = [["served req/s ÷ hello req/s, per round", "median [min–max]", "guard", "target",
             ""]]
    for name, values in ratios.items():
        guard, target = GOALS.get(name.replace("_py", ""), (None, None))
        rows.append([name, spread(values, 3), f"≥ {guard}" if guard else "",
                     f"≥ {target}" if target else "",
                     " ".join(filter(None, [verdict(statistics.median(values), guard, target,
                                                    higher=True), notes.get(name, "")]))])
    return table(rows)


def _openloop_table(rounds: list[dict[str, Any]], rate: float) -> str:
    opened = [r["openloop"] for r in rounds]
    guard, target = GOALS["openloop_p99_ms"]
    rows = [[f"autosave, open loop {rate:.0f}/s Poisson", "median [min–max]"]]
    for key in ("p50", "p90", "p99", "max"):
        rows.append([f"latency {key} ms (from scheduled time)",
                     spread([o["latency_ms"][key] for o in opened], 1)])
    rows.append(["generator lag ms, p99 / max",
                 spread([o["lag_ms"]["p99"] for o in opened], 1) + " / "
                 + spread([o["lag_ms"]["max"] for o in opened], 1)])
    rows.append(["arrivals per round (achieved req/s)", ", ".join(
        f"{o['arrivals']} ({o['achieved_rps']:.0f}/s)" for o in opened)])
    rows.append(["drafts (application, point)", str(opened[0]["drafts"])])
    rows.append(["arrivals that waited for own previous save",
                 str(sum(o["queued_behind_own_save"] for o in opened))])
    statuses: dict[str, int] = {}
    for o in opened:
        for key, value in o["statuses"].items():
            statuses[key] = statuses.get(key, 0) + value
    rows.append(["responses by status, all rounds", json.dumps(statuses)])
    rows.append(["non-200 / of which 409 / connection errors",
                 f"{sum(o['non_ok'] for o in opened)} / {statuses.get('409', 0)} / "
                 f"{sum(sum(o['exceptions'].values()) for o in opened)}"])
    p99 = statistics.median(o["latency_ms"]["p99"] for o in opened)
    text = (table(rows) + f"\np99 goal: guard ≤ {guard:.0f} ms, target ≤ {target:.0f} ms → "
            + verdict(p99, guard, target, higher=False))
    late = [number for number, o in enumerate(opened, 1) if o["lag_ms"]["p99"] > 10]
    if late:
        text += (f"\nNOTE: the generator itself was late (lag p99 > 10 ms) in round(s) "
                 f"{', '.join(map(str, late))}: the machine was too busy for a clean figure")
    return text


def _inproc_table(rounds: list[dict[str, Any]]) -> tuple[str, dict[str, list[float]]]:
    runs = [r["inproc"]["cpu_ms"] for r in rounds if "inproc" in r]
    if not runs:
        return "", {}
    rows = [["in-process CPU per request (test client)", "ms", "× hello"]]
    times = {}
    for name in runs[0]:
        values = [run[name] for run in runs]
        times[name] = [run[name] / run["hello"] for run in runs]
        rows.append([LABELS.get(name, name), spread(values, 3 if name == "hello" else 2),
                     "1" if name == "hello" else spread(times[name], 1)])
    goal = "G1′ (performance.md): GET page ÷ hello, guard ≤ 75×, target ≤ 20×"
    return table(rows) + "\n" + goal, times


def _noise(rounds: list[dict[str, Any]]) -> str:
    foreign = [m["cpu"]["foreign_cores"] for r in rounds for m in r.values()
               if isinstance(m, dict) and m.get("cpu")]
    steal = [m["cpu"]["steal_cores"] for r in rounds for m in r.values()
             if isinstance(m, dict) and m.get("cpu")]
    if not foreign:
        return ""
    line = (f"CPU taken by other programs during the measurements: {spread(foreign, 2)} cores "
            f"(steal {spread(steal, 2)})")
    disturbed = [f"round {number} {name} {m['cpu']['foreign_cores']:.2f}"
                 for number, r in enumerate(rounds, 1) for name, m in r.items()
                 if isinstance(m, dict) and m.get("cpu", {}).get("foreign_cores", 0) > 0.15]
    if len(disturbed) > 4:
        disturbed = [f"{len(disturbed)} of {len(foreign)} measurements (up to "
                     f"{max(foreign):.2f} cores)"]
    if disturbed:
        line += ("\n  NOTE: other programs took > 0.15 cores during " + ", ".join(disturbed)
                 + "\n  those figures are pessimistic (the medians and the in-process CPU "
                 "figures are the least affected)")
    return line


def summarise(report: dict[str, Any], args: argparse.Namespace) -> tuple[str, dict[str, Any]]:
    rounds = report["rounds"]
    ratios = _ratios(rounds)
    inproc_text, inproc_ratios = _inproc_table(rounds)
    out = [_closed_table(rounds, args.connections), "", _ratio_table(rounds, ratios), "",
           _openloop_table(rounds, args.rate), ""]
    if inproc_text:
        out += [inproc_text, ""]
    noise = _noise(rounds)
    if noise:
        out += [noise, ""]

    integrity = report["integrity"]
    lost = integrity["version_mismatch"] + integrity["text_mismatch"]
    out.append(
        f"database check: {integrity['checked']} drafts, {integrity['saves_ok_total']} saves "
        f"that got 200/302 → {integrity['version_mismatch']} version mismatches, "
        f"{integrity['text_mismatch']} text mismatches, {integrity['skipped_uncertain']} "
        f"skipped (unknown outcome): "
        + ("0 lost or duplicated drafts" if lost == 0 else "LOST OR DUPLICATED SAVES"))
    out.extend(f"  {problem}" for problem in integrity["problems"])
    for name, lines in report["server_error_logs"].items():
        if lines:
            out.append(f"gunicorn {name} error log (last lines):")
            out.extend(f"  {line}" for line in lines)
    figures = {"ratios": {name: stats(values) for name, values in ratios.items()},
               "openloop_p99_ms": stats([r["openloop"]["latency_ms"]["p99"] for r in rounds]),
               "inproc_times_hello": {name: stats(v) for name, v in inproc_ratios.items()}}
    return "\n".join(out), figures


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = datetime.now(UTC)
    report: dict[str, Any] = {"started": started.isoformat(timespec="seconds"),
                              "machine": machine(), "versions": versions(),
                              "config": vars(args)}
    bench = Bench(args)
    report["versions"]["wrk"] = bench.wrk_version or "not used"
    report["versions"]["gunicorn_cli"] = servers.gunicorn_version()
    report["source_at_start"] = source_fingerprint()
    work = Path(tempfile.mkdtemp(prefix="soknad-bench-"))

    def terminated(signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, terminated)
    status = 0
    try:
        report.update(bench.run(work))
    except (Exception, KeyboardInterrupt):
        traceback.print_exc()
        report["crash"] = traceback.format_exc()
        status = 1
    finally:
        for server in bench.servers:
            server.stop()
        report["server_pids"] = [server.pid for server in bench.servers]
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    report["source_at_end"] = source_fingerprint()
    report["git_at_end"] = machine()["git"]
    if status == 0:
        text, figures = summarise(report, args)
        if report["source_at_start"] != report["source_at_end"]:
            text += ("\nNOTE: the app's code or data changed during the run (git "
                     f"{report['machine']['git']} → {report['git_at_end']}): the servers run "
                     "the code of the start, the in-process figures newer code; this run "
                     "mixes versions")
        report["summary"] = figures
        integrity = report["integrity"]
        if integrity["version_mismatch"] or integrity["text_mismatch"]:
            status = 3
        print()
        print(f"=== summary ({args.rounds} interleaved rounds; gunicorn -w 2 -k sync; "
              f"{report['machine']['cpus']} CPUs, load {os.getloadavg()[0]:.2f}) ===")
        print(text)
    report["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{started.strftime('%Y%m%dT%H%M%SZ')}.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n",
                    encoding="utf-8")
    shutil.copyfile(path, RESULTS / "latest.json")
    print(f"results: {path.relative_to(ROOT)}")
    return status


if __name__ == "__main__":
    sys.exit(main())
