"""The roll-up file of the office app's Export screen, without the screen: columns, rows, safety."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cadre_tui.errors import Refused
from cadre_tui.io.csvfile import read_csv
from cadre_tui.io.office_rollup import export_rollup, rollup_header, rollup_keys, rollup_rows

TEAM = {
    "team": "T1", "zone": "Z1", "members": ["C01", "C02"], "team_size_ok": True, "working_days": 5,
    "required_field_days": 3, "field_days": 3, "field_days_ok": True, "households": 150,
    "familiar_households": 106, "familiarity": 0.707, "familiarity_ok": True, "priority_residents": 12,
    "priority_overdue": 0, "priority_ok": True, "matters": 2, "matters_attended": 2, "matters_late": 0,
    "matters_ok": True,
}  # fmt: skip
REPORT = {
    "week": "2026-W48",
    "communities": [
        {"community": "=HYPERLINK(1)社区", "scorecard": True, "visits": 3, "matters": 1, "teams": [TEAM]},
        {"community": "山水社区", "scorecard": False, "visits": 3, "matters": None, "teams": []},
    ],
    "missing": ["明月社区"],
}


def test_english_header_and_every_kind_of_row() -> None:
    assert rollup_header("en") == rollup_keys() == [
        "community", "week", "status", "team", "zone", "members", "team_size_ok", "field_days",
        "required_field_days", "field_days_ok", "familiar_households", "households", "familiarity",
        "familiarity_ok", "priority_overdue", "priority_residents", "priority_ok", "matters_attended",
        "matters", "matters_late", "matters_ok", "all_ok",
    ]  # fmt: skip
    assert rollup_rows(REPORT, "en") == [
        ["=HYPERLINK(1)社区", "2026-W48", "sent", "T1", "Z1", "C01;C02", "✓", 3, 3, "✓", 106, 150, "70.7%",
         "✓", 0, 12, "✓", 2, 2, 0, "✓", "✓"],
        ["山水社区", "2026-W48", "no scorecard", *[""] * 19],
        ["明月社区", "2026-W48", "nothing sent", *[""] * 19],
    ]  # fmt: skip


def test_the_csv_is_formula_safe_private_and_not_overwritten_unasked(tmp_path: Path) -> None:
    path = export_rollup(REPORT, tmp_path / "out", "csv", "zh")
    assert path == tmp_path / "out" / "23766-2026-W48.csv"
    assert path.stat().st_mode & 0o777 == 0o600
    lines = path.read_bytes().decode("utf-8-sig").split("\r\n")
    assert lines[1].startswith("'=HYPERLINK(1)社区,2026-W48,已报送,T1,")
    assert lines[2] == "山水社区,2026-W48,未报送评分表" + "," * 19
    # read back with the reader every import uses: the leading ' comes off again
    table = read_csv(path, dict(zip(rollup_keys(), rollup_header("zh"), strict=True)))
    assert table.records[0].values["community"] == "=HYPERLINK(1)社区"
    with pytest.raises(Refused, match="already exists"):
        export_rollup(REPORT, tmp_path / "out", "csv", "zh")
    again = dict(REPORT, missing=[])
    export_rollup(again, tmp_path / "out", "csv", "zh", force=True)
    assert len(path.read_bytes().decode("utf-8-sig").split("\r\n")) == 4  # header, 2 rows, end
    (tmp_path / "file").write_text("x")
    with pytest.raises(Refused, match="is a file"):
        export_rollup(REPORT, tmp_path / "file", "csv", "zh")


def test_the_rollup_module_leaves_textual_out() -> None:
    code = (
        "import sys, cadre_tui.io.office_rollup;"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'));"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
