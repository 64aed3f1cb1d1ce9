"""Apps import only downwards (STYLE.md, ARCHITECTURE.md): the import-linter contract holds."""

from __future__ import annotations

import subprocess  # nosec B404 - runs the project's own linter
import sys
from pathlib import Path

from django.conf import settings


def test_import_linter_contract_is_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(  # nosec B603 - fixed argument list
        [str(lint_imports), "--no-cache"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 1 kept, 0 broken." in result.stdout
