"""The Word templates in use: the bundled ones under ``templates/docx/``, or an
administrator's uploaded version under ``<instance>/docx-templates/`` (which wins).

An upload is checked (``soknad.documents.check_template``) before it replaces anything, and is
written atomically, so a refused or interrupted upload leaves the previous template in use.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import current_app

from soknad.config import PROJECT_ROOT
from soknad.documents import TemplateKind, check_template
from soknad.extensions import db
from soknad.models import User
from soknad.models.types import utcnow
from soknad.services import audit

BUNDLED_DIR = PROJECT_ROOT / "templates" / "docx"
MAX_TEMPLATE_BYTES = 5 * 1024 * 1024


class TemplateRefused(Exception):  # noqa: N818 - reads as what happened
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class TemplateInfo:
    kind: TemplateKind
    uploaded: bool
    uploaded_at: datetime | None
    uploaded_by: str
    original_name: str
    size: int
    sha256: str


def upload_dir() -> Path:
    return Path(current_app.instance_path) / "docx-templates"


def bundled_path(kind: TemplateKind | str) -> Path:
    return BUNDLED_DIR / TemplateKind(kind).filename


def _uploaded_path(kind: TemplateKind) -> Path:
    return upload_dir() / kind.filename


def _meta_path(kind: TemplateKind) -> Path:
    return upload_dir() / f"{kind.value}.json"


def template_path(kind: TemplateKind | str) -> Path:
    """The file to render ``kind`` with: the uploaded version if there is one."""
    kind = TemplateKind(kind)
    uploaded = _uploaded_path(kind)
    return uploaded if uploaded.is_file() else bundled_path(kind)


def info(kind: TemplateKind | str) -> TemplateInfo:
    kind = TemplateKind(kind)
    path = template_path(kind)
    data = path.read_bytes()
    meta: dict[str, str] = {}
    uploaded = path != bundled_path(kind)
    if uploaded and _meta_path(kind).is_file():
        meta = json.loads(_meta_path(kind).read_text(encoding="utf-8"))
    return TemplateInfo(
        kind=kind, uploaded=uploaded,
        uploaded_at=datetime.fromisoformat(meta["uploaded_at"]) if meta.get("uploaded_at")
        else None,
        uploaded_by=meta.get("uploaded_by", ""), original_name=meta.get("original_name", ""),
        size=len(data), sha256=hashlib.sha256(data).hexdigest(),
    )


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    try:
        with os.fdopen(handle, "wb") as target:
            target.write(data)
            target.flush()
            os.fsync(target.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def replace_template(kind: TemplateKind | str, data: bytes, actor: User,
                     original_name: str = "") -> TemplateInfo:
    """Check ``data`` and make it the template for ``kind``; ``TemplateRefused`` lists the
    problems (in Norwegian) and leaves the current template in place."""
    kind = TemplateKind(kind)
    if len(data) > MAX_TEMPLATE_BYTES:
        raise TemplateRefused([f"Filen er større enn {MAX_TEMPLATE_BYTES // (1024 * 1024)} MB. "
                               "En dokumentmal er vanligvis under 1 MB; fjern store bilder."])
    problems = check_template(kind, data)
    if problems:
        raise TemplateRefused(problems)
    sha256 = hashlib.sha256(data).hexdigest()
    _write_atomically(_uploaded_path(kind), data)
    meta = {"uploaded_at": utcnow().isoformat(), "uploaded_by": f"{actor.name} ({actor.email})",
            "original_name": original_name, "sha256": sha256}
    _write_atomically(_meta_path(kind), json.dumps(meta, ensure_ascii=False).encode())
    audit.record(actor.id, "docx_template_replaced", "docx_template", None, kind=kind.value,
                 sha256=sha256, size=len(data), original_name=original_name)
    db.session.commit()
    return info(kind)


def restore_default(kind: TemplateKind | str, actor: User | None = None) -> TemplateInfo:
    """Go back to the bundled template for ``kind``."""
    kind = TemplateKind(kind)
    existed = _uploaded_path(kind).is_file()
    _uploaded_path(kind).unlink(missing_ok=True)
    _meta_path(kind).unlink(missing_ok=True)
    if existed:
        audit.record(actor.id if actor else None, "docx_template_restored", "docx_template",
                     None, kind=kind.value)
        db.session.commit()
    return info(kind)
