"""Søknadsportal for nasjonale tjenester: the application factory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from soknad import config
from soknad.extensions import csrf, db, init_limiter, migrate


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    instance_path = (test_config or {}).get("INSTANCE_PATH") or str(
        config.PROJECT_ROOT / "instance"
    )
    app = Flask(
        __name__,
        instance_path=instance_path,
        instance_relative_config=True,
        template_folder=str(config.PROJECT_ROOT / "templates"),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    config.load(app, test_config)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(config.PROJECT_ROOT / "migrations"),
                     compare_type=True, render_as_batch=True)
    csrf.init_app(app)
    init_limiter(app)
    if app.config["PROXY_FIX_X_FOR"] or app.config["PROXY_FIX_X_PROTO"]:
        # The client address (throttling, audit) and https come from the trusted proxy's
        # X-Forwarded-For / X-Forwarded-Proto; never trust them without a proxy in front.
        app.wsgi_app = ProxyFix(app.wsgi_app,  # type: ignore[method-assign]
                                x_for=app.config["PROXY_FIX_X_FOR"],
                                x_proto=app.config["PROXY_FIX_X_PROTO"])

    from soknad import (
        models,  # noqa: F401  (register the tables for Alembic)
        web,
    )
    from soknad.services import forms

    forms.init_app(app)
    web.init_app(app)
    return app
