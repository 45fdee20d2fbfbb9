"""The form definitions of this deployment, loaded once per app from ``FORMS_DIR``."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from soknad.domain.formspec import FormLibrary, FormSpec


def init_app(app: Flask) -> None:
    app.extensions["soknad.forms"] = FormLibrary.load(Path(app.config["FORMS_DIR"]))


def library() -> FormLibrary:
    return current_app.extensions["soknad.forms"]


def get(form_id: str, version: int) -> FormSpec:
    return library().get(form_id, version)
