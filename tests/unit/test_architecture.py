"""The domain core stays free of the frameworks, so that every rule runs as a plain table test."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "soknad" / "domain"
FORBIDDEN = ("flask", "sqlalchemy", "wtforms", "docxtpl", "docx", "apscheduler")


def is_forbidden(module: str) -> bool:
    """``flask``, ``flask_wtf``, ``sqlalchemy.orm`` and the like; not ``docxyz`` or ``flasky``."""
    top = module.split(".", maxsplit=1)[0]
    return top in FORBIDDEN or top.startswith("flask_")


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import in the file, at any depth (inside functions too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id == "__import__" and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            found.append((node.lineno, node.args[0].value))
    return found


DOMAIN_FILES = sorted(DOMAIN.rglob("*.py"))


def test_architecture_domain_files_are_found() -> None:
    names = {path.name for path in DOMAIN_FILES}
    assert {"rules.py", "formspec.py", "workflow.py", "__init__.py"} <= names


@pytest.mark.parametrize("path", DOMAIN_FILES, ids=lambda path: path.name)
def test_architecture_domain_imports_no_framework(path: Path) -> None:
    offending = [f"{path.name}:{line} imports {module}"
                 for line, module in imported_modules(path) if is_forbidden(module)]
    assert offending == []


@pytest.mark.parametrize(
    ("source", "forbidden"),
    [
        ("import flask", True),
        ("from flask import Flask", True),
        ("import flask_wtf", True),
        ("from flask_sqlalchemy import SQLAlchemy", True),
        ("import sqlalchemy.orm as orm", True),
        ("from wtforms import Form", True),
        ("from docxtpl import DocxTemplate", True),
        ("import docx", True),
        ("from apscheduler.schedulers.background import BackgroundScheduler", True),
        ("def f():\n    import flask\n", True),
        ("__import__('sqlalchemy')", True),
        ("import json, flask", True),
        ("import flasky", False),
        ("import docxcompose_like", False),
        ("from soknad.domain import rules", False),
        ("from . import rules", False),
        ("import zipfile", False),
    ],
)
def test_architecture_checker_spots_framework_imports(tmp_path: Path, source: str,
                                                      forbidden: bool) -> None:
    path = tmp_path / "module.py"
    path.write_text(source, encoding="utf-8")
    assert any(is_forbidden(module) for _, module in imported_modules(path)) is forbidden
