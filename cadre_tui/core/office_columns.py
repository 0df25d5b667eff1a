"""The columns of the office log's three files (SPEC §6) and their Chinese labels: pure data.

The community's export (`io/office_log.py`), the office's import (`io/office_import.py`) and the office
database (`store/office.py`) all take them from here.
"""

from __future__ import annotations

# Columns and their Chinese labels, in the order of SPEC §6.
VISIT_COLUMNS: dict[str, str] = {
    "community": "社区",
    "week": "周",
    "visit_id": "记录编号",
    "visit_date": "走访日期",
    "zone": "片区",
    "team": "小组",
    "cadres": "走访干部",
    "household_no": "户编号",
    "address": "地址",
    "groups": "重点人群",
    "outcome": "结果",
    "needs": "诉求",
    "notes": "走访记录",
    "follow_up_date": "跟进日期",
    "assistance_yuan": "帮扶金额",
}
MATTER_COLUMNS: dict[str, str] = {
    "community": "社区",
    "week": "周",
    "matter_id": "事项编号",
    "kind": "类型",
    "title": "事项",
    "scope": "范围",
    "zone": "片区",
    "household_no": "户编号",
    "occurred_at": "发生时间",
    "attended_at": "到场时间",
    "attended_by": "到场干部",
    "late": "超时",
    "notes": "备注",
}
# The per-team fields of the scorecard (SPEC §5), after community and week.
SCORECARD_COLUMNS: dict[str, str] = {
    "community": "社区",
    "week": "周",
    "team": "小组",
    "zone": "片区",
    "members": "成员",
    "team_size_ok": "两人成组",
    "working_days": "工作日",
    "required_field_days": "应走访天数",
    "field_days": "走访天数",
    "field_days_ok": "走访天数达标",
    "households": "户数",
    "familiar_households": "熟悉户数",
    "familiarity": "熟悉率",
    "familiarity_ok": "熟悉率达标",
    "priority_residents": "重点人员",
    "priority_overdue": "逾期未访",
    "priority_ok": "重点走访达标",
    "matters": "必到事项",
    "matters_attended": "已到场",
    "matters_late": "超时事项",
    "matters_ok": "必到达标",
}
LOG_KINDS: dict[str, dict[str, str]] = {
    "visits": VISIT_COLUMNS,
    "matters": MATTER_COLUMNS,
    "scorecard": SCORECARD_COLUMNS,
}
