"""``make lint`` runs bandit; it must report no high-severity finding (issue 4)."""

from __future__ import annotations

import subprocess  # nosec B404 - runs the project's own linter
import sys
from pathlib import Path

from django.conf import settings


def test_bandit_reports_no_high_severity_finding_in_dmk():
    bandit = Path(sys.executable).with_name("bandit")
    result = subprocess.run(  # nosec B603 - fixed argument list
        [str(bandit), "-q", "-r", "dmk", "-c", "pyproject.toml", "--severity-level", "high"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
