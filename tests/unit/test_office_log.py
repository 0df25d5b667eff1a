"""The week's office log: exact columns and labels, no personal data, names masked, refusals."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from cadre_tui.core.weeks import IsoWeek
from cadre_tui.errors import Refused
from cadre_tui.io.office_log import Redactor, export_office_log, log_file_names, safe_file_part
from cadre_tui.store.db import Store
from tests.conftest import CliRunner
from tests.unit.test_bundle import add_visit, laptop, seed, write

W48 = IsoWeek(2026, 48)
TODAY = date(2026, 11, 24)

VISITS_ZH = (
    "社区,周,记录编号,走访日期,片区,小组,走访干部,户编号,地址,重点人群,结果,诉求,走访记录,跟进日期,帮扶金额"
)
VISITS_EN = (
    "community,week,visit_id,visit_date,zone,team,cadres,household_no,address,groups,outcome,needs,notes,"
    "follow_up_date,assistance_yuan"
)
MATTERS_ZH = "社区,周,事项编号,类型,事项,范围,片区,户编号,发生时间,到场时间,到场干部,超时,备注"
MATTERS_EN = (
    "community,week,matter_id,kind,title,scope,zone,household_no,occurred_at,attended_at,attended_by,"
    "late,notes"
)
SCORECARD_ZH = (
    "社区,周,小组,片区,成员,两人成组,工作日,应走访天数,走访天数,走访天数达标,户数,熟悉户数,熟悉率,熟悉率达标,"
    "重点人员,逾期未访,重点走访达标,必到事项,已到场,超时事项,必到达标"
)
SCORECARD_EN = (
    "community,week,team,zone,members,team_size_ok,working_days,required_field_days,field_days,field_days_ok,"
    "households,familiar_households,familiarity,familiarity_ok,priority_residents,priority_overdue,priority_ok,"
    "matters,matters_attended,matters_late,matters_ok"
)


def week_of_work(store: Store) -> dict[str, str]:
    """Seeded community with one visit and two matters in 2026-W48, and one visit the week before."""
    ids = seed(store)
    ids["visit"] = add_visit(
        store, ids, notes="王秀英说，女儿曾小燕的电话是13912345678，身份证11010519491231002X",
        follow_up_date="2026-11-27", assistance_yuan="200.00",
    )  # fmt: skip
    add_visit(store, ids, notes="上周", visit_date="2026-11-16")
    # 10:00 local on Monday; attended 25 hours later: within illness's 48 hours.
    ids["illness"] = write(store, "matters", kind="illness", title="曾小燕住院", scope="household",
                           zone_id=None, household_id=ids["h2"], occurred_at="2026-11-23T02:00:00.000Z",
                           attended_at="2026-11-24T03:00:00.000Z", attended_by=ids["c1"],
                           notes="")  # fmt: skip
    # A zone's dispute attended 30 hours later: late for its 24 hours.
    ids["dispute"] = write(store, "matters", kind="dispute", title="=楼上漏水", scope="zone",
                           zone_id=ids["zone"], household_id=None, occurred_at="2026-11-23T04:00:00.000Z",
                           attended_at="2026-11-24T10:00:00.000Z", attended_by=f"{ids['c1']};{ids['c2']}",
                           notes="联系 13800000000")  # fmt: skip
    return ids


def lines(path: Path) -> list[str]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8")
    assert text.endswith("\r\n")
    return text[:-2].split("\r\n")


def test_log_in_chinese_has_exact_columns_labels_and_values(tmp_path: Path) -> None:
    store, _ = laptop()
    ids = week_of_work(store)
    paths = export_office_log(store, W48, tmp_path / "log", today=TODAY)
    assert [p.name for p in paths] == [
        "visits-幸福社区-2026-W48.csv",
        "matters-幸福社区-2026-W48.csv",
        "scorecard-幸福社区-2026-W48.csv",
    ]
    visits = lines(paths[0])
    assert visits == [
        VISITS_ZH,
        f"幸福社区,2026-W48,{ids['visit']},2026-11-23,Z1,T1,C01;C02,H001,幸福小区 1栋 1单元 101,孤,"
        "见到本人或家人,医疗;其他,某某说，女儿某某的电话是***，身份证***,2026-11-27,200.00",
    ]
    matters = lines(paths[1])
    assert matters == [
        MATTERS_ZH,
        f"幸福社区,2026-W48,{ids['illness']},生病住院,某某住院,住户,Z1,H002,2026-11-23 10:00,"
        "2026-11-24 11:00,C01,否,",
        f"幸福社区,2026-W48,{ids['dispute']},矛盾纠纷,'=楼上漏水,片区,Z1,,2026-11-23 12:00,2026-11-24 18:00,"
        "C01;C02,是,联系 ***",
    ]
    scorecard = lines(paths[2])
    # Hand-worked, as of 2026-11-24: one field day of 3; 1 of 2 households met (0.5 < 0.7); 王秀英
    # (孤, 7 days) met on 11-23 is due 11-30; both matters belong to T1, attended, the dispute late.
    assert scorecard == [
        SCORECARD_ZH,
        "幸福社区,2026-W48,T1,Z1,C01;C02,是,5,3,1,否,2,1,0.500,否,1,0,是,2,2,1,否",
    ]
    everything = b"".join(p.read_bytes() for p in paths).decode("utf-8-sig")
    for secret in ("王秀英", "曾小燕", "11010519491231002X", "13912345678", "13800000001", "13800000000"):
        assert secret not in everything


def test_log_in_english_has_keys_and_codes(tmp_path: Path) -> None:
    store, _ = laptop()
    ids = week_of_work(store)
    paths = export_office_log(store, W48, tmp_path, headers="en", today=TODAY)
    visits, matters, scorecard = (lines(p) for p in paths)
    assert visits[0] == VISITS_EN
    assert visits[1].split(",")[9:12] == ["solitary", "met", "medical;other"]
    assert matters[0] == MATTERS_EN
    assert matters[2].startswith(f"幸福社区,2026-W48,{ids['dispute']},dispute,'=楼上漏水,zone,Z1,,")
    assert matters[2].endswith(",C01;C02,true,联系 ***")
    assert scorecard == [
        SCORECARD_EN,
        "幸福社区,2026-W48,T1,Z1,C01;C02,true,5,3,1,false,2,1,0.500,false,1,0,true,2,2,1,false",
    ]


def test_existing_log_files_are_refused_without_force(tmp_path: Path) -> None:
    store, _ = laptop()
    seed(store)
    folder = tmp_path / "usb"
    folder.mkdir()
    (folder / "other.txt").write_text("kept")
    export_office_log(store, W48, folder, today=TODAY)  # other files in the folder are fine
    before = (folder / "visits-幸福社区-2026-W48.csv").read_bytes()
    with pytest.raises(Refused, match="add --force"):
        export_office_log(store, W48, folder, today=TODAY)
    assert (folder / "visits-幸福社区-2026-W48.csv").read_bytes() == before
    export_office_log(store, W48, folder, force=True, today=TODAY)
    assert (folder / "other.txt").read_text() == "kept"


def test_file_names_replace_characters_a_file_system_rejects() -> None:
    assert safe_file_part('幸福/社区:一*?"<>|\\') == "幸福_社区_一_______"
    assert log_file_names("A:B", W48)["scorecard"] == "scorecard-A_B-2026-W48.csv"


def test_redactor_masks_the_longest_name_and_long_digit_runs() -> None:
    redact = Redactor(["欧阳娜娜", "欧阳", "李", "张伟"])
    assert redact("欧阳娜娜和张伟，李大爷") == "某某和某某，李大爷"
    assert redact("电话 1391234567 与 13912345678，证 11010519491231002X") == "电话 1391234567 与 ***，证 ***"
    assert redact(None) == ""


def test_export_log_command(cli: CliRunner, tmp_path: Path, db_path: Path) -> None:
    store, _ = laptop(db_path)
    week_of_work(store)
    store.close()
    out = tmp_path / "log"
    result = cli("export", "log", "--week", "2026-W48", "--out", str(out), "--headers", "en")
    assert result.code == 0, result.err
    assert result.out.splitlines() == [str(out / n) for n in log_file_names("幸福社区", W48).values()]
    again = cli("export", "log", "--week", "2026-W48", "--out", str(out))
    assert again.code == 3 and "--force" in again.err
    bad = cli("export", "log", "--week", "2026-W99", "--out", str(out))
    assert bad.code == 2 and "--week" in bad.err


def test_english_log_gives_codes_where_the_label_differs(tmp_path: Path) -> None:
    store, _ = laptop()
    ids = seed(store)
    add_visit(store, ids, needs="elderly_care;assistance")
    write(store, "matters", kind="wedding_funeral", title="婚礼", scope="community", zone_id=None,
          household_id=None, occurred_at="2026-11-23T02:00:00.000Z", attended_at=None, attended_by="",
          notes="")  # fmt: skip
    visits, matters, _ = (
        lines(p) for p in export_office_log(store, W48, tmp_path, headers="en", today=TODAY)
    )
    assert visits[1].split(",")[10:12] == ["met", "elderly_care;assistance"]
    assert matters[1].split(",")[3:6] == ["wedding_funeral", "婚礼", "community"]
    zh_visits, zh_matters, _ = (
        lines(p) for p in export_office_log(store, W48, tmp_path / "zh", headers="zh", today=TODAY)
    )
    assert zh_visits[1].split(",")[10:12] == ["见到本人或家人", "养老;救助/低保"]
    assert zh_matters[1].split(",")[3:6] == ["红白喜事", "婚礼", "全社区"]


def test_redactor_masks_numbers_written_with_spaces_or_dashes_and_keeps_cadre_names() -> None:
    redact = Redactor(["周磊", "王红"], keep=["周磊军"])
    assert redact("电话 179 9723 6868 / 179-9723-6868，证 992506 19730702 829X") == "电话 *** / ***，证 ***"
    assert (
        redact("干部周磊军见到周磊，王红说 2026-11-24 再来") == "干部周磊军见到某某，某某说 2026-11-24 再来"
    )
