"""Benchmark of the annual report's pages (the read page ``GET /rapporter/<id>/les``, the health
trust's overview ``/rapporter/<id>`` and its part 5 with the tables ``/rapporter/<id>/del/r5``)
against the hello-world floor measured in the same run, as ``bench/run.py`` measures the
application's point page (its helpers: the servers, the closed-loop GET with wrk or the Python
client, the CPU accounting, the summary's formatting).

    .venv/bin/python -m bench.reports            # about three minutes
    .venv/bin/python -m bench.reports --quick    # smoke run: 1 round of 3 s

On a throwaway ``soknad demo`` instance, Oslo universitetssykehus HF's report on a national
competence service is filled in completely (every field, 100–400 words per text, tables of
``--rows`` rows, result goals with a status each) and approved by the reference group, not yet
sent: the health trust's part pages are forms (``--sent`` measures them sent, read only). Then,
in interleaved rounds: hello (wrk or the Python client), each page as the health trust (same
client), and in a fresh process the CPU per request of the read page through Flask's test
client, with the rendered sections kept and with nothing kept (the first view after a save).
The main figures are **page ÷ hello** (served req/s), target ≥ 0.15 (bench/README.md). Results
go to ``bench/results/reports-<UTC time>.json``. Exits 0 whatever the numbers are, 1 on a crash.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import traceback
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bench import inproc, scenario
from bench.client import Session
from bench.run import RESULTS, ROOT, Bench, _noise, machine, spread, table, verdict, versions

OWNER = "soker.ous@demo.no"
YEAR = 2026  # the demo round 2027's reports
GUARD, TARGET = 0.035, 0.15  # page ÷ hello, as the application's page (GOALS in run.py)
#: The pages measured, after ``/rapporter/<id>``: what the RHF and Helsedirektoratet read, the
#: health trust's overview, and its longest part (the result goals and spreading measures).
PAGES = {"read": "/les", "overview": "", "section": "/del/r5"}
LABELS = {"read": "GET report read page", "overview": "GET report overview",
          "section": "GET report part 5 (tables)"}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.reports",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rows", type=int, default=12, help="rows in each table (default 12)")
    parser.add_argument("--sent", action="store_true", help="the report sent to the RHF")
    parser.add_argument("--inproc-requests", type=int, default=100)
    parser.add_argument("--no-wrk", action="store_true")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds, args.seconds = 1, 3.0
    return args


# --------------------------------------------------------------------------- in the app


def make_report(rows: int, sent: bool) -> int:
    """The complete competence report (in the benchmark's instance); prints nothing."""
    from bench import content
    from bench.appwsgi import make_app
    from soknad.domain.reports import ReportState
    from soknad.domain.service_types import ServiceType
    from soknad.extensions import db
    from soknad.models import User
    from soknad.services import reports

    with make_app().app_context():
        owner = db.session.query(User).filter_by(email=OWNER).one()
        item = next(item for item in reports.owed(YEAR, organisation_id=owner.organisation_id)
                    if item.service.service_type_enum is ServiceType.NATIONAL_COMPETENCE
                    and item.host is not None)
        report = reports.start(item.service, YEAR, item.host, owner)
        rng = random.Random(2026)
        answers: dict[str, Any] = {}
        for section in reports.spec_of(report).sections:
            answers.update(content.section_values(rng, section, table_size=rows))
        statuses = ("naadd", "delvis", "ikke_naadd")
        answers["resultatmal"] = [{**row, "status": statuses[index % 3]}
                                  for index, row in enumerate(answers["resultatmal"])]
        report.answers = answers
        report.approved_on, report.approved_by = date(YEAR + 1, 2, 20), "Dag Nord, leder"
        report.state = ReportState.SENT if sent else ReportState.DRAFT
        report.version += 1
        db.session.commit()
        return report.id


def measure_inproc(report_id: int, requests: int) -> dict[str, Any]:
    """CPU ms per request through Flask's test client: hello, the read page with the rendered
    sections kept, and with nothing kept."""
    from bench.appwsgi import make_app
    from bench.hello import app as hello_app
    from soknad.web import fragments

    hello = hello_app.test_client()
    client = make_app().test_client()
    page = client.get("/logg-inn")
    token = dict(inproc.HIDDEN.findall(page.text))["csrf_token"]
    answer = client.post("/logg-inn", data={"csrf_token": token, "neste": "", "email": OWNER,
                                            "password": scenario.PASSWORD})
    if answer.status_code != 302:
        raise SystemExit(f"in-process login gave {answer.status_code}")
    path = f"/rapporter/{report_id}/les"

    def read() -> None:
        if client.get(path).status_code != 200:
            raise SystemExit(f"in-process GET {path} failed")

    def cold() -> None:
        fragments.clear()
        read()

    return {"hello": inproc.cpu_ms(lambda: hello.get("/"), requests * 10),
            "read": inproc.cpu_ms(read, requests), "read_cold": inproc.cpu_ms(cold, requests)}


# --------------------------------------------------------------------------- the run


def _python(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, env={**os.environ, **env},
                          capture_output=True, text=True, check=False, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def run(bench: Bench, work: Path) -> dict[str, Any]:
    args, say = bench.args, print
    env = {"BENCH_INSTANCE": str(work / "instance"),
           "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite'}", "PYTHONDONTWRITEBYTECODE": "1"}
    say(f"benchmark in {work} ({os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}); "
        f"GET load: {bench.wrk_version or 'the Python asyncio client (wrk not used)'}")
    _python(env, "bench.appwsgi", "demo")
    report_id = int(_python(env, "bench.reports", "make-report", str(args.rows),
                            *(["sent"] if args.sent else [])))
    hello, app = bench.start_servers(work, env)
    session = Session("127.0.0.1", app.port)
    scenario.login(session, OWNER)
    facts: dict[str, Any] = {}
    for name, suffix in PAGES.items():
        path = f"/rapporter/{report_id}{suffix}"
        page = session.get(path)
        if page.status != 200:
            raise RuntimeError(f"GET {path} gave {page.status}")
        facts[name] = {"path": path, "bytes": len(page.body),
                       "tables": len(re.findall(r"<table\b", page.text)),
                       "rows": len(re.findall(r"<tr>", page.text))}
        say(f"{LABELS[name]}: {path}, {len(page.body) / 1024:.1f} KB, "
            f"{facts[name]['tables']} tables, {facts[name]['rows']} table rows")
        bench.get(app, path, session.cookie_header, seconds=2)
    bench.get(hello, "/", seconds=2)
    rounds = []
    for number in range(1, args.rounds + 1):
        measured: dict[str, Any] = {"hello": bench.get(hello, "/")}
        for name in PAGES:
            measured[name] = result = bench.get(app, facts[name]["path"], session.cookie_header)
            size = result.get("bytes", 0) / max(1, result["requests"])
            if result.get("bytes") and size < 0.9 * facts[name]["bytes"]:
                say(f"  WARNING: {size:.0f} bytes per response on {name}, not the page "
                    "(logged out?)")
        if args.inproc_requests > 0:
            measured["inproc"] = json.loads(_python(
                env, "bench.reports", "inproc", str(report_id), str(args.inproc_requests)))
        say(f"round {number}/{args.rounds}: hello {measured['hello']['rps']:.0f} req/s; "
            + "; ".join(f"{name} {measured[name]['rps']:.0f} req/s → "
                        f"{measured[name]['rps'] / measured['hello']['rps']:.3f}"
                        for name in PAGES)
            + (" ; in-process ms: " + ", ".join(f"{name} {value:.2f}" for name, value
                                                in measured["inproc"].items())
               if "inproc" in measured else ""))
        rounds.append(measured)
    return {"report_id": report_id, "page": facts, "rounds": rounds,
            "server_error_logs": {s.name: s.error_log_tail() for s in bench.servers}}


def summarise(result: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    rounds = result["rounds"]
    rows = [["served, closed loop", "client", "req/s", "p50 ms", "p99 ms", "errors"]]
    for name, label in (("hello", "hello (floor)"), *LABELS.items()):
        runs = [r[name] for r in rounds]
        rows.append([label, runs[0]["generator"], spread([r["rps"] for r in runs]),
                     spread([r["latency_ms"]["p50"] for r in runs], 1),
                     spread([r["latency_ms"]["p99"] for r in runs], 1),
                     f"{sum(r['non_ok'] for r in runs)} / {sum(r['requests'] for r in runs)}"])
    out = [table(rows), ""]
    figures: dict[str, Any] = {}
    for name in PAGES:
        ratios = [r[name]["rps"] / r["hello"]["rps"] for r in rounds]
        out.append(f"{name} page ÷ hello: {spread(ratios, 3)}  (guard ≥ {GUARD}, target ≥ "
                   f"{TARGET}: {verdict(statistics.median(ratios), GUARD, TARGET, higher=True)})")
        figures[f"{name}/hello"] = ratios
    runs = [r["inproc"] for r in rounds if "inproc" in r]
    if runs:
        rows = [["in-process CPU per request", "ms", "× hello"]]
        for name, label in (("hello", "hello"), ("read", "read page, sections kept"),
                            ("read_cold", "read page, first view after a save")):
            times = [run[name] / run["hello"] for run in runs]
            rows.append([label, spread([run[name] for run in runs], 3 if name == "hello" else 2),
                         "1" if name == "hello" else spread(times, 1)])
            figures[f"inproc_{name}/hello"] = times
        out += ["", table(rows), "G1′: in-process page ÷ hello, guard ≤ 75×, target ≤ 20×"]
    noise = _noise(rounds)
    if noise:
        out += ["", noise]
    for name, lines in result["server_error_logs"].items():
        if lines:
            out.append(f"gunicorn {name} error log (last lines):")
            out.extend(f"  {line}" for line in lines)
    return "\n".join(out), figures


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["make-report"]:
        print(make_report(int(argv[1]), argv[2:3] == ["sent"]))
        return 0
    if argv[:1] == ["inproc"]:
        print(json.dumps(measure_inproc(int(argv[1]), int(argv[2]))))
        return 0
    args = parse_args(argv)
    started = datetime.now(UTC)
    bench = Bench(args)
    report: dict[str, Any] = {"started": started.isoformat(timespec="seconds"),
                              "machine": machine(), "versions": versions(),
                              "config": vars(args), "wrk": bench.wrk_version or "not used"}
    work = Path(tempfile.mkdtemp(prefix="soknad-bench-reports-"))
    status = 0
    try:
        report.update(run(bench, work))
    except (Exception, KeyboardInterrupt):
        traceback.print_exc()
        report["crash"] = traceback.format_exc()
        status = 1
    finally:
        for server in bench.servers:
            server.stop()
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    if status == 0:
        text, report["summary"] = summarise(report)
        print(f"\n=== annual report pages ({args.rounds} rounds; gunicorn -w 2 -k sync; "
              f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}) ===\n{text}")
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"reports-{started.strftime('%Y%m%dT%H%M%SZ')}.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n",
                    encoding="utf-8")
    print(f"results: {path.relative_to(ROOT)}")
    return status


if __name__ == "__main__":
    sys.exit(main())
