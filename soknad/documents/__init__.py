"""Word documents and the joint package, from plain data (no Flask, no database).

    application_docx(document, spec, findings, sha256, submitted_at, template_path) -> bytes
    cover_letter_docx(CoverLetterData, template_path) -> bytes
    decision_letter_docx(DecisionLetterData, template_path) -> bytes
    check_template(kind, docx_bytes) -> list[str]
    build_package(out_path, RoundInfo, cover_letter_bytes, [PackageItem], progress) -> manifest
"""

from soknad.documents.data import (
    Consent,
    CoverLetterData,
    DecisionKind,
    DecisionLetterData,
    RankedEntry,
)
from soknad.documents.package import (
    PackageAttachment,
    PackageError,
    PackageItem,
    Progress,
    RoundInfo,
    build_package,
    read_manifest,
    safe_name,
)
from soknad.documents.render import application_docx, cover_letter_docx, decision_letter_docx
from soknad.documents.text import clean_text
from soknad.documents.variables import TemplateKind, check_template

__all__ = [
    "Consent",
    "CoverLetterData",
    "DecisionKind",
    "DecisionLetterData",
    "PackageAttachment",
    "PackageError",
    "PackageItem",
    "Progress",
    "RankedEntry",
    "RoundInfo",
    "TemplateKind",
    "application_docx",
    "build_package",
    "check_template",
    "clean_text",
    "cover_letter_docx",
    "decision_letter_docx",
    "read_manifest",
    "safe_name",
]
