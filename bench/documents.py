"""Benchmark of the Word documents and the joint package, each against a floor measured in the
same run (performance.md §2, goals G5–G9):

* one application document (``application_docx``) ÷ re-zipping the same .docx members with
  ``zipfile`` (deflate): target ≤ 4.5×;
* the package of 50 applications with 50 MB of incompressible attachments (``build_package``,
  documents made while building) ÷ (making the 50 documents alone + a ZIP_STORED floor of the same
  bytes): target ≤ 1.15×, attachments stored;
* peak RSS of a package build in a fresh process at 0, 50 and 200 MB of attachments: should be
  flat (G9: ≤ 150 MB).

    .venv/bin/python -m bench.documents            # about a minute
    .venv/bin/python -m bench.documents --quick    # smoke run

Rounds are interleaved (documents, floor, documents, floor, …) and reported as
median [min–max]. Results go to ``bench/results/documents-<UTC time>.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.content import section_values
from soknad.documents import (
    PackageAttachment,
    PackageItem,
    RoundInfo,
    application_docx,
    build_package,
)
from soknad.documents.context import application_context
from soknad.documents.render import render_docx_plain
from soknad.domain.exchange import ApplicationDocument, AttachmentEntry, Submission
from soknad.domain.formspec import FormLibrary, FormSpec
from soknad.domain.organisations import Region
from soknad.domain.service_types import ApplicationKind, ServiceType

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "templates" / "docx" / "soknad.docx"
RESULTS = ROOT / "bench" / "results"
SUBMITTED_AT = "2026-11-02T10:15:00+01:00"
TARGET_DOCUMENT = 4.5
TARGET_PACKAGE = 1.15
MB = 1024 * 1024


def spec() -> FormSpec:
    return FormLibrary.load(ROOT / "forms").latest(ServiceType.NATIONAL_TREATMENT)


def make_documents(form: FormSpec, count: int, attachments_per: int = 0,
                   ) -> list[ApplicationDocument]:
    """``count`` different applications with every point filled in (100–400 words per text,
    tables of 3–12 rows), seeded so that every run renders the same documents."""
    documents = []
    for index in range(count):
        rng = random.Random(index)
        answers: dict[str, Any] = {}
        for section in form.sections_for(ApplicationKind.ESTABLISHMENT):
            answers.update(section_values(rng, section, table_size=rng.randint(3, 12)))
        answers["navn_nb"] = f"Nasjonal behandlingstjeneste for eksempel nummer {index + 1}"
        entries = tuple(AttachmentEntry("p2_dokumentasjon", f"Vedlegg {n + 1}.pdf",
                                        f"{index:02x}{n:02x}".ljust(64, "0"), MB,
                                        "application/pdf") for n in range(attachments_per))
        documents.append(ApplicationDocument(
            form_id=form.id, form_version=form.version, kind=ApplicationKind.ESTABLISHMENT,
            round_year=2027, organisation="Oslo universitetssykehus HF", region=Region.SOR_OST,
            answers=answers, attachments=entries,
            submission=Submission(1, SUBMITTED_AT, "Kari Nordmann"),
        ))
    return documents


def render(form: FormSpec, document: ApplicationDocument) -> bytes:
    return application_docx(document, form, [], "5f" * 32, SUBMITTED_AT, TEMPLATE)


def rezip_floor(members: list[tuple[str, bytes]]) -> bytes:
    """Floor 1 of performance.md §2a: write the same final members with zipfile (deflate)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def members_of(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def timed(function: Callable[[], Any]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process). On a shared machine the CPU figure is the
    steadier one: another program's load stretches wall time, not this process's CPU time."""
    wall, cpu = time.perf_counter(), time.process_time()
    function()
    return time.perf_counter() - wall, time.process_time() - cpu


def spread(values: list[float], scale: float = 1.0, digits: int = 2) -> str:
    scaled = [value * scale for value in values]
    return (f"{statistics.median(scaled):.{digits}f} "
            f"[{min(scaled):.{digits}f}–{max(scaled):.{digits}f}]")


# --------------------------------------------------------------------------- one document


def bench_document(form: FormSpec, rounds: int, count: int) -> dict[str, Any]:
    documents = make_documents(form, count, attachments_per=3)
    outputs = [render(form, document) for document in documents]  # warm-up, and the floor input
    members = [members_of(output) for output in outputs]
    contexts = [application_context(d, form, [], "5f" * 32, SUBMITTED_AT) for d in documents]
    moment = datetime(2026, 11, 2, tzinfo=UTC)
    doc_ms, floor_ms, plain_ms, ratios, cpu_ratios = [], [], [], [], []
    for _ in range(rounds):
        doc, doc_cpu = timed(lambda: [render(form, document) for document in documents])
        floor, floor_cpu = timed(lambda: [rezip_floor(item) for item in members])
        plain, _ = timed(lambda: [render_docx_plain(TEMPLATE, context, title="x", moment=moment)
                                  for context in contexts[:5]])
        doc_ms.append(doc * 1000 / count)
        floor_ms.append(floor * 1000 / count)
        plain_ms.append(plain * 1000 / 5)
        ratios.append(doc / floor)
        cpu_ratios.append(doc_cpu / floor_cpu)
    sizes = [len(output) for output in outputs]
    return {"rounds": rounds, "documents": count, "doc_ms": doc_ms, "floor_ms": floor_ms,
            "docxtpl_plain_ms": plain_ms, "ratio": ratios, "cpu_ratio": cpu_ratios,
            "docx_bytes_median": statistics.median(sizes)}


# --------------------------------------------------------------------------- the package


def write_attachments(folder: Path, applications: int, size: int, seed: int = 1,
                      ) -> list[list[PackageAttachment]]:
    """One incompressible file of ``size`` bytes per application, stored content-addressed."""
    rng = random.Random(seed)
    result = []
    for index in range(applications):
        content = b"%PDF-1.7\n" + rng.randbytes(size - 9)
        digest = hashlib.sha256(content).hexdigest()
        path = folder / digest[:2] / digest
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        result.append([PackageAttachment(f"Dokumentasjon {index + 1}.pdf", path, digest,
                                         len(content), "p2_dokumentasjon")])
    return result


def package_items(form: FormSpec, documents: list[ApplicationDocument],
                  attachments: list[list[PackageAttachment]]) -> list[PackageItem]:
    return [PackageItem(
        rank=index + 1, title=str(document.answers["navn_nb"]),
        document=lambda document=document: render(form, document),
        form_id=form.id, form_version=form.version, submitted_at=SUBMITTED_AT,
        snapshot_sha256="5f" * 32, health_trust=document.organisation,
        region=document.region.label, service_type=form.service_type.label,
        attachments=tuple(attachments[index]),
    ) for index, document in enumerate(documents)]


def stored_floor(out: Path, cover: bytes, docs: list[bytes],
                 attachments: list[list[PackageAttachment]]) -> None:
    """The same bytes into one ZIP, everything STORED, no checks, no manifest."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("00.docx", cover)
        for index, (data, files) in enumerate(zip(docs, attachments, strict=True)):
            archive.writestr(f"{index:02d}/søknad.docx", data)
            for attachment in files:
                archive.write(attachment.path, f"{index:02d}/vedlegg/{attachment.name}")


def bench_package(form: FormSpec, rounds: int, applications: int, size: int,
                  folder: Path, *, prefetch: bool) -> dict[str, Any]:
    documents = make_documents(form, applications)
    attachments = write_attachments(folder / "files", applications, size)
    cover = render(form, documents[0])
    docs = [render(form, document) for document in documents]
    out = folder / "pakke.zip"
    floor_out = folder / "floor.zip"
    generate, floor, full, ratios, cpu_ratios = [], [], [], [], []
    for _ in range(rounds):
        g, g_cpu = timed(lambda: [render(form, document) for document in documents])
        f, f_cpu = timed(lambda: stored_floor(floor_out, cover, docs, attachments))
        p, p_cpu = timed(lambda: build_package(out, RoundInfo(2027), cover,
                                               package_items(form, documents, attachments),
                                               prefetch=prefetch))
        generate.append(g * 1000)
        floor.append(f * 1000)
        full.append(p * 1000)
        ratios.append(p / (g + f))
        cpu_ratios.append(p_cpu / (g_cpu + f_cpu))
    first = out.read_bytes()
    build_package(out, RoundInfo(2027), cover, package_items(form, documents, attachments),
                  prefetch=not prefetch)
    identical = out.read_bytes() == first
    with zipfile.ZipFile(out) as archive:
        methods = {info.compress_type for info in archive.infolist()
                   if "/vedlegg/" in info.filename}
    return {"rounds": rounds, "applications": applications, "prefetch": prefetch,
            "attachment_mb": applications * size / MB, "generate_ms": generate,
            "stored_floor_ms": floor, "package_ms": full, "ratio": ratios,
            "cpu_ratio": cpu_ratios,
            "package_bytes": out.stat().st_size, "byte_identical_rebuild": identical,
            "attachments_stored": methods == {zipfile.ZIP_STORED}}


# --------------------------------------------------------------------------- memory


def child_memory(attachment_mb: int, prefetch: bool) -> None:
    """Run in a fresh process: build one package and print the peak RSS in KiB."""
    form = spec()
    with tempfile.TemporaryDirectory(prefix="bench-docs-") as temp:
        folder = Path(temp)
        applications = 50
        size = attachment_mb * MB // applications if attachment_mb else 0
        documents = make_documents(form, applications)
        attachments = (write_attachments(folder / "files", applications, size) if size
                       else [[] for _ in documents])
        cover = render(form, documents[0])
        before = _rss_kib("VmHWM")
        reset = _reset_peak()
        build_package(folder / "p.zip", RoundInfo(2027), cover,
                      package_items(form, documents, attachments), prefetch=prefetch)
        peak = _rss_kib("VmHWM")
    print(json.dumps({"attachment_mb": attachment_mb, "peak_rss_kib": max(peak, before),
                      "build_peak_kib": peak if reset else None, "before_build_kib": before}))


def _rss_kib(key: str) -> int:
    """VmHWM (peak) or VmRSS of this process in KiB. Unlike getrusage's ru_maxrss, VmHWM
    starts afresh at exec, so the parent's size does not leak into the child's figure."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux clear_refs 5), so the peak is the build's own."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def bench_memory(sizes: list[int], prefetch: bool) -> list[dict[str, Any]]:
    results = []
    for attachment_mb in sizes:
        output = subprocess.run(
            [sys.executable, "-m", "bench.documents", "--child-memory", str(attachment_mb),
             *(["--prefetch"] if prefetch else [])],
            check=True, capture_output=True, text=True, cwd=ROOT,
        ).stdout
        results.append(json.loads(output.strip().splitlines()[-1]))
    return results


# --------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=7, help="rounds for one document")
    parser.add_argument("--documents", type=int, default=20, help="documents per round")
    parser.add_argument("--package-rounds", type=int, default=5)
    parser.add_argument("--applications", type=int, default=50)
    parser.add_argument("--attachment-mb", type=int, default=1, help="MB per application")
    parser.add_argument("--memory", default="0,50,200", help="attachment MB per memory run")
    parser.add_argument("--quick", action="store_true", help="2 rounds of everything")
    parser.add_argument("--prefetch", action=argparse.BooleanOptionalAction, default=True,
                        help="make the next document in a worker thread (default: yes)")
    parser.add_argument("--child-memory", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_memory is not None:
        child_memory(args.child_memory, args.prefetch)
        return 0
    if args.quick:
        args.rounds, args.documents, args.package_rounds = 2, 5, 2
    form = spec()
    print(f"One application document: {args.rounds} rounds × {args.documents} documents …",
          flush=True)
    document = bench_document(form, args.rounds, args.documents)
    print(f"Package: {args.package_rounds} rounds, {args.applications} applications × "
          f"{args.attachment_mb} MB …", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-docs-") as temp:
        package = bench_package(form, args.package_rounds, args.applications,
                                args.attachment_mb * MB, Path(temp), prefetch=args.prefetch)
    sizes = [int(size) for size in args.memory.split(",") if size.strip()]
    print(f"Peak memory of a package build, fresh process each, at {sizes} MB …", flush=True)
    memory = bench_memory(sizes, args.prefetch)

    doc_ratio = statistics.median(document["ratio"])
    pkg_ratio = statistics.median(package["ratio"])
    print()
    print(f"== Documents (median [min–max]); load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs ==")
    print(f"application document      {spread(document['doc_ms'])} ms "
          f"({document['docx_bytes_median'] / 1000:.0f} kB)")
    print(f"  re-zip floor (deflate)  {spread(document['floor_ms'])} ms")
    print(f"  ratio (wall)            {spread(document['ratio'])}  target ≤ {TARGET_DOCUMENT}: "
          f"{'met' if doc_ratio <= TARGET_DOCUMENT else 'MISSED'}")
    print(f"  ratio (CPU time)        {spread(document['cpu_ratio'])}")
    print(f"  (docxtpl render + python-docx save, for reference: "
          f"{spread(document['docxtpl_plain_ms'])} ms)")
    print(f"package of {package['applications']} + {package['attachment_mb']:.0f} MB "
          f"(prefetch {'on' if package['prefetch'] else 'off'})  "
          f"{spread(package['package_ms'], digits=0)} ms "
          f"({package['package_bytes'] / MB:.1f} MB)")
    print(f"  documents alone         {spread(package['generate_ms'], digits=0)} ms")
    print(f"  ZIP_STORED floor        {spread(package['stored_floor_ms'], digits=0)} ms")
    print(f"  ratio to docs + floor   {spread(package['ratio'])}  target ≤ {TARGET_PACKAGE}: "
          f"{'met' if pkg_ratio <= TARGET_PACKAGE else 'MISSED'}")
    print(f"  ratio (CPU time)        {spread(package['cpu_ratio'])}"
          f"{'  (all threads)' if package['prefetch'] else ''}")
    print(f"  attachments stored: {package['attachments_stored']}; "
          f"rebuild byte-identical: {package['byte_identical_rebuild']}")
    for item in memory:
        during = (f", during the build {item['build_peak_kib'] / 1024:.0f} MB"
                  if item["build_peak_kib"] else "")
        print(f"peak RSS, {item['attachment_mb']:>3} MB of attachments: "
              f"{item['peak_rss_kib'] / 1024:.0f} MB{during}")
    peaks = [item["peak_rss_kib"] for item in memory]
    if len(peaks) > 1:
        print(f"  growth from {sizes[0]} to {sizes[-1]} MB of attachments: "
              f"{(peaks[-1] - peaks[0]) / 1024:+.1f} MB")
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    result = {"time": stamp, "cpus": os.cpu_count(), "load": os.getloadavg(),
              "document": document, "package": package, "memory": memory}
    (RESULTS / f"documents-{stamp}.json").write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
