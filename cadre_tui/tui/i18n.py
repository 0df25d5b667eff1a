"""Every label the app shows, in Chinese and English: one catalogue, one key per text.

A test checks that both languages have every key. Texts may hold `{name}` fields for `str.format`.
"""

from __future__ import annotations

from typing import Any

LANGS = ("zh", "en")

ZH: dict[str, str] = {
    "app.title": "社区干部走访",
    "app.no_community.title": "这个数据库里还没有社区",
    "app.no_community.body": (
        "数据库：{path}\n\n"
        "请先在命令行中开始：\n\n"
        "  cadre-tui init --community 社区名称     新建社区\n"
        "  cadre-tui import staff 干部名单.csv      导入干部与小组\n"
        "  cadre-tui import roster 住户名册.csv     导入住户与居民\n"
        "  cadre-tui import bundle 同步包.zip       从搭档的电脑导入\n"
        "  cadre-tui demo                           试用演示社区（虚构数据）\n\n"
        "然后再次运行 cadre-tui。按 ctrl+q 退出。"
    ),
    "app.sync_missing": "同步页面暂不可用：{error}",
    "app.choose_household": "请先选中一户（按 h 查找住户）",
    "app.error.title": "出错了",
    "app.restart_for_lang": "语言已保存，下次启动时生效",
    # keys (footer, help, palette)
    "key.dashboard": "总览",
    "key.plan": "计划",
    "key.households": "住户",
    "key.matters": "六必到",
    "key.sync": "同步",
    "key.settings": "设置",
    "key.visit": "走访",
    "key.help": "帮助",
    "key.quit": "退出",
    "key.palette": "命令",
    "key.leave": "离开输入框",
    "key.refresh": "刷新",
    "key.search": "搜索",
    "key.reveal": "显示证件号",
    "key.record_visit": "记录走访",
    "key.household_active": "停用/启用住户",
    "key.resident_status": "居民状态",
    "key.edit_visit": "修改走访",
    "key.delete_visit": "删除走访",
    "key.next_pane": "下一栏",
    "key.generate": "生成计划",
    "key.prev_day": "移到前一天",
    "key.next_day": "移到后一天",
    "key.add": "添加",
    "key.remove": "移除",
    "key.prev_week": "上一周",
    "key.next_week": "下一周",
    "key.team": "换小组",
    "key.new_matter": "新事项",
    "key.attend": "标记到场",
    "key.edit": "修改",
    "key.delete": "删除",
    "key.save": "保存",
    "key.cancel": "取消",
    "key.outcome": "结果",
    "key.close": "关闭",
    "key.yes": "是",
    "key.no": "否",
    "key.pick": "选定",
    # dashboard
    "dash.title": "本周 23766 情况 {week}（截至 {as_of}）",
    "dash.col.team": "小组",
    "dash.col.zone": "片区",
    "dash.col.members": "两人一组",
    "dash.col.field_days": "外出天数",
    "dash.col.familiarity": "熟悉率",
    "dash.col.priority": "重点人群",
    "dash.col.matters": "六必到",
    "dash.community_familiarity": "全社区熟悉率 {value}",
    "dash.overdue": "逾期未走访的重点人群",
    "dash.open_matters": "未到场的必到事项",
    "dash.chart": "近 8 周外出天数（{first} – {last}）",
    "dash.none": "（无）",
    # said after a list's title when the list stops at its limit (the English one starts with a space)
    "list.first": "（只显示前 {limit} 条）",
    "list.latest": "（只显示最近 {limit} 条）",
    "dash.loading": "正在计算……",
    "dash.days_overdue": "逾期 {days} 天",
    "col.name": "姓名",
    "col.household_no": "户编号",
    "col.address": "地址",
    "col.groups": "人群",
    "col.team": "小组",
    "col.overdue": "逾期",
    "col.kind": "类型",
    "col.title": "事项",
    "col.where": "范围",
    "col.occurred": "发生时间",
    "col.attended": "到场时间",
    "col.attended_by": "到场干部",
    "col.status": "状态",
    "col.date": "日期",
    "col.reason": "原因",
    "col.outcome": "结果",
    "col.cadres": "干部",
    "col.needs": "诉求",
    "col.notes": "记录",
    "col.matched": "匹配的居民",
    "col.relation": "关系",
    "col.id_number": "身份证号",
    "col.phone": "电话",
    "col.due": "应访日期",
    # households
    "hh.placeholder": "输入姓名、拼音、地址、户编号或电话尾号",
    "hh.count": "{count} 户",
    "hh.more": "{count} 户（只显示前 {count} 户，请输入更多字）",
    "hh.empty": "输入几个字开始查找",
    "hh.no_match": "没有找到",
    "hh.inactive": "（已停用）",
    "hh.detail.zone": "片区 {zone} · 小组 {team}",
    "hh.detail.residents": "居民",
    "hh.detail.due": "走访到期情况",
    "hh.detail.visits": "走访记录",
    "hh.detail.none": "（无）",
    "hh.revealed": "已显示 {name} 的完整证件号和电话（已记入审计日志）",
    "hh.set_inactive": "把住户 {no} 设为停用？",
    "hh.set_active": "把住户 {no} 恢复为在用？",
    "hh.resident_status": "{name} 的状态",
    "hh.delete_visit": "删除 {date} 的这条走访记录？（保留痕迹，可同步）",
    "hh.choose_resident": "请先在居民表中选中一人（tab 切换）",
    "hh.choose_visit": "请先在走访记录中选中一条（tab 切换）",
    "due.overdue": "逾期",
    "due.due": "到期",
    "due.ok": "正常",
    # visit form
    "visit.title": "走访 {no} {address}",
    "visit.title_edit": "修改走访 {no} {address}",
    "visit.outcome": "结果（按 1–5 选择）",
    "visit.date": "走访日期",
    "visit.team": "小组",
    "visit.team_prompt": "选择小组",
    "visit.cadres": "到场干部",
    "visit.residents": "见到的居民",
    "visit.needs": "诉求",
    "visit.notes": "走访记录",
    "visit.follow_up": "跟进日期（可空）",
    "visit.assistance": "帮扶金额（元，可空）",
    "visit.amount_hint": "如 200 或 150.50",
    "visit.save_hint": "ctrl+s 保存　esc 取消",
    "visit.saved": "已保存走访记录",
    "visit.discard": "放弃未保存的内容？",
    "visit.bad_date": "{field}：“{value}”不是有效的日期，请按 YYYY-MM-DD 填写",
    "form.bad_time": "{field}：“{value}”不是有效的日期和时间，请按 YYYY-MM-DD HH:MM 填写",
    "visit.bad_amount": "帮扶金额：不是金额：{value}",
    "visit.need_outcome": "请先选择走访结果（1–5）",
    "visit.moved_inactive": "结果是“已搬离/空置”：把住户 {no} 设为停用？",
    # plan
    "plan.title": "小组 {team} · {week}（{monday} – {sunday}）",
    "plan.saved": "已保存的计划",
    "plan.proposed": "建议的计划（未保存；生成、移动、添加或移除时保存）",
    "plan.warning": "注意：{warning}",
    "plan.required": "需外出 {required} 天",
    "plan.field_day": "外出日",
    "plan.rest": "休息",
    "plan.empty_day": "（无安排）",
    "plan.matter": "必到：{title}",
    "plan.not_planned": "未排入：{items}",
    "plan.no_team": "还没有小组：请先导入干部名单",
    "plan.add_title": "添加到 {day}：查找住户",
    "plan.choose_entry": "请先选中一户",
    "plan.generated": "已生成并保存计划",
    "plan.no_day": "不能再移动了",
    "plan.weekday": "一二三四五六日",
    "plan.reason.manual": "手动添加",
    # matters
    "mat.title": "必到事项记录",
    "mat.new": "新的必到事项",
    "mat.edit": "修改必到事项",
    "mat.kind": "类型",
    "mat.title_field": "事项",
    "mat.scope": "范围",
    "mat.zone": "片区编号",
    "mat.zone_prompt": "选择片区（范围为片区时）",
    "mat.household": "户编号",
    "mat.occurred_at": "发生时间（YYYY-MM-DD HH:MM）",
    "mat.notes": "备注",
    "mat.attend": "标记到场：{title}",
    "mat.attended_at": "到场时间（YYYY-MM-DD HH:MM）",
    "mat.cadres": "到场干部",
    "mat.open": "未到场",
    "mat.late": "超时",
    "mat.on_time": "按时",
    "mat.overdue": "已超时未到",
    "mat.saved": "已保存",
    "mat.delete": "删除事项“{title}”？（保留痕迹，可同步）",
    "mat.choose": "请先选中一条事项",
    "mat.community": "全社区",
    "mat.need_title": "请填写事项",
    # settings
    "set.title": "设置（本机）",
    "set.me": "这台电脑属于哪位干部",
    "set.capacity": "每个外出日最多走访户数",
    "set.lang": "界面语言",
    "set.saved": "设置已保存",
    "set.none": "（未设置）",
    # dialogs and help
    "dlg.confirm": "确认",
    "help.title": "帮助：{screen}",
    "help.keys": "按键",
    "help.global": "全局：",
    "help.dashboard": (
        "本周各小组的 23766 情况（✓ 达标，✗ 未达标）、逾期的重点人群、未到场的必到事项、近 8 周外出天数。"
    ),
    "help.plan": (
        "一周的走访计划：按外出日列出要走访的住户和原因。g 生成"
        "，[ ] 移到前/后一天，a 添加，x 移除，b/n 换"
        "周，t 换小组，enter 记录走访。"
    ),
    "help.households": (
        "输入即查找：姓名、拼音（全拼或首字母，多音字都可以）、地"
        "址、户编号、电话尾号。↑↓ 选择，enter 记录走访，"
        "tab 到居民和走访记录；r 显示完整证件号（记入审计）"
        "。"
    ),
    "help.visit": ("按 1–5 选择结果，n 写走访记录，tab 到下一项；ctrl+s 在任何位置保存，esc 取消。"),
    "help.matters": ("六必到记录：n 新事项，a 标记到场，e 修改，x 删除。超时的事项标红。"),
    "help.settings": ("本机属于哪位干部（表单默认其小组）、每天最多走访户数、界面语言。"),
    "help.no_community": "这个数据库还没有社区，请按说明在命令行中开始。",
    # palette
    "cmd.go": "转到：{screen}",
    "cmd.placeholder": "搜索命令…",
    "cmd.theme": "配色",
    "cmd.theme.help": "换一套界面配色（到关闭程序为止）",
    "cmd.theme.placeholder": "搜索配色…",
    "cmd.maximize": "放大",
    "cmd.maximize.help": "把选中的部分放大到整个屏幕",
    "cmd.minimize": "还原",
    "cmd.minimize.help": "把放大的部分还原",
    "screen.dashboard": "总览",
    "screen.plan": "计划",
    "screen.households": "住户",
    "screen.matters": "六必到",
    # sync screen (s)
    "screen.sync": "同步",
    "help.sync": (
        "同步包：导出给搭档的电脑（ctrl+b），或导入搭档的（ctrl+r）；同步包含完整个人信息，只用U盘或数据线传递。"
        "周报日志：导出一周给街道的三个文件（ctrl+g），不含姓名、证件号和电话；"
        "周的框里写 本周、上周、下周或 2026-W48，按 ↑↓ 换一周。esc 返回。"
    ),
    "key.export_bundle": "导出同步包",
    "key.import_bundle": "导入同步包",
    "key.export_log": "导出周报",
    "sync.title": "同步与报送",
    "sync.bundle_path": "同步包路径",
    "sync.export_bundle": "导出同步包",
    "sync.import_bundle": "导入同步包",
    "sync.bundle_privacy": "同步包含完整的个人信息：只拷给搭档的电脑，不要用邮件或聊天软件发送。",
    "sync.log_week": "周报的周",
    "sync.log_folder": "保存到",
    "sync.export_log": "导出周报",
    "sync.ready": (
        "同步包可以是文件夹或 .zip 文件；周可写 本周、上周、下周或 2026-W48（在周的框里按 ↑↓ 换一周）。"
    ),
    "week.this": "本周",
    "week.last": "上周",
    "week.next": "下周",
    "sync.exporting": "正在导出…",
    "sync.importing": "正在导入…",
    "sync.exported": "已导出 {rows} 行到 {path}",
    "sync.imported": "已导入 {path}：",
    "sync.nothing_imported": "没有导入任何数据：",
    "sync.bad_week": "周不对：“{typed}”（可写 本周、上周、下周或 2026-W48）",
    "sync.log_written": "{week} 周报已写好：",
    "sync.log_privacy": "周报不含姓名、证件号和电话，可以交给街道。",
    "sync.cancelled": "已取消，没有覆盖任何文件。",
    "sync.overwrite": "{reason}\n\n要覆盖吗？",
    "screen.settings": "设置",
    "screen.visit": "走访",
    "screen.no_community": "开始",
    # common
    "ok": "✓",
    "not_ok": "✗",
    "yes": "是",
    "no": "否",
    "saving": "正在保存……",
    "deleted": "已删除",
    # -- encryption (issue 9): the unlock screen, the idle lock, the sync passphrase ----------------
    "unlock.title": "cadre-tui：数据库已加密",
    "unlock.locked": "cadre-tui 已锁定（长时间没有操作）",
    "unlock.prompt": "请输入数据库口令，按回车解锁。",
    "unlock.placeholder": "数据库口令",
    "unlock.wrong": "口令不对（再错 {left} 次需等待 30 秒）",
    "unlock.wait": "口令错误次数过多，请等待 {seconds} 秒再试",
    "unlock.quit": "按 ctrl+q 退出",
    "app.not_encrypted": (
        "数据库没有加密：复制走它的人能读到居民的个人信息。请在命令行运行 cadre-tui encrypt。"
    ),
    "sync.passphrase": "同步包口令",
    "sync.passphrase_needed": "请先输入同步包口令（全组共用，与数据库口令不同）",
    "sync.encrypted_note": "同步包已用同步包口令加密（.cadre 文件），没有口令的人打不开。",
}

EN: dict[str, str] = {
    "app.title": "Community cadres' visits",
    "app.no_community.title": "This database holds no community yet",
    "app.no_community.body": (
        "Database: {path}\n\n"
        "Start from the command line:\n\n"
        "  cadre-tui init --community NAME       create the community\n"
        "  cadre-tui import staff staff.csv      cadres and teams\n"
        "  cadre-tui import roster roster.csv    households and residents\n"
        "  cadre-tui import bundle bundle.zip    from your partner's laptop\n"
        "  cadre-tui demo                        try the demo community (fictional data)\n\n"
        "Then run cadre-tui again. Press ctrl+q to quit."
    ),
    "app.sync_missing": "The sync screen is not available: {error}",
    "app.choose_household": "Choose a household first (press h to find one)",
    "app.error.title": "Something went wrong",
    "app.restart_for_lang": "Language saved; it applies from the next start",
    "key.dashboard": "Dashboard",
    "key.plan": "Plan",
    "key.households": "Households",
    "key.matters": "Matters",
    "key.sync": "Sync",
    "key.settings": "Settings",
    "key.visit": "Visit",
    "key.help": "Help",
    "key.quit": "Quit",
    "key.palette": "Commands",
    "key.leave": "Leave text box",
    "key.refresh": "Refresh",
    "key.search": "Search",
    "key.reveal": "Reveal ID",
    "key.record_visit": "Record visit",
    "key.household_active": "Household in/active",
    "key.resident_status": "Resident status",
    "key.edit_visit": "Edit visit",
    "key.delete_visit": "Delete visit",
    "key.next_pane": "Next pane",
    "key.generate": "Generate",
    "key.prev_day": "Day earlier",
    "key.next_day": "Day later",
    "key.add": "Add",
    "key.remove": "Remove",
    "key.prev_week": "Prev week",
    "key.next_week": "Next week",
    "key.team": "Team",
    "key.new_matter": "New matter",
    "key.attend": "Attended",
    "key.edit": "Edit",
    "key.delete": "Delete",
    "key.save": "Save",
    "key.cancel": "Cancel",
    "key.outcome": "Outcome",
    "key.close": "Close",
    "key.yes": "Yes",
    "key.no": "No",
    "key.pick": "Pick",
    "dash.title": "This week's 23766 {week} (as of {as_of})",
    "dash.col.team": "Team",
    "dash.col.zone": "Zone",
    "dash.col.members": "Pair",
    "dash.col.field_days": "Field days",
    "dash.col.familiarity": "Familiarity",
    "dash.col.priority": "Priority",
    "dash.col.matters": "Matters",
    "dash.community_familiarity": "Community familiarity {value}",
    "dash.overdue": "Overdue priority residents",
    "dash.open_matters": "Open must-attend matters",
    "dash.chart": "Field days, last 8 weeks ({first} – {last})",
    "dash.none": "(none)",
    "list.first": " (showing the first {limit})",
    "list.latest": " (showing the latest {limit})",
    "dash.loading": "Computing…",
    "dash.days_overdue": "{days} days overdue",
    "col.name": "Name",
    "col.household_no": "Household",
    "col.address": "Address",
    "col.groups": "Groups",
    "col.team": "Team",
    "col.overdue": "Overdue",
    "col.kind": "Kind",
    "col.title": "Title",
    "col.where": "Where",
    "col.occurred": "Occurred",
    "col.attended": "Attended",
    "col.attended_by": "By",
    "col.status": "Status",
    "col.date": "Date",
    "col.reason": "Reason",
    "col.outcome": "Outcome",
    "col.cadres": "Cadres",
    "col.needs": "Needs",
    "col.notes": "Notes",
    "col.matched": "Matched residents",
    "col.relation": "Relation",
    "col.id_number": "ID number",
    "col.phone": "Phone",
    "col.due": "Due",
    "hh.placeholder": "Name, pinyin, address, household number or phone tail",
    "hh.count": "{count} households",
    "hh.more": "{count} households (only the first {count}; type more)",
    "hh.empty": "Type to search",
    "hh.no_match": "Nothing found",
    "hh.inactive": "(inactive)",
    "hh.detail.zone": "Zone {zone} · team {team}",
    "hh.detail.residents": "Residents",
    "hh.detail.due": "Visits due",
    "hh.detail.visits": "Visits",
    "hh.detail.none": "(none)",
    "hh.revealed": "Showing {name}'s full ID number and phone (written to the audit log)",
    "hh.set_inactive": "Set household {no} inactive?",
    "hh.set_active": "Set household {no} active again?",
    "hh.resident_status": "Status of {name}",
    "hh.delete_visit": "Delete the visit of {date}? (kept as a tombstone for sync)",
    "hh.choose_resident": "Choose a resident in the residents table first (tab)",
    "hh.choose_visit": "Choose a visit in the visits table first (tab)",
    "due.overdue": "overdue",
    "due.due": "due",
    "due.ok": "ok",
    "visit.title": "Visit {no} {address}",
    "visit.title_edit": "Edit visit {no} {address}",
    "visit.outcome": "Outcome (keys 1–5)",
    "visit.date": "Date",
    "visit.team": "Team",
    "visit.team_prompt": "Choose a team",
    "visit.cadres": "Cadres present",
    "visit.residents": "Residents met",
    "visit.needs": "Needs",
    "visit.notes": "Notes",
    "visit.follow_up": "Follow-up date (optional)",
    "visit.assistance": "Assistance, yuan (optional)",
    "visit.amount_hint": "e.g. 200 or 150.50",
    "visit.save_hint": "ctrl+s save   esc cancel",
    "visit.saved": "Visit saved",
    "visit.discard": "Drop what you typed?",
    "visit.bad_date": "{field}: “{value}” is not a valid date (use YYYY-MM-DD)",
    "form.bad_time": "{field}: “{value}” is not a valid date and time (use YYYY-MM-DD HH:MM)",
    "visit.bad_amount": "Assistance: not an amount: {value}",
    "visit.need_outcome": "Choose the outcome first (1–5)",
    "visit.moved_inactive": "Outcome 'moved': set household {no} inactive?",
    "plan.title": "Team {team} · {week} ({monday} – {sunday})",
    "plan.saved": "Saved plan",
    "plan.proposed": "Proposed plan (saved when you generate, move, add or remove)",
    "plan.warning": "Note: {warning}",
    "plan.required": "{required} field days needed",
    "plan.field_day": "field day",
    "plan.rest": "off",
    "plan.empty_day": "(nothing planned)",
    "plan.matter": "Attend: {title}",
    "plan.not_planned": "Not planned: {items}",
    "plan.no_team": "No teams yet: import the staff list first",
    "plan.add_title": "Add to {day}: find a household",
    "plan.choose_entry": "Choose a household first",
    "plan.generated": "Plan generated and saved",
    "plan.reason.manual": "added by hand",
    "plan.no_day": "Cannot move further",
    "plan.weekday": "MTWTFSS",
    "mat.title": "Must-attend matters",
    "mat.new": "New must-attend matter",
    "mat.edit": "Edit must-attend matter",
    "mat.kind": "Kind",
    "mat.title_field": "Title",
    "mat.scope": "Scope",
    "mat.zone": "Zone code",
    "mat.zone_prompt": "Choose a zone (for a zone's matter)",
    "mat.household": "Household number",
    "mat.occurred_at": "Occurred at (YYYY-MM-DD HH:MM)",
    "mat.notes": "Notes",
    "mat.attend": "Attended: {title}",
    "mat.attended_at": "Attended at (YYYY-MM-DD HH:MM)",
    "mat.cadres": "Cadres present",
    "mat.open": "open",
    "mat.late": "late",
    "mat.on_time": "on time",
    "mat.overdue": "overdue",
    "mat.saved": "Saved",
    "mat.delete": "Delete the matter '{title}'? (kept as a tombstone for sync)",
    "mat.choose": "Choose a matter first",
    "mat.community": "community",
    "mat.need_title": "Enter a title",
    "set.title": "Settings (this laptop)",
    "set.me": "Which cadre this laptop belongs to",
    "set.capacity": "Households per field day at most",
    "set.lang": "Language",
    "set.saved": "Settings saved",
    "set.none": "(not set)",
    "dlg.confirm": "Confirm",
    "help.title": "Help: {screen}",
    "help.keys": "Keys",
    "help.global": "Anywhere: ",
    "help.dashboard": (
        "This week's 23766 per team (✓ met, ✗ not met), overdue priority residents, open must-attend "
        "matters, field days of the last 8 weeks."
    ),
    "help.plan": (
        "The week's rounds: households per field day with their reason. g generate, [ ] move a day "
        "earlier/later, a add, x remove, b/n week, t team, enter record a visit."
    ),
    "help.households": (
        "Search as you type: name, pinyin (full or initials, any reading), address, household number, "
        "phone tail. Up/down choose, enter records a visit, tab to residents and visits; r reveals the "
        "full ID number (audited)."
    ),
    "help.visit": (
        "Keys 1–5 pick the outcome, n goes to the notes, tab moves on; "
        "ctrl+s saves from anywhere, esc cancels."
    ),
    "help.matters": "Must-attend log: n new, a attended, e edit, x delete. Late ones are red.",
    "help.settings": (
        "Which cadre this laptop belongs to (forms default to their team), capacity, language."
    ),
    "help.no_community": ("This database has no community yet; start from the command line as shown."),
    "cmd.go": "Go to: {screen}",
    "cmd.placeholder": "Search for commands…",
    "cmd.theme": "Theme",
    "cmd.theme.help": "Change the colours (until the app closes)",
    "cmd.theme.placeholder": "Search for themes…",
    "cmd.maximize": "Maximize",
    "cmd.maximize.help": "Let the focused part fill the screen",
    "cmd.minimize": "Restore",
    "cmd.minimize.help": "Put the maximized part back",
    "screen.dashboard": "Dashboard",
    "screen.plan": "Plan",
    "screen.households": "Households",
    "screen.matters": "Matters",
    # sync screen (s)
    "screen.sync": "Sync",
    "help.sync": (
        "Bundles: export one for the partner's laptop (ctrl+b) or import the partner's (ctrl+r); a bundle "
        "holds full personal data, carry it by USB stick or cable only. Office log: export the week's "
        "three files for the sub-district (ctrl+g), with no names, ID numbers or phones; the week box takes "
        "this, last, next or 2026-W48, and up/down step it. esc goes back."
    ),
    "key.export_bundle": "Export bundle",
    "key.import_bundle": "Import bundle",
    "key.export_log": "Export log",
    "sync.title": "Sync and reporting",
    "sync.bundle_path": "Bundle path",
    "sync.export_bundle": "Export bundle",
    "sync.import_bundle": "Import bundle",
    "sync.bundle_privacy": (
        "A bundle holds full personal data: carry it to the partner's laptop only, never by e-mail or chat."
    ),
    "sync.log_week": "Log week",
    "sync.log_folder": "Folder",
    "sync.export_log": "Export log",
    "sync.ready": (
        "A bundle is a folder or a .zip file; a week is this, last, next or 2026-W48 (up/down in its box)."
    ),
    "week.this": "this",
    "week.last": "last",
    "week.next": "next",
    "sync.exporting": "Exporting…",
    "sync.importing": "Importing…",
    "sync.exported": "Exported {rows} rows to {path}",
    "sync.imported": "Imported {path}:",
    "sync.nothing_imported": "Nothing was imported:",
    "sync.bad_week": "Not a week: “{typed}” (use this, last, next or 2026-W48)",
    "sync.log_written": "The office log of {week} is written:",
    "sync.log_privacy": "The office log holds no names, ID numbers or phones: it can go to the sub-district.",
    "sync.cancelled": "Cancelled; no file was overwritten.",
    "sync.overwrite": "{reason}\n\nOverwrite?",
    "screen.settings": "Settings",
    "screen.visit": "Visit",
    "screen.no_community": "Start",
    "ok": "✓",
    "not_ok": "✗",
    "yes": "yes",
    "no": "no",
    "saving": "Saving…",
    "deleted": "Deleted",
    # -- encryption (issue 9): the unlock screen, the idle lock, the sync passphrase ----------------
    "unlock.title": "cadre-tui: the database is encrypted",
    "unlock.locked": "cadre-tui is locked (no key pressed for a while)",
    "unlock.prompt": "Type the database passphrase and press Enter.",
    "unlock.placeholder": "database passphrase",
    "unlock.wrong": "wrong passphrase ({left} more wrong and you wait 30 s)",
    "unlock.wait": "too many wrong passphrases: wait {seconds} s",
    "unlock.quit": "ctrl+q quits",
    "app.not_encrypted": (
        "The database is not encrypted: anyone who copies it can read the residents' personal data. "
        "Run `cadre-tui encrypt` at the command line."
    ),
    "sync.passphrase": "Sync passphrase",
    "sync.passphrase_needed": "Type the sync passphrase first (the team's, not the database passphrase)",
    "sync.encrypted_note": (
        "Bundles are encrypted with the sync passphrase (.cadre files): unreadable without it."
    ),
}

# -- paper and spreadsheets (issue 10): the walk list key on the Plan screen, the day's round ----------
ZH.update(
    {
        "key.walklist": "走访清单",
        "key.round": "录入一天",
        "key.round_clear": "清除",
        "key.round_note": "备注",
        "key.visit_notes": "写走访记录",
        "key.round_needs": "诉求",
        "key.round_follow_up": "跟进",
        "key.round_save": "保存",
        "screen.round": "录入一天的走访",
        "help.round": (
            "照着纸质走访清单录入一天：每户按 1–5 选结果并跳到下一户；n 备注，e 诉求，f 跟进日期"
            "（先按，再选结果）；0 清除；ctrl+s 把所有选了结果的住户一次保存为这天、这个小组干部的走访；"
            "esc 离开。当天已记录的住户会标出。"
        ),
        "round.title": "录入走访：{team} · {day} · {cadres}",
        "round.keys": "n 备注  e 诉求  f 跟进  0 清除  ctrl+s 全部保存  esc 离开",
        "round.col.outcome": "结果",
        "round.col.extra": "备注 诉求 跟进",
        "round.col.done": "当天已记",
        "round.done": "已记：{outcomes}",
        "round.short.met": "见到",
        "round.short.absent": "无人",
        "round.short.refused": "拒绝",
        "round.short.moved": "搬离",
        "round.short.other": "其他",
        "round.needs_short": "诉求:{needs}",
        "round.follow_up_short": "跟进 {date}",
        "round.status": "已选结果 {entered}/{total} 户；当天已记录 {done} 户",
        "round.empty": "这一天没有安排住户",
        "round.future": "这一天还没到：可以先看，不能保存",
        "round.note_for": "{no} 的备注（enter 确定，esc 取消）：",
        "round.follow_up_for": "{no} 的跟进日期（enter 确定，留空为不跟进）：",
        "round.needs_for": "{no} 的诉求",
        "round.needs_hint": "空格勾选，enter 确定，esc 取消",
        "round.follow_up_early": "跟进日期不能早于走访日期 {date}",
        "round.finish_input": "请先按 enter 确定或 esc 取消正在输入的内容",
        "round.need_outcome": "{no} 有备注但还没选结果（1–5）",
        "round.nothing": "还没有给任何住户选结果",
        "round.discard": "已录入的内容还没保存，确定离开吗？",
        "round.failed": "没有保存任何记录：{error}",
        "round.saved": "已保存 {count} 条走访（{day}）",
        "plan.choose_day": "请先选中一天（光标放在那天的任一行）",
        "plan.walklist_written": "走访清单已写入 {path}（{sheets} 页，{households} 户）",
        "plan.walklist_overwrite": "{reason}\n\n覆盖吗？",
    }
)
EN.update(
    {
        "key.walklist": "Walk list",
        "key.round": "Enter the day",
        "key.round_clear": "Clear",
        "key.round_note": "Note",
        "key.visit_notes": "Notes",
        "key.round_needs": "Needs",
        "key.round_follow_up": "Follow-up",
        "key.round_save": "Save",
        "screen.round": "A day's round",
        "help.round": (
            "Type in a day from the paper walk list: 1–5 gives a household its outcome and moves to the "
            "next; n note, e needs, f follow-up date (press them before the outcome); 0 clears; ctrl+s "
            "stores every household with an outcome as visits of that day by the team's cadres; esc leaves. "
            "Households already visited that day are marked."
        ),
        "round.title": "Round: {team} · {day} · {cadres}",
        "round.keys": "n note  e needs  f follow-up  0 clear  ctrl+s save all  esc leave",
        "round.col.outcome": "Outcome",
        "round.col.extra": "Note/needs/follow-up",
        "round.col.done": "Already that day",
        "round.done": "done: {outcomes}",
        "round.short.met": "met",
        "round.short.absent": "absent",
        "round.short.refused": "refused",
        "round.short.moved": "moved",
        "round.short.other": "other",
        "round.needs_short": "needs: {needs}",
        "round.follow_up_short": "follow-up {date}",
        "round.status": "{entered}/{total} households given an outcome; {done} already recorded that day",
        "round.empty": "Nothing is planned on this day",
        "round.future": "This day has not come yet: you can look, not save",
        "round.note_for": "Note for {no} (enter keeps it, esc cancels):",
        "round.follow_up_for": "Follow-up date for {no} (enter keeps it; empty for none):",
        "round.needs_for": "Needs raised at {no}",
        "round.needs_hint": "space ticks, enter keeps, esc cancels",
        "round.follow_up_early": "The follow-up date cannot be before the visit date {date}",
        "round.finish_input": "Finish the box first: enter keeps it, esc cancels",
        "round.need_outcome": "{no} has a note but no outcome yet (1–5)",
        "round.nothing": "No household has an outcome yet",
        "round.discard": "What you entered is not saved. Leave anyway?",
        "round.failed": "Nothing was saved: {error}",
        "round.saved": "Saved {count} visits ({day})",
        "plan.choose_day": "Put the cursor on a day first (any row of that day)",
        "plan.walklist_written": "Walk list written to {path} ({sheets} sheets, {households} households)",
        "plan.walklist_overwrite": "{reason}\n\nOverwrite?",
    }
)

# -- short footer labels: the footer fits 80 columns; help and the palette show the key.… text ----------
ZH.update(
    {
        "foot.generate": "生成",
        "foot.prev_day": "前移",
        "foot.next_day": "后移",
        "foot.round": "录入",
        "foot.walklist": "清单",
        "foot.reveal": "证件号",
        "foot.household_active": "停/启用",
        "foot.resident_status": "状态",
        "foot.edit_visit": "改走访",
        "foot.delete_visit": "删走访",
    }
)
EN.update(
    {
        "foot.generate": "Generate",
        "foot.prev_day": "Earlier",
        "foot.next_day": "Later",
        "foot.round": "Round",
        "foot.walklist": "List",
        "foot.reveal": "Reveal",
        "foot.household_active": "In/active",
        "foot.resident_status": "Status",
        "foot.edit_visit": "Edit",
        "foot.delete_visit": "Delete",
    }
)

CATALOGUE: dict[str, dict[str, str]] = {"zh": ZH, "en": EN}


def text(key: str, lang: str, **fields: Any) -> str:
    """The text of `key` in `lang` (`zh` or `en`), formatted with `fields`."""
    template = CATALOGUE.get(lang, ZH).get(key) or ZH.get(key) or key
    return template.format(**fields) if fields else template


# -- the office app (`cadre-tui office`): key -> (zh, en), one block for both languages --------------------
OFFICE_TEXTS: dict[str, tuple[str, str]] = {
    "office.title": ("街道 23766 汇总", "Sub-district 23766 roll-up"),
    "office.loading": ("正在读取…", "Loading…"),
    "screen.office_week": ("周汇总", "Week"),
    "screen.office_import": ("导入", "Import"),
    "screen.office_export": ("导出", "Export"),
    "screen.office_history": ("社区近 8 周", "Community's 8 weeks"),
    "key.office_week": ("周汇总", "Week"),
    "key.office_import": ("导入", "Import"),
    "key.office_export": ("导出", "Export"),
    "key.office_history": ("近 8 周", "8 weeks"),
    "key.office_run_import": ("开始导入", "Run import"),
    "key.office_run_export": ("导出文件", "Write file"),
    "office.help.week": (
        "所选一周里每个社区每个小组的 23766：2 两人成组、3 走访天数、7 熟悉率、6 重点人员逾期/总数、"
        "6 必到事项到场/总数，✓ 达标，✗ 未达标。顶部列出以往报送过、本周没有报送的社区。"
        "[ 和 ] （或 b、n）换到上一周、下一周；"
        "在某行按 enter（或 h）查看该社区各小组近 8 周的走访天数和熟悉率。",
        "Every community's teams in the chosen week with the 23766 figures: 2 pair, 3 field days, 7 "
        "familiarity, 6 priority residents overdue/all, 6 matters attended/all; ✓ kept, ✗ not. The "
        "communities seen before that sent nothing this week are named at the top. [ and ] (or b, n) go to "
        "the previous/next week; enter (or h) on a row shows that community's teams over the last 8 weeks.",
    ),
    "office.help.history": (
        "该社区各小组近 8 周：走访天数（绿色为达到 3 天）和熟悉率（绿色为达到 70%）；"
        "“-” 表示那一周没有评分表。esc 或 enter 返回。",
        "The community's teams over 8 weeks: field days (green when the 3 were kept) and familiarity "
        "(green at 70%); '-' is a week with no scorecard. esc or enter goes back.",
    ),
    "office.help.import": (
        "输入文件夹（或单个文件）后按 enter 或 ctrl+r："
        "其中所有 visits-…、matters-…、scorecard-… 日志 CSV 和 log-….xlsx 日志工作簿（三张表）逐个导入。"
        "有问题的文件整份拒收并列出文件、行号和原因，其余照常导入；同一社区同一周的同类日志，后导入的替换先前的，"
        "内容相同则不变。文件夹会记住，下次作为默认。esc 离开输入框。",
        "Type a folder (or one file) and press enter or ctrl+r: every visits-…, matters-… and scorecard-… "
        "log and every log-….xlsx workbook (its three sheets) in it is imported, file by file. A bad file "
        "is refused whole and listed with its file, line and problem; the others go in. A later log of the "
        "same community, week and kind replaces the earlier one; the same content changes nothing. The "
        "folder is kept as the next default. esc leaves the text box.",
    ),
    "office.help.export": (
        "把所选一周的汇总写成文件交给领导。Excel 工作簿（23766-周.xlsx）：第一张为总览（每个社区每个小组五项"
        "指标的 ✓/✗，未报送的社区列在表头上方），其后每项指标一张表，数字为数值，✓ 绿底、✗ 红底，"
        "A4 横向、每页重复表头，可直接打印。CSV（23766-周.csv）为一张表，每项指标的数字后跟 ✓/✗ 一列。"
        "已有同名文件时先询问。ctrl+s 导出。",
        "Write the chosen week's roll-up for the leaders. The Excel workbook (23766-WEEK.xlsx): an overview "
        "first (each community and team with the five figures' ✓/✗, the communities that sent nothing named "
        "above), then a sheet per figure, numbers as numbers, ✓ on green and ✗ on red, A4 landscape with the "
        "header on every page, ready to print. The CSV (23766-WEEK.csv) is one table, each figure's numbers "
        "followed by its ✓/✗. An existing file is asked about first. ctrl+s writes.",
    ),
    "office.col.community": ("社区", "Community"),
    "office.col.team": ("小组", "Team"),
    "office.col.zone": ("片区", "Zone"),
    "office.col.pair": ("2 成组", "2 pair"),
    "office.col.field_days": ("3 走访", "3 days"),
    "office.col.familiarity": ("7 熟悉率", "7 known"),
    "office.col.priority": ("6 重点", "6 prio"),
    "office.col.matters": ("6 必到", "6 must"),
    "office.col.all_ok": ("达标", "all"),
    "office.week.title": (
        "{week}  {sent} 个社区报送 · 小组全部达标 {ok}/{teams}",
        "{week}  {sent} communities sent · teams keeping all {ok}/{teams}",
    ),
    "office.week.missing": ("本周未报送：{names}", "No log this week: {names}"),
    "office.week.all_sent": ("以往报送过的社区本周都已报送。", "Every community seen before sent a log."),
    "office.week.empty": (
        "这一周还没有任何社区的日志：按 i 导入，或用 [ ] 换一周。",
        "No community's log for this week yet: i imports, [ ] change the week.",
    ),
    "office.no_scorecard": ("无评分", "no card"),
    "office.week.community_no_card": (
        "{community}：未报送评分表 · 走访 {visits} 条 · 事项 {matters} 条",
        "{community}: no scorecard sent · {visits} visits · {matters} matters",
    ),
    "office.week.community": (
        "{community}：熟悉率 {familiarity}（{familiar}/{households} 户） · "
        "走访 {visits} 条 · 事项 {matters} 条",
        "{community}: familiarity {familiarity} ({familiar}/{households} households) · {visits} visits · "
        "{matters} matters",
    ),
    "office.history.title": ("{community}  {first} – {last}", "{community}  {first} – {last}"),
    "office.history.legend": (
        "绿色为达标：走访 ≥3 天，熟悉率 ≥70%；- 为该周无评分表",
        "green = kept: 3 field days, 70% familiarity; - = no scorecard",
    ),
    "office.history.field_days": ("走访", "days"),
    "office.history.familiarity": ("熟悉", "known"),
    "office.history.none": (
        "这 8 周没有该社区的评分表。",
        "No scorecard of this community in these 8 weeks.",
    ),
    "office.import.title": ("导入社区周报", "Import the communities' logs"),
    "office.import.path": ("文件夹或文件", "Folder or file"),
    "office.import.placeholder": ("例如 /media/usb/周报", "e.g. /media/usb/logs"),
    "office.import.run": ("导入", "Import"),
    "office.import.hint": (
        "逐个导入 visits-…、matters-…、scorecard-… 日志和 log-….xlsx 工作簿；"
        "有问题的文件拒收，其余照常导入。",
        "Imports every visits-…, matters-…, scorecard-… log and log-….xlsx workbook, one by one; a bad file "
        "is refused.",
    ),
    "office.import.ready": ("输入路径后按 enter。", "Type a path and press enter."),
    "office.import.no_path": ("请先输入文件夹或文件的路径。", "Type a folder or file path first."),
    "office.import.running": ("正在导入…", "Importing…"),
    "office.import.done": (
        "{path}：新增 {added} · 替换 {replaced} · 未变 {unchanged} · 拒收 {refused}",
        "{path}: added {added} · replaced {replaced} · unchanged {unchanged} · refused {refused}",
    ),
    "office.import.skipped": (
        "另有 {count} 个不是日志的 CSV 文件未导入。",
        "{count} other CSV files skipped.",
    ),
    "office.import.none": ("没有找到日志文件。", "No log files found."),
    "office.import.rows": ("{kind} {rows} 行", "{kind} {rows} rows"),
    "office.status.added": ("新增", "added"),
    "office.status.replaced": ("替换", "replaced"),
    "office.status.unchanged": ("未变", "unchanged"),
    "office.status.refused": ("拒收", "refused"),
    "office.kind.visits": ("走访", "visits"),
    "office.kind.matters": ("必到事项", "matters"),
    "office.kind.scorecard": ("评分表", "scorecard"),
    "office.export.title": ("导出周汇总", "Export the week's roll-up"),
    "office.export.week": ("周", "Week"),
    "office.export.format": ("格式", "Format"),
    "office.export.folder": ("文件夹", "Folder"),
    "office.export.run": ("导出", "Export"),
    "office.export.hint": (
        "Excel：总览加每项指标一张表，✓ 绿底 ✗ 红底，可直接打印；CSV：一张表，每个社区每个小组一行。",
        "Excel: an overview and a sheet per figure, ✓ green ✗ red, ready to print; CSV: one table.",
    ),
    "office.export.running": ("正在导出…", "Exporting…"),
    "office.export.bad_week": ("不是有效的周：{error}", "Not a week: {error}"),
    "office.export.written": (
        "{week} 汇总已写出（{rows} 行）：",
        "The roll-up of {week} is written ({rows} rows):",
    ),
    "office.export.missing": (
        "其中 {count} 个社区本周未报送。",
        "{count} communities sent nothing that week.",
    ),
    "office.export.cancelled": ("已取消，没有覆盖任何文件。", "Cancelled; no file was overwritten."),
    "office.export.overwrite": ("{reason}\n\n覆盖吗？", "{reason}\n\nOverwrite?"),
    "office.format.xlsx": ("Excel 工作簿（打印用）", "Excel workbook (to print)"),
    "office.format.csv": ("CSV（一张表）", "CSV (one table)"),
}
for _key, (_zh, _en) in OFFICE_TEXTS.items():
    ZH[_key] = _zh
    EN[_key] = _en
