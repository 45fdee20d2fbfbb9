"""The real app on the benchmark's throwaway instance folder and SQLite database.

``gunicorn bench.appwsgi:app`` serves it; ``python -m bench.appwsgi demo`` runs the project's own
``soknad demo`` command (migrate, organisations, round, demo users) against the same instance.
Both read ``BENCH_INSTANCE`` and ``DATABASE_URL`` from the environment.
"""

from __future__ import annotations

import os
import sys

from flask import Flask


def make_app() -> Flask:
    from soknad import create_app

    return create_app({
        "INSTANCE_PATH": os.environ["BENCH_INSTANCE"],
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "SECRET_KEY": "bench",
        "WTF_CSRF_ENABLED": True,
    })


if __name__ == "__main__":
    from flask.cli import ScriptInfo

    from soknad.cli import main

    # The project's CLI, with the factory pointed at the benchmark's instance folder.
    main(args=sys.argv[1:], obj=ScriptInfo(create_app=make_app), prog_name="soknad")
else:
    app = make_app()
