"""Benchmark of the 1 June letter on a region's annual reports (``report_letter_docx``) with
40 services, against a floor measured in the same run, as ``bench.documents`` does for the
application document: re-zipping the same final .docx members with ``zipfile`` (deflate).
Target ≤ 4.5×.

    .venv/bin/python -m bench.report_letters            # a few seconds
    .venv/bin/python -m bench.report_letters --quick    # smoke run

Rounds are interleaved (letters, floor, letters, floor, …) and reported as median [min–max];
every round makes letters from different data (names, points and supplements vary). Results
go to ``bench/results/report-letters-<UTC time>.json``. Exits 0 whatever the numbers are.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bench.documents import RESULTS, members_of, rezip_floor, spread, timed
from soknad.documents.render import report_letter_docx
from soknad.documents.report_letter import MissingReport, ReportLetterData, ReportOutcome
from soknad.domain.reports import NEEDS_POINTS, AssessmentOutcome

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "templates" / "docx" / "vurdering_arsrapporter.docx"
TARGET = 4.5
SERVICES = 40
WORDS = ("pasientvolum", "kompetanse", "regionene", "oppfølging", "resultatmål", "kurs",
         "forskning", "veileder", "fagmiljø", "behandling", "henvisninger", "referansegruppen")


def letter_data(seed: int, services: int = SERVICES) -> ReportLetterData:
    """One region's letter: ``services`` reports with every outcome, points of 20–80 words,
    a supplement for every seventh and a few missing reports."""
    rng = random.Random(seed)
    outcomes = [*AssessmentOutcome, None]
    entries = []
    for index in range(services):
        outcome = outcomes[index % len(outcomes)]
        points = (" ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 80))).capitalize()
                  + "." if outcome in NEEDS_POINTS else "")
        supplement = ("Rapporter " + " ".join(rng.choice(WORDS) for _ in range(15)) + "."
                      if outcome is None and index % 7 == 0 else "")
        entries.append(ReportOutcome(
            name=f"Nasjonal behandlingstjeneste for {rng.choice(WORDS)} {seed}-{index}",
            service_type="Nasjonal behandlingstjeneste",
            health_trust=rng.choice(("Oslo universitetssykehus HF", "Sykehuset Innlandet HF",
                                     "Akershus universitetssykehus HF")),
            state="Vurdert av Helsedirektoratet" if outcome else "Sendt til Helsedirektoratet",
            on_time=index % 5 != 0, outcome=outcome, points=points, supplement=supplement))
    missing = [MissingReport(f"Nasjonal kompetansetjeneste {seed}-{index}",
                             "Sørlandet sykehus HF", "Sendt til RHF") for index in range(3)]
    return ReportLetterData(2026, "Helse Sør-Øst", date(2027, 6, 1), entries, missing,
                            "Kari Saksbehandler", "kari@helsedir.no", "Ola Direktør",
                            "Avdelingsdirektør")


def bench(rounds: int, letters: int) -> dict[str, Any]:
    data = [[letter_data(round_ * letters + index) for index in range(letters)]
            for round_ in range(rounds)]
    outputs = [report_letter_docx(item, TEMPLATE) for item in data[0]]  # warm-up
    letter_ms: list[float] = []
    floor_ms: list[float] = []
    ratios: list[float] = []
    cpu_ratios: list[float] = []
    for batch in data:
        made: list[bytes] = []
        wall, cpu = timed(lambda batch=batch, made=made: made.extend(
            report_letter_docx(item, TEMPLATE) for item in batch))
        members = [members_of(output) for output in made]
        floor, floor_cpu = timed(lambda members=members: [rezip_floor(item) for item in members])
        letter_ms.append(wall * 1000 / letters)
        floor_ms.append(floor * 1000 / letters)
        ratios.append(wall / floor)
        cpu_ratios.append(cpu / floor_cpu)
    return {"rounds": rounds, "letters": letters, "services": SERVICES, "letter_ms": letter_ms,
            "floor_ms": floor_ms, "ratio": ratios, "cpu_ratio": cpu_ratios,
            "docx_bytes_median": statistics.median(len(output) for output in outputs)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--letters", type=int, default=10, help="letters per round")
    parser.add_argument("--quick", action="store_true", help="2 rounds of 3 letters")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.letters = 2, 3
    print(f"The 1 June letter, {SERVICES} services: {args.rounds} rounds × {args.letters} "
          "letters …", flush=True)
    result = bench(args.rounds, args.letters)
    ratio = statistics.median(result["ratio"])
    print()
    print(f"== Report assessment letter (median [min–max]); load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs ==")
    print(f"letter, {SERVICES} services        {spread(result['letter_ms'])} ms "
          f"({result['docx_bytes_median'] / 1000:.0f} kB)")
    print(f"  re-zip floor (deflate)  {spread(result['floor_ms'])} ms")
    print(f"  ratio (wall)            {spread(result['ratio'])}  target ≤ {TARGET}: "
          f"{'met' if ratio <= TARGET else 'MISSED'}")
    print(f"  ratio (CPU time)        {spread(result['cpu_ratio'])}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS / f"report-letters-{stamp}.json").write_text(json.dumps(
        {"time": stamp, "cpus": os.cpu_count(), "load": os.getloadavg(), **result}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
