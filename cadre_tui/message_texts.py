"""The catalogue's texts (see messages.py): the messages, the `--help` texts, argparse's own words."""

from __future__ import annotations

# key -> (Chinese, English). Group by area; keys are `area.what`.
MESSAGES: dict[str, tuple[str, str]] = {
    # -- the command line itself (cli/__init__.py) --
    "cli.no_database": (
        "数据库 {path} 里还没有社区（没有这个文件，也没有新建）：请先运行 `cadre-tui init --community 社区名称`、"
        "`cadre-tui demo` 或 `cadre-tui import bundle 同步包`",
        "the database {path} holds no community yet (there is no such file; none was created): start with "
        "`cadre-tui init --community NAME`, `cadre-tui demo`, or `cadre-tui import bundle PATH`",
    ),
    "cli.unencrypted": (
        "注意：数据库 {path} 没有加密，复制走它的人能读到居民的个人信息。运行 `cadre-tui encrypt` 加密它。",
        "note: the database {path} is not encrypted; anyone who copies it can read the residents' personal "
        "data. Run `cadre-tui encrypt` to encrypt it.",
    ),
    "cli.interrupted": ("已中断；没有留下写了一半的数据", "interrupted; nothing half-written was kept"),
    "cli.busy": (
        "数据库正忙（另一个 cadre-tui 正在写入）；请稍后再试",
        "the database is busy (another cadre-tui is writing to it); try again in a moment",
    ),
    "cli.damaged": (
        "{path}：数据库文件已损坏（{error}）；用 `cadre-tui restore 备份文件` 恢复备份",
        "{path}: the database file is damaged ({error}); restore a backup with `cadre-tui restore FILE`",
    ),
    "cli.internal": (
        "内部错误：{error}（设置 CADRE_TUI_DEBUG=1 可看详情）",
        "internal error: {error} (set CADRE_TUI_DEBUG=1 for details)",
    ),
    # -- passphrases --
    "passphrase.database": ("数据库口令", "database passphrase"),
    "passphrase.new": ("新口令", "new passphrase"),
    "passphrase.sync": ("同步包口令", "sync passphrase"),
    "passphrase.prompt": ("{what}：", "{what}: "),
    "passphrase.again": ("再输入一次{what}：", "the {what} again: "),
    "passphrase.differ": (
        "两次输入的{what}不一致，未作任何改动",
        "the two {what}s differ; nothing was changed",
    ),
    "passphrase.needed": (
        "{path}：需要数据库口令：请在终端输入，或设置环境变量 CADRE_TUI_PASSPHRASE",
        "{path}: a passphrase is needed: run this at a terminal to type it, or set CADRE_TUI_PASSPHRASE",
    ),
    # -- imports: staff and roster files (io/importing.py, io/roster.py, io/staff.py) --
    "import.at": (
        "{file}:{line}: {column}: {problem}",
        "{file}:{line}: {column}: {problem}",
    ),
    "import.refused": (
        "{file}：{records} 条记录有 {count} 处错误；未写入任何数据",
        "{file}: {count} error{s} in {records} record{rs}; nothing was written",
    ),
    "import.kind_zones": (
        "片区",
        "zones",
    ),
    "import.kind_teams": (
        "小组",
        "teams",
    ),
    "import.kind_cadres": (
        "干部",
        "cadres",
    ),
    "import.kind_households": (
        "户",
        "households",
    ),
    "import.kind_residents": (
        "居民",
        "residents",
    ),
    "import.kind_memberships": (
        "重点人群",
        "priority-group memberships",
    ),
    "import.count": (
        "{kind} {listed}（新增 {added}，更新 {updated}，未变 {unchanged}）",
        "{kind} {listed} ({added} added, {updated} updated, {unchanged} unchanged)",
    ),
    "import.count_inactive": (
        "{kind} {listed}（新增 {added}，更新 {updated}，未变 {unchanged}，停用 {ended}）",
        "{kind} {listed} ({added} added, {updated} updated, {unchanged} unchanged, {ended} made inactive)",
    ),
    "import.count_ended": (
        "{kind} {listed}（新增 {added}，更新 {updated}，未变 {unchanged}，结束 {ended}）",
        "{kind} {listed} ({added} added, {updated} updated, {unchanged} unchanged, {ended} ended)",
    ),
    "import.warnings": (
        "警告 {count}",
        "{count} warning{s}",
    ),
    "import.missing_cadres": (
        "文件中没有的干部 {count} 人，已停用（保留）：{shown}{more}",
        "{count} cadre{s} not in the file, made inactive (kept): {shown}{more}",
    ),
    "import.missing_residents": (
        "文件中没有的居民 {count} 人（保留，未删除）：{shown}{more}",
        "{count} resident{s} not in the file (kept, not deleted): {shown}{more}",
    ),
    "import.would_skip": (
        "无效记录 {count} 行将被跳过",
        "{count} invalid records would be skipped",
    ),
    "import.skipped": (
        "已跳过无效记录 {count} 行，见 {file}",
        "skipped {count} invalid records, see {file}",
    ),
    "import.dry_run": (
        "试运行：没有写入任何数据",
        "dry run: nothing was written",
    ),
    "import.rejects_unwritable": (
        "{file}：无法写出被拒绝的行：{error}",
        "{file}: cannot write the rejected rows: {error}",
    ),
    # -- rows of the staff and roster files, and the rules they call (core/ids.py, core/dates.py) --
    "import.required": (
        "为空；这一列必填",
        "empty; it is required",
    ),
    "import.excel_mangled": (
        "号码被 Excel 改坏了（{value}）：把这一列设为文本格式，再保存一次文件",
        "number mangled by Excel ({value}): format the column as text and save the file again",
    ),
    "import.unknown_group": (
        "未知的重点人群 {group}（请用 孤 寡 贫 弱 病 老，或 solitary widowed poor frail ill elderly）",
        "unknown priority group {group} (use 孤 寡 贫 弱 病 老 or solitary widowed poor frail ill elderly)",
    ),
    "roster.id_birth_future": (
        "号码中的出生日期 {date} 还没到",
        "birth date {date} is in the future",
    ),
    "roster.same_id": (
        "与第 {line} 行的身份证号相同",
        "the same ID number as line {line}",
    ),
    "roster.name_twice": (
        "{name} 在户 {household} 中出现了两次（第 {line} 行）；请填写身份证号以区分",
        "{name} is listed twice in household {household} (line {line}); give id_number to tell them apart",
    ),
    "roster.bad_gender": (
        "{value} 不是 男、女、M 或 F",
        "{value} is not 男, 女, M or F",
    ),
    "roster.gender_M": (
        "男",
        "male",
    ),
    "roster.gender_F": (
        "女",
        "female",
    ),
    "roster.gender_contradicts": (
        "{value} 与身份证号不符（{gender}）",
        "{value} contradicts the ID number ({gender})",
    ),
    "roster.future": (
        "{date} 还没到",
        "{date} is in the future",
    ),
    "roster.birth_differs": (
        "{date} 与身份证号中的 {id_date} 不同",
        "{date} differs from the ID number's {id_date}",
    ),
    "roster.zone_differs": (
        "{value}，但第 {line} 行把户 {household} 放在 {zone}",
        "{value}, but line {line} puts household {household} in {zone}",
    ),
    "roster.address_differs": (
        "{value}，但户 {household} 的第 {line} 行写的是 {earlier}",
        "{value}, but line {line} of household {household} says {earlier}",
    ),
    "roster.id_replaced": (
        "户 {household} 的 {name} 原来是另一个身份证号；已替换",
        "{name} of household {household} had another ID number; it is replaced",
    ),
    "staff.code_twice": (
        "{code} 出现了两次（第 {line} 行）",
        "{code} is listed twice (line {line})",
    ),
    "staff.team_needs_zone": (
        "为空，但小组 {team} 需要它的片区",
        "empty, but team {team} needs its zone",
    ),
    "staff.zone_needs_team": (
        "为空，但片区 {zone} 需要它的小组",
        "empty, but zone {zone} needs its team",
    ),
    "staff.team_size": (
        "{team} 有 {count} 名干部；23766 工作法要求 {size} 名",
        "{team} has {count} cadre{s}; the 23766 routine wants {size}",
    ),
    "staff.puts_team": (
        "把小组 {a} 放在 {b}",
        "puts team {a} in {b}",
    ),
    "staff.gives_zone": (
        "把片区 {a} 交给小组 {b}",
        "gives zone {a} to team {b}",
    ),
    "staff.pair_differs": (
        "{value}，但第 {line} 行{says}",
        "{value}, but line {line} {says}",
    ),
    "staff.name_differs": (
        "{value}，但第 {line} 行把 {code} 叫作 {name}",
        "{value}, but line {line} calls {code} {name}",
    ),
    "staff.team_gone": (
        "{team} 不在文件中；它的片区现在属于另一个小组",
        "{team} is not in the file; its zone now belongs to another team",
    ),
    "ids.legacy": (
        "15 位的老身份证号；请索要 18 位的号码",
        "legacy 15-digit ID number; ask for the 18-digit one",
    ),
    "ids.length": (
        "应有 18 位，实有 {count} 位",
        "must have 18 characters, has {count}",
    ),
    "ids.digits": (
        "应为 17 位数字加一位数字或 X",
        "must be 17 digits and a digit or X",
    ),
    "ids.checksum": (
        "校验位不对",
        "checksum does not match",
    ),
    "ids.birth": (
        "号码中的出生日期 {date} 不是真实的日期",
        "birth date {date} in the number is not a real date",
    ),
    "ids.phone": (
        "不是电话号码：{value}",
        "not a phone number: {value}",
    ),
    "dates.not_real": (
        "不是真实的日期：{value}",
        "not a real date: {value}",
    ),
    "dates.not_date": (
        "不是日期（请用 YYYY-MM-DD）：{value}",
        "not a date (use YYYY-MM-DD): {value}",
    ),
    "dates.not_real_time": (
        "不是真实的日期时间：{value}",
        "not a real date and time: {value}",
    ),
    "dates.not_time": (
        "不是日期时间（请用 YYYY-MM-DD HH:MM）：{value}",
        "not a date and time (use YYYY-MM-DD HH:MM): {value}",
    ),
    "dates.not_time_offset": (
        "不是日期时间（请用 YYYY-MM-DD HH:MM，或带时差的 ISO 8601）：{value}",
        "not a date and time (use YYYY-MM-DD HH:MM, or ISO 8601 with an offset): {value}",
    ),
    # -- reading files: CSV files and workbooks (io/csvfile.py, io/workbook.py) --
    "file.at": (
        "{file}:{line}: {problem}",
        "{file}:{line}: {problem}",
    ),
    "file.not_a_file": (
        "{file}：不是文件",
        "{file}: not a file",
    ),
    "file.unreadable": (
        "{file}：无法读取：{error}",
        "{file}: cannot read: {error}",
    ),
    "file.exists_force": (
        "{path}：文件已存在；加 --force 覆盖它",
        "{path}: already exists; add --force to overwrite it",
    ),
    "csv.empty": (
        "{file}:1: 文件是空的",
        "{file}:1: the file is empty",
    ),
    "csv.bad_utf8": (
        "{file}:{line}: BOM 之后不是有效的 UTF-8",
        "{file}:{line}: not valid UTF-8 after its BOM",
    ),
    "csv.is_workbook": (
        "{file}:1: 这是工作簿（.xlsx/.xls），不是 CSV 文件：请用它本来的扩展名",
        "{file}:1: a workbook (.xlsx/.xls), not a CSV file: give it its own name ending",
    ),
    "csv.binary": (
        "{file}:1: 不是 CSV 文件（二进制数据）；请在 Excel 中另存为 CSV",
        "{file}:1: not a CSV file (binary data); save it from Excel as CSV",
    ),
    "csv.encoding": (
        "{file}:{line}: 既不是 UTF-8 也不是 GB18030 编码；请在 Excel 中另存为 CSV",
        "{file}:{line}: neither UTF-8 nor GB18030; save it from Excel as CSV",
    ),
    "csv.too_large": (
        "{file}：文件太大（超过 {mb} MB）；36,000 名居民的名册约 5 MB",
        "{file}: too large for this file (over {mb} MB); a roster of 36,000 residents is about 5 MB",
    ),
    "csv.unknown_columns": (
        "{file}:{line}: 忽略了 {count} 个不认识的列（{some} …）",
        "{file}:{line}: {count} unknown columns ignored ({some} …)",
    ),
    "csv.unknown_column": (
        "{file}:{line}: {column}: 不认识的列，已忽略",
        "{file}:{line}: {column}: unknown column, ignored",
    ),
    "csv.column_twice": (
        "{file}:{line}: {column}: 这一列出现了两次",
        "{file}:{line}: {column}: column given twice",
    ),
    "csv.missing_column": (
        "{file}:{line}: 缺少必填的列 {columns}",
        "{file}:{line}: missing required column {columns}",
    ),
    "csv.too_many_cells": (
        "{file}:{line}: 有 {count} 格，但表头只有 {header} 列",
        "{file}:{line}: {count} cells, but the header has {header}",
    ),
    "csv.cell_too_large": (
        "{file}:{line}: {column}: 单元格太大（{count} 个字符）",
        "{file}:{line}: {column}: cell too large ({count} characters)",
    ),
    "csv.unclosed_quote": (
        '这里开始的带引号的单元格没有结束（文件里多了一个 "？）',
        'a quoted cell starts here and is never closed (a stray " in the file?)',
    ),
    "csv.huge_cell": (
        "单元格太大",
        "a cell too large",
    ),
    "csv.broken": (
        "CSV 格式有误（{error}）",
        "broken CSV ({error})",
    ),
    "csv.no_header": (
        "{file}:1: 文件没有表头行",
        "{file}:1: the file has no header row",
    ),
    "workbook.sheet_for_csv": (
        "{file}：--sheet 只用于工作簿（.xlsx、.xls、.ods）",
        "{file}: --sheet is for a workbook (.xlsx, .xls, .ods)",
    ),
    "workbook.empty": (
        "{file}：文件是空的",
        "{file}: the file is empty",
    ),
    "workbook.too_large": (
        "{file}：作为名册工作簿太大了（超过 {mb} MB）",
        "{file}: too large for a roster workbook (over {mb} MB)",
    ),
    "workbook.unreadable": (
        "{file}：无法读取的工作簿（{error}）；请在 Excel 或 WPS 中重新另存为 .xlsx",
        "{file}: not a readable workbook ({error}); save it again from Excel or WPS as .xlsx",
    ),
    "workbook.no_sheets": (
        "{file}：工作簿里没有工作表",
        "{file}: the workbook has no sheets",
    ),
    "workbook.no_sheet": (
        "{file}：没有名为 {sheet} 的工作表（现有：{sheets}）",
        "{file}: no sheet named {sheet} (the sheets: {sheets})",
    ),
    "workbook.bad_sheet": (
        "{file}：无法读取这个工作表（{error}）",
        "{file}: cannot read the sheet ({error})",
    ),
    "workbook.too_long": (
        "{file}：{count} 行；没有这么长的名册（是不是选错了工作表？）",
        "{file}: {count} rows; no roster is that long (is it the right sheet?)",
    ),
    "workbook.id_as_number": (
        "存成了数字（{shown}），后几位已经丢失：请在 Excel 或 WPS 中把这一列设为文本（设置单元格格式 → 文本），再重新输入身份证号，或导入原始文件",
        "stored as a number ({shown}), so its last digits are lost: in Excel or WPS format the column as text (设置单元格格式 → 文本), then type the ID numbers again or import the original file",
    ),
    "workbook.no_header": (
        "{file}:1: 工作表是空的（没有表头行）",
        "{file}:1: the sheet is empty (no header row)",
    ),
    "workbook.target_folder": (
        "{path}：这是文件夹；请给出以 .xlsx 结尾的文件名",
        "{path}: is a folder; give a file name ending in .xlsx",
    ),
    # -- init, backup, restore, encrypt, passphrase (cli/setup.py) --
    "file.is_folder": (
        "{path}：这是文件夹；请给出文件名",
        "{path}: is a folder; give a file name",
    ),
    "setup.empty_name": (
        "--community：社区名称为空",
        "--community: the community's name is empty",
    ),
    "setup.bad_timezone": (
        "--timezone：未知的时区 {timezone}（如 Asia/Shanghai）",
        "--timezone: unknown time zone {timezone} (e.g. Asia/Shanghai)",
    ),
    "setup.other_community": (
        "{path}：已存有社区 {name}（{code}）；另一个社区请用另一个数据库",
        "{path}: holds the community {name} ({code}); use another database for another community",
    ),
    "restore.no_file": (
        "{path}：没有这个备份文件",
        "{path}: no such backup file",
    ),
    "restore.encrypted_into_plain": (
        "{path}：备份已加密，而数据库没有加密：请先运行 `cadre-tui encrypt`，再恢复",
        "{path}: an encrypted backup, and the database is not encrypted: run `cadre-tui encrypt` first, then restore",
    ),
    "restore.not_backup_because": (
        "{path}：不是 cadre-tui 的备份（{error}）",
        "{path}: not a cadre-tui backup ({error})",
    ),
    "restore.not_backup": (
        "{path}：不是 cadre-tui 的备份",
        "{path}: not a cadre-tui backup",
    ),
    "restore.damaged": (
        "{path}：备份已损坏（{error}）；请选另一份",
        "{path}: the backup is damaged ({error}); choose another one",
    ),
    "restore.newer": (
        "{path}：由更新版本的 cadre-tui 写成（数据库版本 {version}）；请先升级",
        "{path}: written by a newer cadre-tui (schema {version}); upgrade first",
    ),
    "restore.other_community": (
        "{path}：这是另一个社区的备份；本数据库存的是 {name}",
        "{path}: a backup of another community; this database holds {name}",
    ),
    "restore.done": (
        "已恢复；恢复前的数据库已备份到 {path}",
        "restored; the previous database was saved to {path}",
    ),
    "encrypt.no_database": (
        "{path} 没有数据库：`cadre-tui init` 会建立加密的数据库",
        "no database at {path}: `cadre-tui init` creates an encrypted one",
    ),
    "encrypt.already": (
        "{path} 已经加密，无需再加密",
        "{path}: already encrypted; nothing to do",
    ),
    "encrypt.needs_file": (
        "加密需要一个数据库文件",
        "encrypt needs a database file",
    ),
    "encrypt.done": (
        "已加密 {path}（另加密了 {count} 份备份）。请记住口令：忘了口令，数据无法找回。",
        "encrypted {path} (and {count} backups). Keep the passphrase safe: without it the data cannot be recovered.",
    ),
    "passphrase.not_encrypted": (
        "{path}：数据库没有加密；运行 `cadre-tui encrypt` 加密它",
        "{path}: the database is not encrypted; `cadre-tui encrypt` encrypts it",
    ),
    "passphrase.new_needed": (
        "需要新口令：请在终端运行以便输入两次，或设置环境变量 CADRE_TUI_NEW_PASSPHRASE",
        "a new passphrase is needed: run this at a terminal to type it twice, or set CADRE_TUI_NEW_PASSPHRASE",
    ),
    "passphrase.changed": (
        "口令已更改。旧备份仍用旧口令打开。",
        "passphrase changed. Older backups still open with the old passphrase.",
    ),
    # -- visits and matters typed at the command line (cli/records.py, cli/imports.py) --
    "option.problem": (
        "{option}：{problem}",
        "{option}: {problem}",
    ),
    "file.missing": (
        "{file}：没有这个文件",
        "{file}: no such file",
    ),
    "import.is_folder": (
        "{file}：这是文件夹，不是 CSV 文件或工作簿",
        "{file}: is a folder, not a CSV file or workbook",
    ),
    "records.unknown_cadre": (
        "{option}：没有干部 {code}",
        "{option}: unknown cadre {code}",
    ),
    "records.no_cadre": (
        "{option}：请至少写一名干部（如 C01,C02）",
        "{option}: name at least one cadre (e.g. C01,C02)",
    ),
    "records.unknown_household": (
        "--household：没有户编号为 {number} 的住户",
        "--household: unknown household {number}",
    ),
    "records.unknown_outcome": (
        "--outcome：未知的走访结果 {outcome}（可选 {codes}）",
        "--outcome: unknown outcome {outcome} (one of {codes})",
    ),
    "records.unknown_team": (
        "--team：没有小组 {team}",
        "--team: unknown team {team}",
    ),
    "records.unknown_need": (
        "--needs：未知的诉求 {need}（可选 {codes}）",
        "--needs: unknown need {need} (any of {codes})",
    ),
    "records.unknown_kind": (
        "--kind：未知的事项类型 {kind}（可选 {codes}）",
        "--kind: unknown matter kind {kind} (one of {codes})",
    ),
    "records.unknown_zone": (
        "--zone：没有片区 {zone}",
        "--zone: unknown zone {zone}",
    ),
    "records.empty_title": (
        "--title：事项名称为空",
        "--title: the matter's title is empty",
    ),
    "records.unknown_matter": (
        "没有事项 {matter}",
        "unknown matter {matter}",
    ),
    # -- bundles, config, plan (cli/sync.py, cli/rules.py) --
    "sync.passphrase_needed": (
        "需要同步包口令：请在终端运行以便输入两次，或设置环境变量 CADRE_TUI_NEW_SYNC_PASSPHRASE",
        "a sync passphrase is needed: run this at a terminal to type it twice, or set CADRE_TUI_NEW_SYNC_PASSPHRASE",
    ),
    "sync.passphrase_saved": (
        "同步包口令已保存在加密的数据库中。搭档的电脑请设置同一个口令。",
        "sync passphrase saved inside the encrypted database. Set the same one on the partner's laptop.",
    ),
    "sync.imported_unencrypted": (
        "注意：{file} 是未加密的同步包，任何拿到它的人都能读到居民的个人信息；导入后请删除它。",
        "note: {file} is an unencrypted bundle: anyone who has it can read the residents' personal data. Delete it once imported.",
    ),
    "sync.exported_unencrypted": (
        "已导出 {count} 行，未加密。同步包含完整的个人信息：只拷给搭档的电脑，不要用邮件或聊天软件发送，用完删除。",
        "exported {count} rows, UNENCRYPTED. A bundle holds full personal data: carry it to the partner's laptop only, never by e-mail or chat, and delete it afterwards.",
    ),
    "sync.zip_unencrypted": (
        "{path}：.zip 是未加密的同步包：请加 --unencrypted，或用 {suffix} 结尾的文件名",
        "{path}: a .zip is an unencrypted bundle: add --unencrypted, or give a name ending in {suffix}",
    ),
    "sync.no_passphrase": (
        "还没有同步包口令：运行 `cadre-tui config sync-passphrase` 设置全组共用的口令，或设置环境变量 CADRE_TUI_SYNC_PASSPHRASE（或加 --unencrypted 导出未加密的包）",
        "no sync passphrase: set the team's with `cadre-tui config sync-passphrase`, or CADRE_TUI_SYNC_PASSPHRASE (or export with --unencrypted)",
    ),
    "sync.exported": (
        "已导出 {count} 行，已用同步包口令加密。没有口令的人打不开它。",
        "exported {count} rows, encrypted with the sync passphrase; without it the file cannot be read.",
    ),
    "config.key": (
        "设置",
        "key",
    ),
    "config.value": (
        "值",
        "value",
    ),
    "config.meaning": (
        "说明",
        "meaning",
    ),
    "config.default": (
        "(默认)",
        "(default)",
    ),
    "config.no_cadre_yet": (
        "注意：还没有编号为 {code} 的干部（可以以后再导入）",
        "note: no cadre {code} yet (it may be imported later)",
    ),
    "plan.already_saved": (
        "{team} 的 {week} 计划已经保存过，未改动；--regenerate 重新生成（保留手工调整），--reset 从头生成",
        "{team}: the plan for {week} was already saved and is left as it is; --regenerate recomputes it keeping manual changes, --reset starts over",
    ),
    # -- exports and the office (cli/exports.py, cli/office.py) --
    "export.walklist_done": (
        "{sheets} 页（每个小组每天一页），共 {households} 户。清单有居民姓名：用完收回，不要外传。",
        "{sheets} sheets (one per team and day), {households} households. The list has residents' names: keep it within the team and bring it back.",
    ),
    "export.register_done": (
        "走访 {visits} 次，帮扶金额合计 {assistance} 元，必到事项 {matters} 件。台账有居民姓名，留在社区存档，不要报送。",
        "{visits} visits, assistance {assistance} yuan in all, {matters} matters. The register has names: it stays in the community's binder, it is not for the office.",
    ),
    "office.needs_db": (
        "街道命令需要 --db 文件 或 --db postgresql://…：街道有自己的数据库，不用社区的数据库",
        "office commands need --db FILE or --db postgresql://…: the office keeps its own database, "
        "never a community's",
    ),
    "office.no_logs": (
        "没有找到日志文件。",
        "no log files found.",
    ),
    # -- visits and matters as stored (store/records.py) and the value rules (core/values.py) --
    "values.not_yuan": (
        "不是有效的元数（如 200 或 150.50）：{value}",
        "not an amount in yuan (e.g. 200 or 150.50): {value}",
    ),
    "values.yuan_max": (
        "超过上限 {max} 元：{value}",
        "more than {max} yuan: {value}",
    ),
    "values.unknown_code": (
        "未知的代码 {value}",
        "unknown code {value}",
    ),
    "values.flag": (
        "应为 0 或 1，不是 {value}",
        "must be 0 or 1, not {value}",
    ),
    "values.empty": (
        "为空",
        "empty",
    ),
    "values.not_date": (
        "不是日期（YYYY-MM-DD）：{value}",
        "not a date (YYYY-MM-DD): {value}",
    ),
    "values.not_stamp": (
        "不是带时区的时间：{value}",
        "not a time with a zone: {value}",
    ),
    "values.not_real_time": (
        "不是真实的时间：{value}",
        "not a real time: {value}",
    ),
    "values.follow_up_early": (
        "跟进日期 {follow_up} 早于走访日期 {visit}",
        "follow-up date {follow_up} is before the visit date {visit}",
    ),
    "values.scope_community": (
        "全社区的事项不应指定片区或住户",
        "a community-wide matter names neither a zone nor a household",
    ),
    "values.scope_zone": (
        "片区的事项只指定它的片区，不指定住户",
        "a zone's matter names its zone and no household",
    ),
    "values.scope_household": (
        "住户的事项只指定它的住户，不指定片区（片区就是住户所在的片区）",
        "a household's matter names its household and no zone (its zone is the household's)",
    ),
    "records.no_household_id": (
        "没有这个住户（id {id}）",
        "unknown household (id {id})",
    ),
    "records.bad_outcome": (
        "未知的走访结果 {outcome}（可选 {codes}）",
        "unknown outcome {outcome} (one of {codes})",
    ),
    "records.visit_not_date": (
        "走访日期：不是日期：{value}",
        "visit date: not a date: {value}",
    ),
    "records.visit_future": (
        "走访日期 {date} 还没到（今天是 {today}）",
        "visit date {date} is in the future (today is {today})",
    ),
    "records.zone_no_team": (
        "住户 {household} 所在片区 {zone} 没有小组，请选择小组",
        "household {household}: its zone {zone} has no team; name the team",
    ),
    "records.no_team_id": (
        "没有这个小组（id {id}）",
        "unknown team (id {id})",
    ),
    "records.team_no_members": (
        "小组 {team} 没有在岗干部，请选择到场干部",
        "team {team} has no active members; name the cadres present",
    ),
    "records.visit_no_cadre": (
        "请至少选择一名到场干部",
        "a visit needs at least one cadre present",
    ),
    "records.no_cadre_id": (
        "没有这名干部（id {id}）",
        "unknown cadre (id {id})",
    ),
    "records.not_resident": (
        "居民（id {id}）不是住户 {household} 的居民",
        "resident (id {id}) is not a resident of household {household}",
    ),
    "records.bad_need": (
        "未知的诉求 {need}（可选 {codes}）",
        "unknown need {need} (any of {codes})",
    ),
    "records.follow_up_not_date": (
        "跟进日期：不是日期：{value}",
        "follow-up date: not a date: {value}",
    ),
    "records.yuan_max": (
        "帮扶金额超过上限 {max} 元：{value}",
        "assistance: more than {max} yuan: {value}",
    ),
    "records.not_yuan": (
        "帮扶金额不是有效的元数（如 200 或 150.50）：{value}",
        "assistance: not an amount in yuan (e.g. 200 or 150.50): {value}",
    ),
    "records.no_visit": (
        "没有这次走访 {id}",
        "unknown visit {id}",
    ),
    "records.no_matter": (
        "没有事项 {id}",
        "unknown matter {id}",
    ),
    "records.not_aware": (
        "{what}：需要带时区的日期时间，而不是 {value}",
        "{what}: a date and time with its time zone is needed, not {value}",
    ),
    "records.occurred_at": (
        "发生时间",
        "occurred at",
    ),
    "records.attended_at": (
        "到场时间",
        "attended at",
    ),
    "records.bad_kind": (
        "未知的事项类型 {kind}（可选 {codes}）",
        "unknown matter kind {kind} (one of {codes})",
    ),
    "records.no_title": (
        "请填写事项名称",
        "a matter needs a title",
    ),
    "records.bad_scope": (
        "未知的范围 {scope}（可选 {codes}）",
        "unknown scope {scope} (one of {codes})",
    ),
    "records.no_zone_id": (
        "没有这个片区（id {id}）",
        "unknown zone (id {id})",
    ),
    "records.cadres_without_time": (
        "给了到场干部，却没有到场时间",
        "attending cadres are given without the time they attended",
    ),
    "records.attended_future": (
        "到场时间 {when} 还没到（现在是 {now}）",
        "attended at {when} is in the future (now is {now})",
    ),
    "records.attended_early": (
        "到场时间 {when} 早于事项发生时间 {occurred}",
        "attended at {when} is before the matter occurred ({occurred})",
    ),
    "records.attend_no_cadre": (
        "请至少选择一名到场干部",
        "an attendance needs at least one cadre",
    ),
    "records.bad_status": (
        "未知的居民状态 {status}（可选 {codes}）",
        "unknown resident status {status} (one of {codes})",
    ),
    "records.no_resident_id": (
        "没有这位居民（id {id}）",
        "unknown resident (id {id})",
    ),
    # -- the databases (store/db.py, store/keys.py, store/office.py), plans, settings, weeks --
    "store.encrypted": (
        "{path}：数据库已加密（或不是 cadre-tui 数据库）：请在终端输入口令，或设置环境变量 CADRE_TUI_PASSPHRASE",
        "{path}: the database is encrypted (or not a cadre-tui database): type its passphrase at a terminal, or set CADRE_TUI_PASSPHRASE",
    ),
    "store.is_folder": (
        "{path}：这是文件夹，不是数据库文件",
        "{path}: is a folder, not a database file",
    ),
    "store.not_database": (
        "{path}：不是 cadre-tui 数据库（{error}）",
        "{path}: not a cadre-tui database ({error})",
    ),
    "store.is_office": (
        "{path}：这是街道的数据库（用于 `cadre-tui office`），不是社区的；没有改动它",
        "{path}: is a sub-district office database (for `cadre-tui office`), not a community's; it was not touched",
    ),
    "store.newer": (
        "{path}：由更新版本的 cadre-tui 写成（数据库版本 {version}，本程序只认到 {known}）；请升级 cadre-tui。没有改动数据库。",
        "{path}: written by a newer cadre-tui (schema {version}, this program knows {known}); upgrade cadre-tui. The database was not touched.",
    ),
    "store.no_community": (
        "数据库{where}里还没有社区：请先运行 `cadre-tui init --community 社区名称`、`cadre-tui demo` 或 `cadre-tui import bundle 同步包`",
        "the database{where} holds no community yet: start with `cadre-tui init --community NAME`, `cadre-tui demo`, or `cadre-tui import bundle PATH`",
    ),
    "passphrase.short": (
        "口令太短（{count} 个字符，至少 {least} 个）",
        "the passphrase is too short ({count} characters; at least {least})",
    ),
    "passphrase.wrong": (
        "{path}：口令不对，未作任何改动",
        "{path}: wrong passphrase; nothing was changed",
    ),
    "encrypt.check_failed": (
        "{path}：加密后的副本没有通过检查；数据库保持原样",
        "{path}: the encrypted copy did not check out; the database was left as it was",
    ),
    "sync.plain_database": (
        "{path}：数据库没有加密，不能保存同步包口令：请先运行 `cadre-tui encrypt`，或用环境变量 CADRE_TUI_SYNC_PASSPHRASE 提供",
        "{path}: the database is not encrypted, so it cannot keep the sync passphrase safe: run `cadre-tui encrypt` first, or give it with CADRE_TUI_SYNC_PASSPHRASE",
    ),
    "office.nul": (
        "含有 NUL 字符（二进制数据）",
        "holds a NUL character (binary data)",
    ),
    "cli.url_not_community": (
        "--db：PostgreSQL 网址只用于街道的命令（cadre-tui office …）；社区的数据库是一个文件",
        "--db: a PostgreSQL URL is for the office's commands (cadre-tui office …); a community's database "
        "is a file",
    ),
    "office.url_typo": (
        "--db {where}：不是 PostgreSQL 网址；请写成 postgresql://角色@主机/数据库",
        "--db {where}: not a PostgreSQL URL; write it as postgresql://ROLE@HOST/DATABASE",
    ),
    "office.bad_url": (
        "--db {where}：不是 PostgreSQL 网址（{error}）",
        "--db {where}: not a PostgreSQL URL ({error})",
    ),
    "office.cannot_connect": (
        "{where}：连不上数据库：{error}",
        "{where}: cannot connect: {error}",
    ),
    "office.other_tables": (
        "{path}：不是 cadre-tui 的街道数据库（里面有别的表：{tables}）；请换一个 --db",
        "{path}: is not an office database of cadre-tui (it holds other tables: {tables}); give another --db",
    ),
    "office.deadlock": (
        "{where}：同时有另一个导入在导入同样的记录；这次什么都没有写入，请再运行一次",
        "{where}: another import of the same logs was running at the same time; nothing was written, run "
        "it again",
    ),
    "office.server_error": (
        "{where}：{error}",
        "{where}: {error}",
    ),
    "office.not_database_because": (
        "{path}：不是街道数据库（{error}）",
        "{path}: not an office database ({error})",
    ),
    "office.is_community": (
        "{path}：这是社区的数据库；街道有自己的数据库（请换一个 --db）",
        "{path}: is a community's database; the office keeps its own (give another --db)",
    ),
    "office.not_database": (
        "{path}：不是 cadre-tui 的街道数据库；请换一个 --db",
        "{path}: is not an office database of cadre-tui; give another --db",
    ),
    "office.newer": (
        "{path}：由更新版本的 cadre-tui 写成；请先升级。没有改动数据库。",
        "{path}: written by a newer cadre-tui; upgrade first. The database was not touched.",
    ),
    "plans.no_entry": (
        "没有这条计划 {id}",
        "unknown plan entry {id}",
    ),
    "plans.day_outside": (
        "{day} 不在 {week} 之内",
        "{day} is not inside {week}",
    ),
    "plans.no_household": (
        "没有这个住户 {id}",
        "unknown household {id}",
    ),
    "plans.already_planned": (
        "住户 {household} 已经安排在 {day}",
        "household {household} is already planned on {day}",
    ),
    "facts.unknown_team": (
        "没有小组 {team}",
        "unknown team {team}",
    ),
    "settings.unknown": (
        "未知的设置 {key}；已有：{known}",
        "unknown setting {key}; known: {known}",
    ),
    "settings.not_duration": (
        "不是时长（如 2h、90m、2）：{value}",
        "not a duration (e.g. 2h, 90m, 2): {value}",
    ),
    "settings.duration_minutes": (
        "时长须为整数分钟，至少 1 分钟：{value}",
        "a duration must be a whole number of minutes, at least 1: {value}",
    ),
    "settings.not_whole": (
        "不是整数：{value}",
        "not a whole number: {value}",
    ),
    "settings.at_least": (
        "至少应为 {least}：{value}",
        "must be at least {least}: {value}",
    ),
    "settings.not_number": (
        "不是数（如 0.7 或 70%）：{value}",
        "not a number (e.g. 0.7 or 70%): {value}",
    ),
    "settings.not_ratio": (
        "应在 0 和 1 之间（或 0% 和 100% 之间）：{value}",
        "must lie between 0 and 1 (or 0% and 100%): {value}",
    ),
    "settings.empty_label": (
        "名称不能为空",
        "a label cannot be empty",
    ),
    "settings.not_code": (
        "不是干部编号（字母、数字、- 或 _）：{value}",
        "not a cadre code (letters, digits, - or _): {value}",
    ),
    "weeks.not_code": (
        "不是周（2026-W48）：{value}",
        "not a week (2026-W48): {value}",
    ),
    "weeks.no_such": (
        "没有这个 ISO 周：{value}",
        "no such ISO week: {value}",
    ),
    "weeks.not_week": (
        "不是周（请用 2026-W48、this、last 或 next）：{value}",
        "not a week (use 2026-W48, this, last or next): {value}",
    ),
    "scorecard.as_of_outside": (
        "--as-of {as_of} 不在 {week} 之内（{monday} 至 {sunday}）",
        "--as-of {as_of} is not inside {week} ({monday} to {sunday})",
    ),
    # -- sync bundles (io/bundle.py) --
    "bundle.wrong_passphrase": (
        "{file}：同步包口令不对，未导入任何数据",
        "{file}: wrong sync passphrase (同步包口令不对); nothing was imported",
    ),
    "bundle.need_passphrase": (
        "{file}：同步包已加密，但还没有设置同步包口令：运行 `cadre-tui config sync-passphrase`，或设置环境变量 CADRE_TUI_SYNC_PASSPHRASE",
        "{file}: the bundle is encrypted and no sync passphrase is set: run `cadre-tui config sync-passphrase`, or set CADRE_TUI_SYNC_PASSPHRASE",
    ),
    "bundle.target_file": (
        "{path}：这是文件；请给出文件夹，或以 .zip 结尾的名称",
        "{path}: is a file; give a folder, or a name ending in .zip",
    ),
    "bundle.folder_not_empty": (
        "{path}：文件夹不是空的；加 --force 写入",
        "{path}: the folder is not empty; add --force to write into it",
    ),
    "bundle.too_many": (
        "{file}：同步包里的文件太多（{count} 个）",
        "{file}: too many members for a bundle ({count})",
    ),
    "bundle.absolute": (
        "{file}：{member}：同步包里有绝对路径；拒绝导入",
        "{file}: {member}: an absolute path in a bundle; refused",
    ),
    "bundle.escapes": (
        "{file}：{member}：路径指向同步包之外；拒绝导入",
        "{file}: {member}: a path leading out of the bundle; refused",
    ),
    "bundle.symlink": (
        "{file}：{member}：同步包里有符号链接；拒绝导入",
        "{file}: {member}: a symbolic link in a bundle; refused",
    ),
    "bundle.zip_encrypted": (
        "{file}：{member}：已加密；同步包的 zip 从不加密",
        "{file}: {member}: encrypted; a bundle zip is never encrypted",
    ),
    "bundle.member_too_large": (
        "{file}：{member}：太大（解压后 {size} 字节，最多 {most}）",
        "{file}: {member}: too large ({size} bytes unpacked, at most {most})",
    ),
    "bundle.stray_member": (
        "{file}：{member}：不是同步包的文件",
        "{file}: {member}: not a file of a bundle",
    ),
    "bundle.member_twice": (
        "{file}：{member}：出现了两次",
        "{file}: {member}: given twice",
    ),
    "bundle.too_large_unpacked": (
        "{file}：解压后太大（超过 {most} 字节）",
        "{file}: too large unpacked (over {most} bytes)",
    ),
    "bundle.unpacks_larger": (
        "{file}：解压后比它声明的大",
        "{file}: unpacks larger than it claims",
    ),
    "bundle.no_manifest": (
        "{file}：缺失；这不是 cadre-tui 的同步包",
        "{file}: missing; this is not a cadre-tui bundle",
    ),
    "bundle.manifest_too_large": (
        "{file}：作为清单太大了",
        "{file}: too large for a manifest",
    ),
    "bundle.bad_json": (
        "{file}：不是有效的 JSON（{error}）",
        "{file}: not valid JSON ({error})",
    ),
    "bundle.nested": (
        "{file}：不是清单（嵌套太深）",
        "{file}: not a manifest (nested too deeply)",
    ),
    "bundle.bad_format": (
        "{file}：format：不是 cadre-tui 的同步包",
        "{file}: format: not a cadre-tui bundle",
    ),
    "bundle.no_version": (
        "{file}：version：缺失",
        "{file}: version: missing",
    ),
    "bundle.bad_version": (
        "{file}：version：不是整数",
        "{file}: version: not a whole number",
    ),
    "bundle.newer": (
        "{file}：版本 {version}：由更新版本的 cadre-tui 写成；请先升级本程序",
        "{file}: version {version}: made by a newer cadre-tui; upgrade this one first",
    ),
    "bundle.unknown_version": (
        "{file}：版本 {version}：未知",
        "{file}: version {version}: unknown",
    ),
    "bundle.field_missing": (
        "{file}：{field}：缺失",
        "{file}: {field}: missing",
    ),
    "bundle.field_not_text": (
        "{file}：{field}：不是文本",
        "{file}: {field}: not text",
    ),
    "bundle.bad_timezone": (
        "{file}：timezone：未知的时区 {timezone}",
        "{file}: timezone: unknown time zone {timezone}",
    ),
    "bundle.no_files": (
        "{file}：files：缺失",
        "{file}: files: missing",
    ),
    "bundle.bad_files": (
        "{file}：files：不是文件表",
        "{file}: files: not a table of files",
    ),
    "bundle.unknown_file": (
        "{file}：files：未知的文件 {name}",
        "{file}: files: unknown file {name}",
    ),
    "bundle.not_listed": (
        "{file}：files：没有列出 {name}",
        "{file}: files: {name} is not listed",
    ),
    "bundle.bad_rows": (
        "{file}：files：{name}：rows：不是行数",
        "{file}: files: {name}: rows: not a count",
    ),
    "bundle.bad_sha": (
        "{file}：files：{name}：sha256：不是 SHA-256",
        "{file}: files: {name}: sha256: not a SHA-256",
    ),
    "bundle.member_missing": (
        "{file}：同步包里缺少这个文件",
        "{file}: missing from the bundle",
    ),
    "bundle.altered": (
        "{file}：与清单不符（被改动、截断或损坏）；未导入任何数据",
        "{file}: does not match the manifest (altered, truncated or damaged); nothing was imported",
    ),
    "bundle.missing": (
        "{path}：没有这个同步包（.cadre 文件、文件夹或 .zip）",
        "{path}: no such bundle (a .cadre file, a folder or a .zip)",
    ),
    "bundle.not_inside": (
        "{file}：已解密，但里面不是同步包（{error}）",
        "{file}: decrypted, but not a bundle inside ({error})",
    ),
    "bundle.not_bundle": (
        "{file}：不是同步包（请给出 .cadre 文件、同步包文件夹或它的 .zip）",
        "{file}: not a bundle (give a .cadre file, a bundle folder, or a .zip of it)",
    ),
    "bundle.damaged_zip": (
        "{file}：zip 已损坏或不完整（{error}）",
        "{file}: a damaged or truncated zip ({error})",
    ),
    "bundle.unreadable_zip": (
        "{file}：无法读取 zip：{error}",
        "{file}: cannot read the zip: {error}",
    ),
    "bundle.too_large": (
        "{file}：作为同步包太大了",
        "{file}: too large for a bundle",
    ),
    "bundle.damaged_encrypted": (
        "{file}：加密的同步包已损坏或不完整（{error}）",
        "{file}: a damaged or truncated encrypted bundle ({error})",
    ),
    "bundle.zip_unsupported": (
        "{file}：本程序读不了这种 zip（{error}）",
        "{file}: a zip this program cannot read ({error})",
    ),
    "bundle.other_community": (
        "{file}：这是 {community}（{code}）的同步包；本数据库存的是 {mine}。未导入任何数据。",
        "{file}: a bundle of {community} ({code}); this database holds {mine}. Nothing was imported.",
    ),
    "bundle.row_count": (
        "{file}：{count} 行，而清单写的是 {listed} 行",
        "{file}: {count} rows, the manifest says {listed}",
    ),
    "bundle.missing_column": (
        "{file}:1: 缺少列 {columns}",
        "{file}:1: missing column {columns}",
    ),
    "bundle.not_utf8": (
        "{file}：不是 UTF-8 文本",
        "{file}: not UTF-8 text",
    ),
    "bundle.broken_csv": (
        "{file}：CSV 格式有误（{error}）",
        "{file}: broken CSV ({error})",
    ),
    "bundle.id_twice": (
        "{id} 出现了两次",
        "{id} given twice",
    ),
    "bundle.not_utc": (
        "不是 UTC 时间：{value}",
        "not a UTC time: {value}",
    ),
    "bundle.flag": (
        "应为 0 或 1",
        "must be 0 or 1",
    ),
    "bundle.dangling": (
        "指向 {value}，而它不存在",
        "refers to {value}, which does not exist",
    ),
    # -- the demo's history, office logs, walk lists, registers, demo (io/) --
    "history.more": (
        "……另有 {count} 处",
        "… and {count} more",
    ),
    "history.refused": (
        "{file}：{count} 处错误；未写入任何数据",
        "{file}: {count} error{s}; nothing was written",
    ),
    "history.encoding": (
        "{file}：既不是 UTF-8 也不是 GB18030 编码",
        "{file}: neither UTF-8 nor GB18030",
    ),
    "office.no_path": (
        "{path}：没有这个文件或文件夹",
        "{path}: no such file or folder",
    ),
    "office.not_log": (
        "{file}:1: 不是报送记录（visits-…、matters-… 或 scorecard-…，带各自的列）",
        "{file}:1: not an office log (visits-…, matters-… or scorecard-… with its columns)",
    ),
    "office.bad_week": (
        "不是 2026-W48 这样的周：{value}",
        "not a week like 2026-W48: {value}",
    ),
    "office.mixed_log": (
        "{file}:{line}: community/week：{here} 与第一行（{first}）不同；一份记录只含一个社区的一周",
        "{file}:{line}: community/week: {here} differs from the first row ({first}); one log is one community's week",
    ),
    "office.empty_unnamed": (
        "{file}:1: 空的记录，文件名也没有写明社区和周",
        "{file}:1: an empty log whose file name does not say its community and week",
    ),
    "office.not_bool": (
        "不是 是/否 或 true/false：{value}",
        "not 是/否 or true/false: {value}",
    ),
    "office.not_number": (
        "不是数：{value}",
        "not a number: {value}",
    ),
    "walklist.no_team": (
        "--team：没有小组 {team}",
        "--team: no team {team}",
    ),
    "walklist.day_outside": (
        "--day：{day} 不在 {week}（{monday} 至 {sunday}）之内",
        "--day: {day} is not in {week} ({monday} to {sunday})",
    ),
    "workbook.need_xlsx": (
        "{file}：请给出以 .xlsx 结尾的文件名",
        "{file}: give a file name ending in .xlsx",
    ),
    "walklist.nothing_planned": (
        "{which}{when} 没有安排任何住户；请先生成计划（cadre-tui plan --week W --save，或在计划页按 g）",
        "no household is planned for {which}{when}; generate the plan first (cadre-tui plan --week W --save, or g on the Plan screen)",
    ),
    "file.not_folder": (
        "{path}：这是文件；请给出文件夹",
        "{path}: is a file; give a folder",
    ),
    "file.exists": (
        "{path}：文件已存在",
        "{path}: already exists",
    ),
    "office_log.exists": (
        "{path}：文件已存在；加 --force 覆盖这一周的记录",
        "{path}: already exists; add --force to overwrite the week's log",
    ),
    "office_log.bad_sheet": (
        "{file}:{sheet}：不是报送记录的工作表（visits、matters 或 scorecard）",
        "{file}:{sheet}: not an office log sheet (visits, matters or scorecard)",
    ),
    "office_log.no_sheets": (
        "{file}：工作簿里没有报送记录的工作表",
        "{file}: no log sheets in the workbook",
    ),
    "demo.missing": (
        "{path}：缺少 {files}",
        "{path}: missing {files}",
    ),
    "demo.filled": (
        "{path}：已经存有数据；加 --force 用演示社区替换",
        "{path}: already holds data; add --force to replace it with the demo community",
    ),
    "demo.households": (
        "--households：应在 1 到 {most} 之间，而不是 {value}",
        "--households: between 1 and {most}, not {value}",
    ),
    "register.backwards": (
        "--to {last} 早于 --from {first}",
        "--to {last} is before --from {first}",
    ),
    "bundle.bad_name": (
        "{file}：不是同步包的文件名（{names}）",
        "{file}: not a bundle file name ({names})",
    ),
    # -- report and plan as text (cli/rules.py) --
    "report.title": (
        "{community}  {week}  截至 {as_of}  社区熟悉度 {familiarity}",
        "{community}  {week}  as of {as_of}  community familiarity {familiarity}",
    ),
    "report.header": (
        "小组|片区|成员|工作日|外出天数|熟悉度|重点人群逾期|必到事项（到场/超时）",
        "team|zone|members|working|field days|familiarity|priority overdue|matters",
    ),
    "report.matters": (
        "{attended}/{all} 超时{late}",
        "{attended}/{all} late {late}",
    ),
    "report.no_teams": (
        "还没有小组",
        "no teams yet",
    ),
    "plan.title": (
        "{team}（片区 {zone}）{week}：工作日 {working} 天，至少外出 {required} 天",
        "{team} (zone {zone}) {week}: {working} working days, at least {required} field days",
    ),
    "plan.no_field_day": (
        "本周没有可安排的外出日",
        "no field day left to plan this week",
    ),
    "plan.empty_day": (
        "（空）",
        "(none)",
    ),
    "plan.not_planned": (
        "未能排入：",
        "not planned:",
    ),
    "plan.matters": (
        "必到事项：",
        "must-attend matters:",
    ),
    # -- the app's forms (tui/screens/) --
    "records.no_household_no": (
        "没有户编号为 {number} 的住户",
        "no household numbered {number}",
    ),
    # -- what a bundle import did (store/merge.py), the demo (io/demo.py) --
    "merge.header": (
        "文件|新增|更新|未变|保留本机较新",
        "file|inserted|updated|unchanged|kept-local-newer",
    ),
    "merge.total": (
        "合计",
        "total",
    ),
    "merge.conflicts": (
        "冲突 {count} 条（较新者已生效，请核对）：",
        "{count} conflicts (the newer one applies; please check):",
    ),
    "merge.no_conflicts": (
        "没有冲突。",
        "No conflicts.",
    ),
    "merge.natural_key": (
        "{what} {id}: 编号 {detail} 在本机已被另一条记录使用，保留本机记录",
        "{what} {id}: {detail} is already used here by another row; the local row is kept",
    ),
    "merge.parent_kept_out": (
        "{what} {id}: 所属记录 {detail} 因编号冲突未导入，此条也未导入",
        "{what} {id}: refers to {detail}, kept out by a code conflict; not imported",
    ),
    "merge.both_changed": (
        "{what} {id}: 两台电脑都改过（本机 {local}，对方 {incoming}），采用{kept}的版本",
        "{what} {id}: changed on both laptops (local {local}, incoming {incoming}); the {kept} version applies",
    ),
    "merge.incoming": (
        "对方",
        "incoming",
    ),
    "merge.local": (
        "本机",
        "local",
    ),
    "demo.loaded": (
        "已载入演示社区 {community}：片区 {zones}，小组 {teams}，户 {households}，居民 {residents}，走访 {visits}，事项 {matters}",
        "loaded the demo community {community}: {zones} zones, {teams} teams, {households} households, {residents} residents, {visits} visits, {matters} matters",
    ),
    # -- office import and report as text (cli/office.py) --
    "office.imported": (
        "{source}: {community} {week} {kind} {rows} 行，{status}",
        "{source}: {community} {week} {kind} {rows} rows, {status}",
    ),
    "office.kind_visits": (
        "走访",
        "visits",
    ),
    "office.kind_matters": (
        "必到事项",
        "matters",
    ),
    "office.kind_scorecard": (
        "评分表",
        "scorecard",
    ),
    "office.status_added": (
        "新增",
        "added",
    ),
    "office.status_replaced": (
        "已替换",
        "replaced",
    ),
    "office.status_unchanged": (
        "未变",
        "unchanged",
    ),
    "office.header": (
        "社区|小组|片区|成员|走访天数|熟悉率|逾期|事项|超时|达标",
        "community|team|zone|members|field days|familiar|overdue|matters|late|ok",
    ),
    "office.no_scorecard": (
        "未报送评分表",
        "no scorecard sent",
    ),
    "office.title": (
        "{week} 各社区 23766 评分表（{count} 个社区报送）",
        "{week}: 23766 scorecards of {count} communities",
    ),
    "office.community": (
        "{community}: 熟悉率 {familiarity}（{familiar}/{households} 户），走访 {visits} 条，事项 {matters} 条",
        "{community}: familiarity {familiarity} ({familiar}/{households} households), {visits} visits, {matters} matters",
    ),
    "office.missing": (
        "本周未报送：{names}",
        "no log this week: {names}",
    ),
    "office.all_sent": (
        "以往报送过的社区本周都已报送。",
        "every community seen before sent a log.",
    ),
    # -- a bundle's cells (io/bundle_values.py) --
    "file.problem": (
        "{problem}",
        "{problem}",
    ),
    "file.column_problem": (
        "{column}: {problem}",
        "{column}: {problem}",
    ),
    # -- rows of the demo's history (io/history.py) --
    "history.not_uuid": (
        "不是 UUID：{value}",
        "not a UUID: {value}",
    ),
    "history.id_taken": (
        "{id} 出现了两次，或数据库里已有",
        "{id} is given twice or already in the database",
    ),
    "history.unknown_ref": (
        "未知的 {kind} {value}",
        "unknown {kind} {value}",
    ),
    "history.before_visit": (
        "早于走访日期",
        "before the visit date",
    ),
    "history.no_cadre": (
        "一次走访至少要有一名干部（编号，用 ; 分隔）",
        "a visit needs at least one cadre (ids, ;-separated)",
    ),
    "history.unknown_cadre": (
        "未知的干部",
        "unknown cadre",
    ),
    "history.not_ids": (
        "不是编号列表",
        "not a list of ids",
    ),
    "history.not_resident": (
        "不是这一户的居民",
        "not a resident of the household",
    ),
    "history.unknown_outcome": (
        "未知的走访结果 {value}",
        "unknown outcome {value}",
    ),
    "history.unknown_kind": (
        "未知的事项类型 {value}",
        "unknown matter kind {value}",
    ),
    "history.unknown_scope": (
        "未知的范围 {value}",
        "unknown scope {value}",
    ),
    "history.scope": (
        "片区的事项指定片区，住户的事项指定住户，不指定其他",
        "a zone's matter names its zone, a household's its household, no other",
    ),
    "history.future": (
        "还没到",
        "in the future",
    ),
    "history.before_matter": (
        "早于事项发生时间",
        "before the matter occurred",
    ),
    "history.bad_attended_by": (
        "未知的干部，或不是编号列表",
        "unknown cadre or not a list of ids",
    ),
    "history.attended_together": (
        "到场干部和到场时间要一起填写",
        "the attending cadres and the time go together",
    ),
}

# The command line's `--help` texts, keyed by the English written in cli/*.py -> Chinese.
HELP: dict[str, str] = {
    "Plan and record community cadres' field visits (the 23766 routine), offline.": (
        "离线规划和记录社区干部的入户走访（23766 工作法）。"
    ),
    "show this help message and exit": "显示本帮助并退出",
    "database file (default: $CADRE_TUI_DB, else the user data folder)": (
        "数据库文件（默认：环境变量 $CADRE_TUI_DB，否则为用户数据文件夹）"
    ),
    "language of the output and the app (default zh)": "输出和应用界面的语言（默认 zh 中文，en 英文）",
    "show program's version number and exit": "显示版本号并退出",
    "open the app (the same as no command)": "打开应用（与不带命令相同）",
    "create the community in the database, or update its settings": "在数据库中建立社区，或修改社区设置",
    "copy the database to FILE (online backup)": "把数据库复制到 FILE（在线备份）",
    "replace the database with a backup (the current one is backed up first)": (
        "用备份替换数据库（先备份当前的数据库）"
    ),
    "turn a plain community database into an encrypted one (its backups too)": (
        "把未加密的社区数据库加密（连同它的备份）"
    ),
    "change the database passphrase": "修改数据库口令",
    "import …": "导入 …",
    "visit …": "走访 …",
    "matter …": "六必到事项 …",
    "fill the database with the fictional demo community 幸福社区": "在数据库中装入虚构的演示社区 幸福社区",
    "show or change a setting (cadences, targets, capacity, days off, me); no KEY lists them all": (
        "查看或修改设置（走访周期、目标、每天户数、休息日、本机干部）；不给 KEY 则列出全部"
    ),
    "propose (or show the saved) field days and households of a week": "生成（或查看已保存的）一周的外出日和走访住户",
    "the week's 23766 scorecard, per team": "一周的 23766 情况，按小组",
    "export …": "导出 …",
    "office …": "街道 …",
    "the community's name, e.g. 幸福社区": "社区名称，如 幸福社区",
    "the official community code (kept for life once set)": "社区的正式代码（设定后不再改变）",
    "time zone (default Asia/Shanghai)": "时区（默认 Asia/Shanghai）",
    "the cadre this laptop belongs to": "这台电脑属于哪位干部",
    "overwrite FILE": "覆盖 FILE",
    "create or update cadres, teams and zones from a staff CSV (编号,姓名,电话,小组,片区)": (
        "从干部名单（编号,姓名,电话,小组,片区）新建或更新干部、小组和片区"
    ),
    "create or update households, residents and priority groups from a roster CSV": (
        "从住户名册新建或更新住户、居民和重点人群"
    ),
    "merge a sync bundle (.cadre file, folder or .zip) from the partner": "合并搭档的同步包（.cadre 文件、文件夹或 .zip）",
    "the staff CSV file or workbook (.xlsx, .xls, .ods)": "干部名单：CSV 文件或工作簿（.xlsx、.xls、.ods）",
    "the workbook's sheet to read (default: the first)": "要读取的工作表（默认：第一个）",
    "check the file and report, write nothing": "只检查文件并报告，不写入任何数据",
    "the roster CSV file or workbook (.xlsx, .xls, .ods), one row per resident": (
        "住户名册：CSV 文件或工作簿（.xlsx、.xls、.ods），每位居民一行"
    ),
    "write the valid rows and put the invalid ones in FILE.rejects.csv (a workbook's too)": (
        "写入有效的行，无效的行放进 FILE.rejects.csv（工作簿也一样）"
    ),
    "the .cadre file (or a plain bundle folder or .zip)": ".cadre 文件（或未加密的同步包文件夹、.zip）",
    "record a visit to a household; prints the visit's id": "记录一次入户走访；输出这次走访的编号",
    "the household's number (户编号)": "户编号",
    "the day of the visit, YYYY-MM-DD": "走访日期，YYYY-MM-DD",
    "one of met, absent, refused, moved, other": "met（见到）、absent（无人）、refused（拒绝）、moved（搬离）、other（其他）之一",
    "default: the team of the household's zone": "默认：住户所在片区的小组",
    "cadres present (default: the team's active members)": "到场干部（默认：小组的在岗成员）",
    "needs raised: assistance, employment, medical, housing, dispute, elderly_care, other": (
        "提出的诉求：assistance（救助）、employment（就业）、medical（医疗）、housing（住房）、"
        "dispute（纠纷）、elderly_care（养老）、other（其他）"
    ),
    "what was seen and said": "看到和谈到的情况",
    "follow-up date, YYYY-MM-DD": "跟进日期，YYYY-MM-DD",
    "assistance given, in yuan (e.g. 200 or 150.50)": "帮扶金额，单位元（如 200 或 150.50）",
    "log a must-attend matter; prints the matter's id": "登记一件必到事项；输出事项编号",
    "mark a matter attended; prints the matter's id": "标记事项已到场；输出事项编号",
    "one of emergency, activity, illness, dispute, hardship, wedding_funeral": (
        "emergency（突发）、activity（活动）、illness（生病）、dispute（纠纷）、hardship（困难）、"
        "wedding_funeral（红白事）之一"
    ),
    "YYYY-MM-DD HH:MM in the community's time zone, or ISO 8601 with an offset": (
        "社区时区的 YYYY-MM-DD HH:MM，或带时差的 ISO 8601 时间"
    ),
    "a household's matter": "一户的事项",
    "a zone's matter": "一个片区的事项",
    "a community-wide matter": "全社区的事项",
    "the matter's id (or its first 8 characters or more)": "事项编号（或它的前 8 个以上字符）",
    "when the cadres arrived": "干部到场的时间",
    "the cadres who attended": "到场的干部",
    "generate a community of N households with two years of history instead of the seeds": (
        "不用自带的种子数据，生成 N 户、两年走访记录的社区"
    ),
    "replace whatever the database holds": "替换数据库中已有的一切",
    "e.g. cadence.solitary, target.emergency, days_off": "如 cadence.solitary、target.emergency、days_off",
    "e.g. 7, 2h, 90m, 2026-12-24,2026-12-31, +D, -D": "如 7、2h、90m、2026-12-24,2026-12-31、+D、-D",
    "2026-W48, this, last or next": "2026-W48、this（本周）、last（上周）或 next（下周）",
    "one team only (default: every team)": "只看一个小组（默认：所有小组）",
    "take this day as today (plan ahead, tests)": "把这一天当作今天（提前计划、测试）",
    "store the proposed plan": "保存生成的计划",
    "recompute, keeping manual changes": "重新计算，保留手工改动",
    "recompute, dropping manual changes": "重新计算，丢弃手工改动",
    "a day inside the week (default: Sunday, or today)": "这一周里的某一天（默认：周日或今天）",
    "write an encrypted sync bundle (*.cadre) for the partner's laptop": "为搭档的电脑写出加密的同步包（*.cadre）",
    "write the week's office log (no personal data)": "写出这一周报街道的记录（不含个人信息）",
    "write the week's walk list (走访清单) as a printable .xlsx: a sheet per team and field day": (
        "写出这一周的走访清单，可打印的 .xlsx：每个小组每个外出日一页"
    ),
    "write the visit register (走访台账) of a period as a printable .xlsx: a sheet per month": (
        "写出一段时间的走访台账，可打印的 .xlsx：每月一页"
    ),
    "the .cadre file, or a folder to put one in (with --unencrypted: a folder or a .zip)": (
        ".cadre 文件，或放它的文件夹（加 --unencrypted 时：文件夹或 .zip）"
    ),
    "write a plain folder or .zip (not advised)": "写出未加密的文件夹或 .zip（不建议）",
    "write over a file or into a non-empty folder": "覆盖已有文件，或写进非空的文件夹",
    "the folder for the three CSV files": "放三个 CSV 文件的文件夹",
    "Chinese labels (default) or keys": "中文列名（默认）或英文键名",
    "three CSV files (default) or one workbook": "三个 CSV 文件（默认）或一个工作簿",
    "write over the week's files in DIR": "覆盖 DIR 里这一周的文件",
    "one team (default: every team)": "一个小组（默认：所有小组）",
    "one day of the week (YYYY-MM-DD)": "这一周的某一天（YYYY-MM-DD）",
    "the workbook to write": "要写出的工作簿",
    "write over an existing file": "覆盖已有的文件",
    "first day (YYYY-MM-DD)": "第一天（YYYY-MM-DD）",
    "last day (YYYY-MM-DD)": "最后一天（YYYY-MM-DD）",
    "one team's visits and matters (default: all)": "一个小组的走访和事项（默认：全部）",
    "the office app (with no command), or one of the office commands below": (
        "街道汇总应用（不带命令时），或下面的街道命令之一"
    ),
    "import community logs (files or folders) into the office database (--db FILE for SQLite, or --db "
    "postgresql://ROLE@HOST/DATABASE)": "把各社区的报送记录（文件或文件夹）导入街道数据库（--db 文件：SQLite；或 --db "
    "postgresql://角色@主机/数据库）",
    "every community's scorecard for a week, and who sent nothing (--db FILE or postgresql://…)": "一周里每个社区的 "
    "23766 情况，以及哪些社区没有报送（--db 文件 或 postgresql://…）",
    "log CSV files or folders of them": "报送的 CSV 文件，或放它们的文件夹",
    "the ISO week: 2026-W48, this, last or next": "ISO 周：2026-W48、this（本周）、last（上周）或 next（下周）",
}

# argparse's own words (it calls gettext for each): English -> Chinese.
ARGPARSE: dict[str, str] = {
    "usage: ": "用法：",
    "options": "选项",
    "positional arguments": "位置参数",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "the following arguments are required: %s": "缺少以下参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选 %(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "expected at most one argument": "最多只能有一个值",
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "选项不明确：%(option)s 可以是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "需要参数 %s 之一",
    "ignored explicit argument %r": "忽略了多余的参数值 %r",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知的命令 %(parser_name)r（可选：%(choices)s）",
    "can't open '%(filename)s': %(error)s": "无法打开 '%(filename)s'：%(error)s",
}
