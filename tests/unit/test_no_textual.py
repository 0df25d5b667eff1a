"""The command line and the core never import Textual (a subprocess sees a clean interpreter)."""

from __future__ import annotations

import subprocess
import sys


def test_cli_and_core_leave_textual_out() -> None:
    code = (
        "import sys, cadre_tui.cli, cadre_tui.core, cadre_tui.core.domain, cadre_tui.store, cadre_tui.io;"
        "from cadre_tui.cli import build_parser; build_parser();"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'));"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
