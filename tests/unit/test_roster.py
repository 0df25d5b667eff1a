"""`import roster`: validation messages, identity, idempotent re-import, --dry-run, --skip-invalid."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from cadre_tui.core.ids import check_digit
from cadre_tui.io.csvfile import read_csv
from cadre_tui.io.roster import import_roster
from cadre_tui.store.db import Store, natural_id
from tests.conftest import FIXTURES, CliRunner

ROSTER = FIXTURES / "roster"
TODAY = date(2026, 11, 24)
LIN = "110105194803120016"
QIN = "11010519500601002X"
HE = "11010519800715001X"
SHAN = "110105193702200047"
NOTE = "独居，行动不便"


def dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted: two dumps are equal when nothing was written."""
    tables = [r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {t: sorted(store.db.execute(f"SELECT * FROM [{t}]").fetchall(), key=repr) for t in tables}


def rows(store: Store, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """The rows of a query."""
    return [tuple(r) for r in store.db.execute(sql, params).fetchall()]


def write(path: Path, text: str) -> Path:
    """A UTF-8 CSV file with CRLF line ends."""
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    return path


def resident_id(store: Store, key: str) -> str:
    """The id a roster gives the resident with natural key `key`."""
    community = store.require_community()
    return natural_id(community.id, "resident", key)


def household(cid: str, no: str) -> str:
    """The id of household `no`."""
    return natural_id(cid, "household", no)


def zone(cid: str, code: str) -> str:
    """The id of zone `code`."""
    return natural_id(cid, "zone", code)


def test_fixture_id_numbers_are_valid() -> None:
    for number in (LIN, QIN, HE, SHAN):
        assert check_digit(number[:17]) == number[17]


def test_gb18030_roster_from_excel_imports(store: Store) -> None:
    raw = (ROSTER / "roster-gb18030.csv").read_bytes()
    assert raw.startswith("户编号".encode("gb18030"))
    report = import_roster(store, ROSTER / "roster-gb18030.csv", today=TODAY)
    assert [(k, c.added, c.updated, c.unchanged, c.ended) for k, c in report.counts.items()] == [
        ("households", 3, 0, 0, 0),
        ("residents", 5, 0, 0, 0),
        ("memberships", 5, 0, 0, 0),
    ]
    assert report.warnings == []
    cid = store.require_community().id
    assert rows(store, "SELECT id, code, name FROM zones ORDER BY code") == [
        (natural_id(cid, "zone", "Z1"), "Z1", "Z1"),
        (natural_id(cid, "zone", "Z2"), "Z2", "Z2"),
    ]
    assert rows(
        store,
        "SELECT id, household_no, zone_id, estate, building, unit, room, active FROM households "
        "ORDER BY household_no",
    ) == [
        (household(cid, "H001"), "H001", zone(cid, "Z1"), "幸福小区", "1栋", "1单元", "101", 1),
        (household(cid, "H002"), "H002", zone(cid, "Z1"), "幸福小区", "1栋", "2单元", "202", 1),
        (household(cid, "H003"), "H003", zone(cid, "Z2"), "和平花园", "3栋", "1单元", "301", 1),
    ]
    assert rows(
        store,
        "SELECT id, name, gender, birth_date, id_number, phone, relation, status, notes FROM residents "
        "ORDER BY birth_date",
    ) == [
        (resident_id(store, SHAN), "单秀珍", "F", "1937-02-20", SHAN, "01065123456", "户主", "present", NOTE),
        (resident_id(store, LIN), "林春生", "M", "1948-03-12", LIN, "13800001111", "户主", "present", None),
        (resident_id(store, QIN), "秦玉兰", "F", "1950-06-01", QIN, None, "配偶", "present", None),
        (resident_id(store, HE), "贺志远", "M", "1980-07-15", HE, "13900002222", "户主", "present", None),
        (resident_id(store, "H002/贺小雨"), "贺小雨", "F", "2015-09-30", None, None, "子女", "present", None),
    ]
    shan = resident_id(store, SHAN)
    assert rows(store, "SELECT search_keys FROM residents WHERE id = ?", shan) == [
        ("danxiuzhen chanxiuzhen shanxiuzhen dxz cxz sxz",)
    ]
    lin, qin = resident_id(store, LIN), resident_id(store, QIN)
    assert sorted(
        rows(store, "SELECT id, resident_id, group_code, since, deleted FROM memberships")
    ) == sorted(
        [
            (natural_id(cid, "membership", f"{lin}/solitary"), lin, "solitary", "2026-01-05", 0),
            (natural_id(cid, "membership", f"{qin}/elderly"), qin, "elderly", "2026-11-24", 0),
            (natural_id(cid, "membership", f"{qin}/ill"), qin, "ill", "2026-11-24", 0),
            (natural_id(cid, "membership", f"{shan}/widowed"), shan, "widowed", "2026-03-01", 0),
            (natural_id(cid, "membership", f"{shan}/poor"), shan, "poor", "2026-03-01", 0),
        ]
    )
    stamps = rows(store, "SELECT DISTINCT updated_at, origin, deleted FROM residents")
    assert stamps == [(stamps[0][0], store.device_id, 0)]


def test_bom_copy_of_the_same_roster_changes_nothing(store: Store) -> None:
    import_roster(store, ROSTER / "roster-gb18030.csv", today=TODAY)
    before = dump(store)
    report = import_roster(store, ROSTER / "roster-utf8-bom.csv", today=date(2026, 12, 1))
    assert dump(store) == before
    assert [(c.added, c.updated, c.unchanged, c.ended) for c in report.counts.values()] == [
        (0, 0, 3, 0),
        (0, 0, 5, 0),
        (0, 0, 5, 0),
    ]
    assert report.summary("zh") == [
        "户 3（新增 0，更新 0，未变 3）；居民 5（新增 0，更新 0，未变 5）；"
        "重点人群 5（新增 0，更新 0，未变 5，结束 0）；警告 0"
    ]
    assert report.summary("en") == [
        "households 3 (0 added, 0 updated, 3 unchanged); residents 5 (0 added, 0 updated, 5 unchanged); "
        "priority-group memberships 5 (0 added, 0 updated, 5 unchanged, 0 ended); 0 warnings"
    ]


def imported(cli: CliRunner, kind: str, path: Path) -> str:
    """What `import KIND PATH` prints, once it has succeeded without a word on stderr."""
    result = cli("import", kind, str(path))
    assert (result.code, result.err) == (0, "")
    return result.out


def test_cli_imports_and_prints_the_summary(store: Store, cli: CliRunner) -> None:
    assert imported(cli, "roster", ROSTER / "roster-gb18030.csv") == (
        "户 3（新增 3，更新 0，未变 0）；居民 5（新增 5，更新 0，未变 0）；"
        "重点人群 5（新增 5，更新 0，未变 0，结束 0）；警告 0\n"
    )
    assert store.path is not None
    assert len(list((store.path.parent / "backups").glob("*-import.db"))) == 1


def test_reimport_updates_changed_fields_only(store: Store, tmp_path: Path) -> None:
    import_roster(store, ROSTER / "roster-gb18030.csv", today=TODAY)
    lin, qin, shan = resident_id(store, LIN), resident_id(store, QIN), resident_id(store, SHAN)
    he, child = resident_id(store, HE), resident_id(store, "H002/贺小雨")
    stamp = dict(rows(store, "SELECT id, updated_at FROM residents"))
    # No phone column (phones stay), 林春生 leaves 孤 for 病, 秦玉兰's notes are set, 单秀珍 is not listed,
    # 贺志远 moves to H004 in a new zone Z3.
    changed = write(
        tmp_path / "roster.csv",
        "户编号,片区,姓名,身份证号,重点人群,备注\n"
        f"H001,Z1,林春生,{LIN},病,\n"
        f"H001,Z1,秦玉兰,{QIN},老;病,腿脚不便\n"
        f"H004,Z3,贺志远,{HE},,\n"
        "H002,Z1,贺小雨,,,\n",
    )
    report = import_roster(store, changed, today=date(2026, 12, 1))
    assert [(k, c.added, c.updated, c.unchanged, c.ended) for k, c in report.counts.items()] == [
        ("households", 1, 0, 2, 0),
        ("residents", 0, 2, 2, 0),
        ("memberships", 1, 0, 2, 1),
    ]
    assert (report.missing, report.missing_examples) == (1, ["H003 单秀珍"])
    assert report.summary("zh")[1] == "文件中没有的居民 1 人（保留，未删除）：H003 单秀珍"
    after = dict(rows(store, "SELECT id, updated_at FROM residents"))
    assert [after[r] == stamp[r] for r in (lin, qin, he, child, shan)] == [True, False, False, True, True]
    assert rows(store, "SELECT phone, notes FROM residents WHERE id = ?", lin) == [("13800001111", None)]
    assert rows(store, "SELECT phone, notes FROM residents WHERE id = ?", qin) == [(None, "腿脚不便")]
    cid = store.require_community().id
    assert rows(store, "SELECT household_id FROM residents WHERE id = ?", he) == [
        (natural_id(cid, "household", "H004"),)
    ]
    assert rows(store, "SELECT code, name FROM zones ORDER BY code") == [
        ("Z1", "Z1"),
        ("Z2", "Z2"),
        ("Z3", "Z3"),
    ]
    assert sorted(
        rows(store, "SELECT group_code, since, deleted FROM memberships WHERE resident_id = ?", lin)
    ) == [
        ("ill", "2026-12-01", 0),
        ("solitary", "2026-01-05", 1),
    ]
    assert rows(store, "SELECT count(*) FROM residents WHERE id = ? AND deleted = 0", shan) == [(1,)]
    # 孤 is listed again a week later: the membership comes back with a new start.
    relisted = write(
        tmp_path / "again.csv", f"household_no,zone,name,id_number,groups\nH001,Z1,林春生,{LIN},孤；病\n"
    )
    report = import_roster(store, relisted, today=date(2026, 12, 8))
    assert report.counts["memberships"].added == 1
    assert sorted(
        rows(store, "SELECT group_code, since, deleted FROM memberships WHERE resident_id = ?", lin)
    ) == [
        ("ill", "2026-12-01", 0),
        ("solitary", "2026-12-08", 0),
    ]


def test_empty_cell_clears_and_groups_since_moves_the_start(store: Store, tmp_path: Path) -> None:
    import_roster(store, ROSTER / "roster-gb18030.csv", today=TODAY)
    edited = write(
        tmp_path / "roster.csv",
        "household_no,zone,estate,name,id_number,phone,groups,groups_since\n"
        f"H003,Z2,,单秀珍,{SHAN},,寡;贫,2026/2/1\n",
    )
    report = import_roster(store, edited, today=TODAY)
    assert (report.counts["households"].updated, report.counts["memberships"].updated) == (1, 2)
    assert rows(store, "SELECT estate, building FROM households WHERE household_no = 'H003'") == [
        (None, "3栋")
    ]
    shan = resident_id(store, SHAN)
    assert rows(store, "SELECT phone FROM residents WHERE id = ?", shan) == [(None,)]
    assert sorted(rows(store, "SELECT group_code, since FROM memberships WHERE resident_id = ?", shan)) == [
        ("poor", "2026-02-01"),
        ("widowed", "2026-02-01"),
    ]


@pytest.mark.parametrize(
    ("fixture", "lines"),
    [
        (
            "roster-excel-mangled.csv",
            [
                "roster-excel-mangled.csv:2: id_number: number mangled by Excel (1.10105E+17): "
                "format the column as text and save the file again",
                "cadre-tui: roster-excel-mangled.csv: 1 error in 1 record; nothing was written",
            ],
        ),
        (
            "roster-bad-checksum.csv",
            [
                "roster-bad-checksum.csv:2: id_number: checksum does not match",
                "cadre-tui: roster-bad-checksum.csv: 1 error in 1 record; nothing was written",
            ],
        ),
        (
            "roster-impossible-date.csv",
            [
                "roster-impossible-date.csv:2: birth_date: not a real date: 2026-02-30",
                "roster-impossible-date.csv:3: id_number: "
                "birth date 19900230 in the number is not a real date",
                "cadre-tui: roster-impossible-date.csv: 2 errors in 2 records; nothing was written",
            ],
        ),
        (
            "roster-unknown-group.csv",
            [
                "roster-unknown-group.csv:2: groups: unknown priority group 孤寡 "
                "(use 孤 寡 贫 弱 病 老 or solitary widowed poor frail ill elderly)",
                "cadre-tui: roster-unknown-group.csv: 1 error in 1 record; nothing was written",
            ],
        ),
        (
            "roster-missing-column.csv",
            ["cadre-tui: roster-missing-column.csv:1: missing required column zone (片区)"],
        ),
        ("roster-empty.csv", ["cadre-tui: roster-empty.csv:1: the file is empty"]),
        (
            "roster-binary.csv",
            ["cadre-tui: roster-binary.csv:1: not a CSV file (binary data); save it from Excel as CSV"],
        ),
        (
            "roster-some-invalid.csv",
            [
                "roster-some-invalid.csv:3: id_number: checksum does not match",
                "roster-some-invalid.csv:4: groups: unknown priority group 老年 "
                "(use 孤 寡 贫 弱 病 老 or solitary widowed poor frail ill elderly)",
                "cadre-tui: roster-some-invalid.csv: 2 errors in 2 records; nothing was written",
            ],
        ),
    ],
)
def test_bad_roster_is_refused_and_nothing_written(
    store: Store, cli: CliRunner, fixture: str, lines: list[str]
) -> None:
    import_roster(store, ROSTER / "roster-gb18030.csv", today=TODAY)
    before = dump(store)
    result = cli("import", "roster", str(ROSTER / fixture), lang="en")
    assert (result.code, result.out) == (2, "")
    assert result.err.splitlines() == lines
    assert dump(store) == before


def test_a_bad_roster_is_refused_in_chinese_by_default(store: Store, cli: CliRunner, tmp_path: Path) -> None:
    path = write(
        tmp_path / "名册.csv",
        "户编号,片区,姓名,性别,出生日期,身份证号\n"
        "H1,Z1,甲一,X,2099-01-01,110105199001010019\n"
        "H1,Z1,甲二,,,11010519900101001\n",
    )
    result = cli("import", "roster", str(path))
    assert (result.code, result.out) == (2, "")
    assert result.err.splitlines() == [
        "名册.csv:2: id_number: 校验位不对",
        "名册.csv:2: gender: X 不是 男、女、M 或 F",
        "名册.csv:2: birth_date: 2099-01-01 还没到",
        "名册.csv:3: id_number: 应有 18 位，实有 17 位",
        "cadre-tui: 名册.csv：2 条记录有 4 处错误；未写入任何数据",
    ]
    assert cli("import", "roster", str(path), lang="en").err.splitlines()[0] == (
        "名册.csv:2: id_number: checksum does not match"
    )


def test_legacy_id_is_accepted_with_a_warning(store: Store, cli: CliRunner) -> None:
    result = cli("import", "roster", str(ROSTER / "roster-legacy-id.csv"))
    assert result.code == 0
    assert result.err.splitlines() == [
        "roster-legacy-id.csv:2: id_number: 15 位的老身份证号；请索要 18 位的号码"
    ]
    assert result.out.splitlines()[0].endswith("；警告 1")
    assert rows(store, "SELECT id, id_number, birth_date, gender FROM residents") == [
        (resident_id(store, "110105480312001"), "110105480312001", "1948-03-12", "M")
    ]


def test_cross_row_and_cell_errors_are_all_listed(store: Store, cli: CliRunner, tmp_path: Path) -> None:
    first17 = "11010519900101001"
    good = first17 + check_digit(first17)
    path = write(
        tmp_path / "名册.csv",
        "household_no,zone,estate,name,gender,birth_date,id_number,phone,groups_since\n"
        f"H1,Z1,幸福小区,甲一,男,,{good},,\n"
        f"H1,Z2,和平花园,甲二,,,{good.lower()},138-0000-0001,\n"
        ",Z1,,,X,2099-01-01,,12ab,2026-13-01\n"
        "H2,Z1,,乙,,,,,\n"
        "H2,Z1,,乙,,,,,\n"
        "1.10105E+11,Z1,,丙,,,,1.38E+10,\n",
    )
    result = cli("import", "roster", str(path), lang="en")
    assert result.code == 2
    assert result.err.splitlines() == [
        "名册.csv:3: id_number: the same ID number as line 2",
        "名册.csv:3: zone: Z2, but line 2 puts household H1 in Z1",
        "名册.csv:3: estate: 和平花园, but line 2 of household H1 says 幸福小区",
        "名册.csv:4: household_no: empty; it is required",
        "名册.csv:4: name: empty; it is required",
        "名册.csv:4: gender: X is not 男, 女, M or F",
        "名册.csv:4: birth_date: 2099-01-01 is in the future",
        "名册.csv:4: phone: not a phone number: 12ab",
        "名册.csv:4: groups_since: not a real date: 2026-13-01",
        "名册.csv:6: name: 乙 is listed twice in household H2 (line 5); give id_number to tell them apart",
        "名册.csv:7: household_no: number mangled by Excel (1.10105E+11): "
        "format the column as text and save the file again",
        "名册.csv:7: phone: number mangled by Excel (1.38E+10): "
        "format the column as text and save the file again",
        "cadre-tui: 名册.csv: 12 errors in 4 records; nothing was written",
    ]
    assert rows(store, "SELECT count(*) FROM residents") == [(0,)]


def test_normalised_id_numbers_and_warnings(store: Store, tmp_path: Path) -> None:
    fullwidth = HE[:-1].translate(str.maketrans("0123456789", "０１２３４５６７８９")) + "ｘ"
    path = write(
        tmp_path / "roster.csv",
        "户编号,片区,姓名,性别,出生日期,身份证号\n"
        f"H1,Z1,贺志远,女,1980-07-16,{fullwidth}\n"
        f"H1,Z1,秦玉兰,,,{QIN[:-1]}x\n",
    )
    report = import_roster(store, path, today=TODAY)
    assert report.warnings == [
        "roster.csv:2: gender: 女 contradicts the ID number (male)",
        "roster.csv:2: birth_date: 1980-07-16 differs from the ID number's 1980-07-15",
    ]
    assert rows(store, "SELECT name, gender, birth_date, id_number FROM residents ORDER BY name") == [
        ("秦玉兰", "F", "1950-06-01", QIN),
        ("贺志远", "F", "1980-07-16", HE),
    ]


def test_dry_run_writes_nothing(store: Store, cli: CliRunner) -> None:
    before = dump(store)
    result = cli("import", "roster", str(ROSTER / "roster-gb18030.csv"), "--dry-run", "--lang", "en")
    assert result.code == 0
    assert result.out.splitlines() == [
        "households 3 (3 added, 0 updated, 0 unchanged); residents 5 (5 added, 0 updated, 0 unchanged); "
        "priority-group memberships 5 (5 added, 0 updated, 0 unchanged, 0 ended); 0 warnings",
        "dry run: nothing was written",
    ]
    assert dump(store) == before
    assert store.path is not None
    assert not (store.path.parent / "backups").exists()


def test_skip_invalid_writes_valid_rows_and_a_rejects_file(
    store: Store, cli: CliRunner, tmp_path: Path
) -> None:
    source = tmp_path / "roster-some-invalid.csv"
    source.write_bytes((ROSTER / "roster-some-invalid.csv").read_bytes())
    stale = tmp_path / "roster-some-invalid.csv.rejects.csv"
    stale.write_text("old", encoding="utf-8")
    result = cli("import", "roster", str(source), "--skip-invalid")
    assert result.code == 0
    assert result.err.splitlines() == [
        "roster-some-invalid.csv:1: 备用: 不认识的列，已忽略",
        "roster-some-invalid.csv:3: id_number: 校验位不对",
        "roster-some-invalid.csv:4: groups: 未知的重点人群 老年"
        "（请用 孤 寡 贫 弱 病 老，或 solitary widowed poor frail ill elderly）",
    ]
    assert result.out.splitlines() == [
        "户 2（新增 2，更新 0，未变 0）；居民 2（新增 2，更新 0，未变 0）；"
        "重点人群 1（新增 1，更新 0，未变 0，结束 0）；警告 1",
        "已跳过无效记录 2 行，见 roster-some-invalid.csv.rejects.csv",
    ]
    assert rows(store, "SELECT name FROM residents ORDER BY name") == [("卓一凡",), ("路四海",)]
    raw = stale.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = read_csv(stale, {})
    assert table.header == ["household_no", "zone", "name", "id_number", "groups", "备用", "error"]
    bad = "11010519480312001" + ("0" if LIN[-1] != "0" else "1")
    assert [r.raw for r in table.records] == [
        [
            "H020",
            "Z3",
            "卓二妹",
            bad,
            "",
            "",
            "roster-some-invalid.csv:3: id_number: checksum does not match",
        ],
        [
            "H021",
            "Z3",
            "卢三川",
            "",
            "老年",
            "",
            "roster-some-invalid.csv:4: groups: unknown priority group 老年 "
            "(use 孤 寡 贫 弱 病 老 or solitary widowed poor frail ill elderly)",
        ],
    ]


def test_no_community_is_exit_2(cli: CliRunner) -> None:
    result = cli("import", "roster", str(ROSTER / "roster-gb18030.csv"))
    assert result.code == 2
    assert "cadre-tui init --community 社区名称" in result.err
    assert (
        "cadre-tui init --community NAME"
        in cli("import", "roster", str(ROSTER / "roster-gb18030.csv"), lang="en").err
    )


def test_missing_file_is_exit_2(store: Store, cli: CliRunner, tmp_path: Path) -> None:
    result = cli("import", "roster", str(tmp_path / "nowhere.csv"))
    assert (result.code, result.err) == (2, "cadre-tui: nowhere.csv：没有这个文件\n")


def test_skip_invalid_with_nothing_rejected_removes_a_stale_rejects_file(
    store: Store, tmp_path: Path
) -> None:
    source = tmp_path / "roster.csv"
    source.write_bytes((ROSTER / "roster-utf8-bom.csv").read_bytes())
    stale = tmp_path / "roster.csv.rejects.csv"
    stale.write_text("old", encoding="utf-8")
    report = import_roster(store, source, skip_invalid=True, today=TODAY)
    assert (report.rejected, report.rejects_path, stale.exists()) == (0, None, False)
    assert report.counts["residents"].added == 5


def test_a_roster_without_id_numbers_keys_residents_by_household_and_name(
    store: Store, tmp_path: Path
) -> None:
    path = write(tmp_path / "roster.csv", "户编号,片区,姓名,性别\nH1,Z1,甲一,男\nH1,Z1,甲二,\n")
    import_roster(store, path, today=TODAY)
    assert rows(store, "SELECT id, name, gender, id_number FROM residents ORDER BY name") == [
        (resident_id(store, "H1/甲一"), "甲一", "M", None),
        (resident_id(store, "H1/甲二"), "甲二", None, None),
    ]
    before = dump(store)
    report = import_roster(store, path, today=TODAY)
    assert (report.counts["residents"].unchanged, dump(store)) == (2, before)
