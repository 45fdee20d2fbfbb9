"""The joint package: the same bytes every time, attachments stored, a manifest that checks."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from pathlib import Path

import pytest

from soknad.documents import (
    PackageAttachment,
    PackageError,
    PackageItem,
    Progress,
    RoundInfo,
    build_package,
    safe_name,
)
from tests.unit.documents.helpers import application, render_application


def stored_file(folder: Path, content: bytes) -> tuple[Path, str]:
    digest = hashlib.sha256(content).hexdigest()
    path = folder / digest[:2] / digest
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path, digest


def items(folder: Path) -> list[PackageItem]:
    document = render_application(application())
    result = []
    for rank, title, names in [
        (2, "Nasjonal kompetansetjeneste for kognitiv svikt", ["CV.pdf", "CV.pdf"]),
        (1, "Nasjonal behandlingstjeneste for sjeldne beinsykdommer",
         ["../../etc/passwd", "Registerdata æøå.pdf", "con.pdf"]),
    ]:
        attachments = []
        for index, name in enumerate(names):
            content = f"%PDF-1.4 {title} {index}".encode() + os.urandom(0) + bytes(2000)
            path, digest = stored_file(folder, content)
            attachments.append(PackageAttachment(name, path, digest, len(content),
                                                 "p2_dokumentasjon"))
        result.append(PackageItem(
            rank=rank, title=title, document=document, form_id="nasjonal_behandlingstjeneste",
            form_version=1, submitted_at="2026-11-02T10:15:00+01:00",
            snapshot_sha256="5f" * 32, health_trust="Oslo universitetssykehus HF",
            region="Helse Sør-Øst", service_type="Nasjonal behandlingstjeneste",
            attachments=tuple(attachments),
        ))
    return result


def build(tmp_path: Path, name: str, **kwargs: object) -> Path:
    out = tmp_path / name
    build_package(out, RoundInfo(2027), b"cover letter docx", items(tmp_path / "files"),
                  **kwargs)  # type: ignore[arg-type]
    return out


def test_building_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    first = build(tmp_path, "a.zip").read_bytes()
    assert build(tmp_path, "b.zip").read_bytes() == first


def test_layout_in_priority_order_with_safe_names(tmp_path: Path) -> None:
    with zipfile.ZipFile(build(tmp_path, "p.zip")) as archive:
        names = archive.namelist()
    assert names == [
        "00 - Samlet søknad om nasjonale tjenester 2027.docx",
        "01 - Nasjonal behandlingstjeneste for sjeldne beinsykdommer/søknad.docx",
        "01 - Nasjonal behandlingstjeneste for sjeldne beinsykdommer/vedlegg/_.._etc_passwd",
        "01 - Nasjonal behandlingstjeneste for sjeldne beinsykdommer/vedlegg/"
        "Registerdata æøå.pdf",
        "01 - Nasjonal behandlingstjeneste for sjeldne beinsykdommer/vedlegg/_con.pdf",
        "02 - Nasjonal kompetansetjeneste for kognitiv svikt/søknad.docx",
        "02 - Nasjonal kompetansetjeneste for kognitiv svikt/vedlegg/CV.pdf",
        "02 - Nasjonal kompetansetjeneste for kognitiv svikt/vedlegg/CV (2).pdf",
        "manifest.json",
    ]
    parts = [part for name in names for part in name.split("/")]
    assert not {"", ".", ".."} & set(parts)


def test_attachments_are_stored_and_documents_deflated(tmp_path: Path) -> None:
    with zipfile.ZipFile(build(tmp_path, "p.zip")) as archive:
        methods = {info.filename.rsplit("/", 1)[-1]: info.compress_type
                   for info in archive.infolist()}
        times = {info.date_time for info in archive.infolist()}
    assert methods["CV.pdf"] == methods["Registerdata æøå.pdf"] == zipfile.ZIP_STORED
    assert methods["søknad.docx"] == methods["manifest.json"] == zipfile.ZIP_DEFLATED
    assert times == {(2027, 1, 15, 12, 0, 0)}


def test_the_manifest_checks_every_member(tmp_path: Path) -> None:
    with zipfile.ZipFile(build(tmp_path, "p.zip")) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        for entry in manifest["files"]:
            content = archive.read(entry["path"])
            assert hashlib.sha256(content).hexdigest() == entry["sha256"]
            assert len(content) == entry["size"]
        listed = {entry["path"] for entry in manifest["files"]}
        assert listed == set(archive.namelist()) - {"manifest.json"}
    assert manifest["round"] == 2027
    assert manifest["form_versions"] == ["nasjonal_behandlingstjeneste.v1"]
    assert [(a["rank"], a["submitted_at"]) for a in manifest["applications"]] == [
        (1, "2026-11-02T10:15:00+01:00"), (2, "2026-11-02T10:15:00+01:00")]
    first = manifest["applications"][0]
    assert first["form"] == {"id": "nasjonal_behandlingstjeneste", "version": 1}
    assert first["attachments"][0].endswith("/vedlegg/_.._etc_passwd")
    passwd = next(f for f in manifest["files"] if f["path"] == first["attachments"][0])
    assert passwd["original_name"] == "../../etc/passwd"


def test_documents_can_be_made_while_building_and_progress_is_reported(tmp_path: Path) -> None:
    made: list[int] = []
    seen: list[Progress] = []
    base = items(tmp_path / "files")

    def later(item: PackageItem) -> PackageItem:
        def make() -> bytes:
            made.append(item.rank)
            return item.document  # type: ignore[return-value]
        return PackageItem(**{**item.__dict__, "document": make})

    out = tmp_path / "lazy.zip"
    build_package(out, RoundInfo(2027), b"cover letter docx", [later(i) for i in base],
                  progress=seen.append)
    assert made == [1, 2]
    assert out.read_bytes() == build(tmp_path, "eager.zip").read_bytes()
    assert seen[-1].done_files == seen[-1].total_files == 9
    assert seen[-1].fraction == 1.0
    assert [p.fraction for p in seen] == sorted(p.fraction for p in seen)
    threaded = tmp_path / "threaded.zip"
    build_package(threaded, RoundInfo(2027), b"cover letter docx", [later(i) for i in base],
                  prefetch=True)
    assert threaded.read_bytes() == out.read_bytes()


def test_a_changed_attachment_stops_the_build_and_leaves_no_file(tmp_path: Path) -> None:
    broken = items(tmp_path / "files")
    broken[0].attachments[0].path.write_bytes(b"changed on disk")
    out = tmp_path / "p.zip"
    with pytest.raises(PackageError, match="stemmer ikke med sin SHA-256"):
        build_package(out, RoundInfo(2027), b"cover", broken)
    assert list(tmp_path.glob("*.zip")) == []
    assert list(tmp_path.glob(".pakke-*")) == []


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("Søknad om æøå.pdf", "Søknad om æøå.pdf"),
        ("../../etc/passwd", "_.._etc_passwd"),
        ("..", "fil"),
        ("C:\\Windows\\system32.dll", "C__Windows_system32.dll"),
        ("linje\r\nskift.pdf", "linje__skift.pdf"),
        ("  .skjult  ", "skjult"),
        ("NUL", "_NUL"),
        ("a" * 200 + ".pdf", "a" * 116 + ".pdf"),
        ("", "fil"),
    ],
)
def test_safe_names(name: str, safe: str) -> None:
    assert safe_name(name) == safe
