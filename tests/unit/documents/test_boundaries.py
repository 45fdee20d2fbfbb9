"""The document library takes plain data: no web framework, no database."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.test_architecture import imported_modules

LIBRARY = sorted((Path(__file__).resolve().parents[3] / "soknad" / "documents").glob("*.py"))


@pytest.mark.parametrize("path", LIBRARY, ids=lambda path: path.name)
def test_documents_import_no_flask_or_database(path: Path) -> None:
    offending = [f"{path.name}:{line} imports {module}"
                 for line, module in imported_modules(path)
                 if module.split(".")[0] in {"flask", "sqlalchemy", "flask_sqlalchemy",
                                             "wtforms", "soknad.models"}
                 or module.startswith(("flask_", "soknad.models", "soknad.services",
                                       "soknad.web"))]
    assert offending == []
