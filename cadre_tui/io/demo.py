"""The fictional demo community 幸福社区 (SPEC §11): a seeded generator, its files, and the loader.

Everything here is invented: names drawn from common surnames and given-name characters, addresses in
made-up estates, ID numbers under the region code 99xxxx, which no province has, so that no number can
be a real person's. The generator writes the four files of `seeds/` (staff and roster in the formats of
SPEC §6, history in the bundle's columns); the loader reads such files back through the real import code.
"""

from __future__ import annotations

import random
import shutil
import tempfile
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from cadre_tui.core.domain import DEFAULT_TIMEZONE, GROUPS_BY_CODE, KINDS_BY_CODE
from cadre_tui.core.ids import check_digit
from cadre_tui.errors import InvalidInput, Refused
from cadre_tui.io.csvfile import read_csv, write_csv
from cadre_tui.io.history import latest_day, load_history
from cadre_tui.io.tables import bundle_columns
from cadre_tui.store.db import Store, community_id_for, format_stamp, natural_id

COMMUNITY = "幸福社区"
SEED = 20261122
SEED_HOUSEHOLDS = 600
SEED_END = date(2026, 11, 22)
SEED_WEEKS = 12
LARGE_WEEKS = 104
HOUSEHOLDS_PER_ZONE = 1400
MAX_HOUSEHOLDS = 100_000
SEED_FILES = ("staff.csv", "roster.csv", "visits.csv", "matters.csv")
# Communities up to this size get their visits sorted by date in the file (the seeds); larger ones stream.
SORTED_UP_TO = 5000

STAFF_HEADER = ("编号", "姓名", "电话", "小组", "片区", "小组名称", "片区名称")
ROSTER_HEADER = (
    "户编号", "片区", "小区", "楼栋", "单元", "室", "姓名", "性别", "出生日期", "身份证号", "联系电话",
    "与户主关系", "重点人群", "列入日期", "备注",
)  # fmt: skip
ROSTER_KEYS = (
    "household_no", "zone", "estate", "building", "unit", "room", "name", "gender", "birth_date",
    "id_number", "phone", "relation", "groups", "groups_since", "notes",
)  # fmt: skip

# Common surnames with rough weights, and the polyphonic ones search must read every way (SPEC §8).
SURNAMES = (
    ("王", 70), ("李", 70), ("张", 65), ("刘", 55), ("陈", 50), ("杨", 35), ("赵", 25), ("黄", 25),
    ("周", 24), ("吴", 23), ("徐", 18), ("孙", 17), ("胡", 15), ("朱", 14), ("高", 13), ("林", 12),
    ("何", 12), ("郭", 12), ("马", 11), ("罗", 10), ("梁", 9), ("宋", 8), ("郑", 8), ("谢", 7),
    ("韩", 7), ("唐", 7), ("冯", 7), ("于", 6), ("董", 6), ("萧", 5), ("程", 5), ("曹", 5), ("袁", 5),
    ("邓", 5), ("许", 5), ("傅", 4), ("沈", 4), ("彭", 4), ("吕", 4), ("苏", 4), ("卢", 4), ("蒋", 4),
    ("蔡", 4), ("贾", 3), ("丁", 3), ("魏", 3), ("薛", 3), ("叶", 3), ("阎", 2), ("余", 3), ("潘", 3),
    ("杜", 3), ("戴", 2), ("夏", 2), ("钟", 2), ("汪", 2), ("田", 2), ("任", 2), ("姜", 2), ("范", 2),
    ("方", 2), ("石", 2), ("姚", 2), ("谭", 2), ("廖", 2), ("邹", 2), ("熊", 2), ("金", 2), ("陆", 2),
    ("曾", 6), ("单", 3), ("解", 3), ("仇", 2), ("区", 2), ("查", 2), ("盖", 1), ("朴", 1),
)  # fmt: skip
POLYPHONIC = ("曾", "单", "解", "仇", "区", "查")
MALE_CHARS = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宁建国志文海东林峰俊浩宇晨博铭德福祥荣庆顺"
FEMALE_CHARS = "芳娜敏静丽艳娟霞秀英玲桂兰红梅琳雪琴云莲洁萍燕颖婷慧佳欣怡悦雯淑珍凤"
ESTATES = (
    "阳光花园", "和谐家园", "翠竹苑", "金桥小区", "春华里", "东风新村", "锦绣华庭", "幸福里", "丽景苑",
    "枫林小区", "安居苑", "长青园", "桂花园", "新华小区", "明珠花园", "绿洲家园", "文化里", "康乐小区",
    "紫荆苑", "滨河花园", "朝阳新村", "书香苑", "福润家园", "海棠小区", "银杏苑", "江南华府", "祥和小区",
    "百合苑", "华苑新城", "清水湾",
)  # fmt: skip
ZONE_NAMES = (
    "东片区",
    "南片区",
    "西片区",
    "北片区",
    "中片区",
    "东北片区",
    "西北片区",
    "东南片区",
    "西南片区",
)
TEAM_WORDS = "一二三四五六七八九十"

MET_NOTES = (
    "", "", "", "身体状况良好", "了解近期生活情况", "老人精神不错，叮嘱天冷注意保暖", "宣传防范电信诈骗知识",
    "登记近期用药情况", "帮助联系社区医生上门", "了解家庭就业情况", "提醒家中用电用气安全",
    "送去社区活动通知", "询问子女探望情况", "核对户籍信息", "宣传垃圾分类",
)  # fmt: skip
OTHER_NOTES = {
    "absent": ("无人在家，已在门上留联系卡", "敲门无人应答", "邻居说外出探亲", "电话未接通，改日再访"),
    "refused": ("住户表示不需要走访", "住户不愿开门，隔门交谈了几句"),
    "other": ("电话联系了解情况，未入户", "在小区门口遇到，简单交谈"),
}
NEED_NOTES = {
    "assistance": "申请临时救助",
    "employment": "咨询就业培训",
    "medical": "反映看病报销问题",
    "housing": "反映楼道漏水",
    "dispute": "反映邻里噪音纠纷",
    "elderly_care": "咨询居家养老服务",
    "other": "反映小区停车难",
}
MATTER_TITLES = {
    "emergency": ("停水抢修", "电梯困人", "暴雨积水", "燃气泄漏报警", "楼道起火"),
    "activity": ("重阳节敬老活动", "社区义诊", "消防演练", "垃圾分类宣传", "居民议事会", "文明创建迎检"),
    "illness": ("家中老人住院", "居民突发疾病住院", "独居老人摔伤住院"),
    "dispute": ("邻里噪音纠纷", "楼道堆物纠纷", "漏水引发邻里矛盾", "停车位纠纷"),
    "hardship": ("家中失火", "突发困难申请救助", "家人失业生活困难"),
    "wedding_funeral": ("居民家办丧事", "居民家办婚礼"),
}
# Kinds of the matters a team meets in its zone in a week, with weights.
ZONE_KINDS = (("illness", 30), ("dispute", 25), ("wedding_funeral", 20), ("hardship", 15), ("emergency", 10))
# Visit outcomes of a first attempt (an absent or refused one is tried again a few days later).
OUTCOME_WEIGHTS = (("met", 84), ("absent", 11), ("refused", 3), ("other", 2))
# How diligent each team is: the share of its ordinary households it gets to know in a year, the share
# of weeks it slips to two field days, and whether it visits priority households a little ahead of their
# due date. Cycled for more teams. T1 keeps the whole routine and T3 struggles, so the demo shows both.
TEAM_DILIGENCE = (
    (0.82, 0.03, True),
    (0.76, 0.10, False),
    (0.62, 0.30, False),
    (0.78, 0.08, False),
    (0.71, 0.12, False),
    (0.86, 0.05, True),
)


@dataclass
class Person:
    """One resident of the generated community."""

    name: str
    gender: str  # M or F
    birth_date: date
    relation: str
    id_number: str = ""
    phone: str = ""
    groups: list[str] = field(default_factory=list)
    since: date | None = None


@dataclass
class Household:
    """One generated household with its address and residents."""

    no: str
    zone: int
    estate: str
    building: str
    unit: str
    room: str
    people: list[Person] = field(default_factory=list)


class DemoCommunity:
    """A generated community: staff and roster rows at hand, the history generated while it is written.

    The history is streamed (a large community's ~100,000 visits would not fit the memory budget as
    objects), so `write` is the one way to get it, and only once.
    """

    def __init__(self, generator: _Generator, staff: list[list[Any]], roster: list[list[Any]]) -> None:
        self._generator = generator
        self.staff = staff
        self.roster = roster
        self.visits = 0
        self.matters = 0

    def write(self, folder: Path) -> None:
        """Write `staff.csv`, `roster.csv` (SPEC §6) and `visits.csv`, `matters.csv` (bundle columns)."""
        write_csv(folder / "staff.csv", STAFF_HEADER, self.staff)
        write_csv(folder / "roster.csv", ROSTER_HEADER, self.roster)
        gen = self._generator
        visits: Iterable[list[Any]] = gen.visit_rows()
        if gen.count <= SORTED_UP_TO:
            visits = sorted(visits, key=lambda cells: (cells[3], cells[1]))  # by date: easy to read
        self.visits = write_csv(folder / "visits.csv", bundle_columns("visits.csv"), visits)
        matters = sorted(gen.matter_rows(), key=lambda cells: cells[6])
        self.matters = write_csv(folder / "matters.csv", bundle_columns("matters.csv"), matters)


def zone_count(households: int) -> int:
    """Zones (and teams) of a generated community: about one per 1,400 households, at least 4."""
    return max(4, round(households / HOUSEHOLDS_PER_ZONE))


def _is_workday(day: date) -> bool:
    import chinese_calendar

    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        # Beyond the calendar's data: Monday to Friday, as SPEC §4 falls back.
        return day.weekday() < 5


class _Generator:
    """One run of the seeded generator; every random choice comes from `self.rng`."""

    def __init__(self, households: int, seed: int, end: date, weeks: int) -> None:
        self.rng = random.Random(seed)
        self.count = households
        self.end = end
        self.start = end - timedelta(days=weeks * 7 - 1)
        self.zones = zone_count(households)
        self.community_id = community_id_for(COMMUNITY)
        self.tz = ZoneInfo(DEFAULT_TIMEZONE)
        self.id_numbers: set[str] = set()
        self._surnames = [s for s, _ in SURNAMES]
        self._surname_weights = [w for _, w in SURNAMES]
        self.households: list[Household] = []
        # The updated_at of every history row in the files (the loader stamps its own).
        self.seal = format_stamp(datetime.combine(end, time(12, 0), tzinfo=UTC))
        self._ids: dict[tuple[str, str], str] = {}
        self._teams: dict[int, tuple[str, list[str], str]] = {}
        self._outcomes = [o for o, _ in OUTCOME_WEIGHTS]
        self._outcome_cum = list(accumulate(w for _, w in OUTCOME_WEIGHTS))

    def nid(self, kind: str, key: str) -> str:
        # Cached: a uuid5 per reference of 100,000 visits would take seconds.
        found = self._ids.get((kind, key))
        if found is None:
            found = self._ids[(kind, key)] = natural_id(self.community_id, kind, key)
        return found

    def uuid4(self) -> str:
        # What str(uuid.UUID(int=bits, version=4)) gives, without building the object.
        bits = self.rng.getrandbits(128)
        bits = (bits & ~(0xC000 << 48)) | (0x8000 << 48)
        bits = (bits & ~(0xF000 << 64)) | (4 << 76)
        h = f"{bits:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    # -- people ------------------------------------------------------------------------------------

    def surname(self) -> str:
        return self.rng.choices(self._surnames, self._surname_weights)[0]

    def given(self, gender: str) -> str:
        chars = MALE_CHARS if gender == "M" else FEMALE_CHARS
        return "".join(self.rng.choice(chars) for _ in range(1 if self.rng.random() < 0.3 else 2))

    def person(self, surname: str, gender: str, age: int, relation: str) -> Person:
        age = max(0, min(age, 102))
        born = self.end - timedelta(days=age * 365 + age // 4 + self.rng.randrange(365))
        return Person(surname + self.given(gender), gender, born, relation)

    def phone(self) -> str:
        return self.rng.choice(("13", "15", "18", "17")) + f"{self.rng.randrange(10**9):09d}"

    def id_number(self, person: Person) -> str:
        while True:
            region = f"99{self.rng.randrange(1, 30):02d}{self.rng.randrange(1, 20):02d}"
            seq = self.rng.randrange(0, 100) * 10 + self.rng.choice(
                (1, 3, 5, 7, 9) if person.gender == "M" else (0, 2, 4, 6, 8)
            )
            first17 = f"{region}{person.birth_date:%Y%m%d}{seq:03d}"
            number = first17 + check_digit(first17)
            if number not in self.id_numbers:
                self.id_numbers.add(number)
                return number

    def family(self, surname: str | None = None) -> list[Person]:
        rng = self.rng
        size = rng.choices((1, 2, 3, 4, 5), (20, 30, 26, 16, 8))[0]
        husband_name = surname or self.surname()
        wife_name = self.surname()
        if size == 1:
            age = rng.randint(60, 95) if rng.random() < 0.6 else rng.randint(22, 59)
            gender = "F" if rng.random() < 0.6 else "M"
            return [self.person(husband_name, gender, age, "户主")]
        elderly_couple = size == 2 and rng.random() < 0.5
        head_age = rng.randint(62, 90) if elderly_couple else rng.randint(26, 62)
        people = [
            self.person(husband_name, "M", head_age, "户主"),
            self.person(wife_name, "F", head_age - rng.randint(-2, 5), "配偶"),
        ]
        children = size - 2
        if size == 5 or (size == 4 and rng.random() < 0.4):
            parent_gender = "F" if rng.random() < 0.65 else "M"
            parent_age = head_age + rng.randint(23, 32)
            people.append(
                self.person(
                    husband_name if parent_gender == "M" else self.surname(),
                    parent_gender,
                    parent_age,
                    "母亲" if parent_gender == "F" else "父亲",
                )
            )
            children -= 1
        for _ in range(children):
            gender = rng.choice("MF")
            age = head_age - rng.randint(24, 34)
            people.append(self.person(husband_name, gender, age, "儿子" if gender == "M" else "女儿"))
        return people

    def make_households(self) -> None:
        rng = self.rng
        width = max(5, len(str(self.count)))
        per_zone = [
            self.count // self.zones + (1 if z < self.count % self.zones else 0) for z in range(self.zones)
        ]
        estate_names = list(ESTATES)
        rng.shuffle(estate_names)
        estate_index = 0
        seq = 0
        for zone, wanted in enumerate(per_zone):
            made = 0
            while made < wanted:
                base = estate_names[estate_index % len(estate_names)]
                rounds = estate_index // len(estate_names)
                estate = base if rounds == 0 else f"{base}{TEAM_WORDS[min(rounds, 9)]}期"
                estate_index += 1
                for building in range(1, rng.randint(4, 12) + 1):
                    for unit in (1, 2):
                        for floor in range(1, 7):
                            for room in (1, 2):
                                if made >= wanted:
                                    break
                                seq += 1
                                made += 1
                                self.households.append(
                                    Household(
                                        f"XF{seq:0{width}d}",
                                        zone,
                                        estate,
                                        f"{building}号楼",
                                        f"{unit}单元",
                                        f"{floor}0{room}",
                                    )
                                )
        # Every polyphonic surname appears at least once, however small the community.
        chosen = rng.sample(range(len(self.households)), min(len(POLYPHONIC), len(self.households)))
        special = dict(zip(chosen, POLYPHONIC, strict=False))
        for index, household in enumerate(self.households):
            people = self.family(special.get(index))
            names: set[str] = set()
            for person in people:
                while person.name in names:  # names are unique within a household (the roster's key)
                    person.name = person.name[0] + self.given(person.gender)
                names.add(person.name)
            household.people = people
            self.assign_groups(household)

    def assign_groups(self, household: Household) -> None:
        rng = self.rng
        people = household.people
        alone = len(people) == 1
        elderly_couple = len(people) == 2 and all(self.age(p) >= 65 for p in people)
        poor = rng.random() < 0.012
        for index, person in enumerate(people):
            age = self.age(person)
            groups: list[str] = []
            if age >= 80 and rng.random() < 0.45:
                groups.append("elderly")
            elif elderly_couple and rng.random() < 0.18:
                groups.append("elderly")  # 空巢
            if alone and age >= 60:
                roll = rng.random()
                if roll < 0.22:
                    groups.append("solitary")
                elif roll < 0.45:
                    groups.append("widowed")
            if poor and index == 0:
                groups.append("poor")
            if age >= 5 and rng.random() < 0.008:
                groups.append("frail")
            if age >= 40 and rng.random() < 0.01:
                groups.append("ill")
            person.groups = groups
            if groups:
                days = (self.end - self.start).days
                if rng.random() < 0.75:
                    person.since = self.start - timedelta(days=rng.randint(30, 900))
                else:
                    person.since = self.start + timedelta(days=rng.randrange(max(1, days - 7)))
            if rng.random() < 0.01:
                person.id_number = ""  # an incomplete record: matched by household_no + name
            else:
                person.id_number = self.id_number(person)
            if (18 <= age < 80 and rng.random() < 0.85) or (age >= 80 and rng.random() < 0.4):
                person.phone = self.phone()

    def age(self, person: Person) -> int:
        born = person.birth_date
        return self.end.year - born.year - ((self.end.month, self.end.day) < (born.month, born.day))

    # -- staff and roster ----------------------------------------------------------------------------

    def staff_rows(self) -> list[list[Any]]:
        rows = []
        taken: set[str] = set()
        for zone in range(self.zones):
            zone_code, team_code = f"Z{zone + 1}", f"T{zone + 1}"
            zone_name = ZONE_NAMES[zone] if zone < len(ZONE_NAMES) else f"第{zone + 1}片区"
            team_name = f"第{TEAM_WORDS[zone]}小组" if zone < len(TEAM_WORDS) else f"第{zone + 1}小组"
            for member in (0, 1):
                gender = "F" if self.rng.random() < 0.6 else "M"
                name = self.surname() + self.given(gender)
                while name in taken:
                    name = self.surname() + self.given(gender)
                taken.add(name)
                code = f"C{zone * 2 + member + 1:02d}"
                rows.append([code, name, self.phone(), team_code, zone_code, team_name, zone_name])
        return rows

    def roster_rows(self) -> list[list[Any]]:
        rows = []
        for h in self.households:
            for p in h.people:
                rows.append(
                    [
                        h.no, f"Z{h.zone + 1}", h.estate, h.building, h.unit, h.room, p.name,
                        "男" if p.gender == "M" else "女", p.birth_date.isoformat(), p.id_number, p.phone,
                        p.relation, ";".join(p.groups), p.since.isoformat() if p.since else "", "",
                    ]
                )  # fmt: skip
        return rows

    # -- history -------------------------------------------------------------------------------------

    def field_days(self, slip: float) -> list[date]:
        """The days a team goes out: 3 to 5 working days most weeks, 2 when it slips."""
        rng = self.rng
        days: list[date] = []
        monday = self.start - timedelta(days=self.start.weekday())
        while monday <= self.end:
            week = [monday + timedelta(days=i) for i in range(7)]
            working = [d for d in week if _is_workday(d) and self.start <= d <= self.end]
            wanted = 2 if rng.random() < slip else rng.choices((3, 4, 5), (40, 40, 20))[0]
            days += sorted(rng.sample(working, min(wanted, len(working))))
            monday += timedelta(days=7)
        return days

    def visit(
        self,
        h: Household,
        day: date,
        team: int,
        outcome: str,
        met: Sequence[Person] = (),
    ) -> list[Any]:
        rng = self.rng
        team_id, members, both = self.team_cells(team)
        cadres = both if rng.random() < 0.9 else rng.choice(members)
        needs: list[str] = []
        notes = rng.choice(MET_NOTES) if outcome == "met" else rng.choice(OTHER_NOTES[outcome])
        follow_up = None
        assistance = None
        if outcome == "met" and rng.random() < 0.1:
            is_poor = any("poor" in p.groups for p in h.people)
            needs = ["assistance"] if is_poor and rng.random() < 0.6 else [rng.choice(list(NEED_NOTES))]
            notes = "，".join(x for x in (notes, NEED_NOTES[needs[0]]) if x)
            if rng.random() < 0.4:
                follow_up = day + timedelta(days=rng.randint(7, 21))
            if needs == ["assistance"] and rng.random() < 0.4:
                assistance = rng.choice(("200", "300", "500", "150.50", "1000"))
        return [
            self.uuid4(),
            self.nid("household", h.no),
            team_id,
            day.isoformat(),
            cadres,
            outcome,
            ";".join(self.resident_id(h, p) for p in met),
            ";".join(needs),
            notes,
            follow_up.isoformat() if follow_up else "",
            assistance or "",
            self.seal,
            "seed",
            0,
        ]

    def team_cells(self, team: int) -> tuple[str, list[str], str]:
        """The team's id, its two cadres' ids, and both joined as a visit's cadre_ids."""
        found = self._teams.get(team)
        if found is None:
            members = [self.nid("cadre", f"C{team * 2 + i + 1:02d}") for i in (0, 1)]
            found = self._teams[team] = (self.nid("team", f"T{team + 1}"), members, ";".join(members))
        return found

    def resident_id(self, h: Household, p: Person) -> str:
        return self.nid("resident", p.id_number or f"{h.no}/{p.name}")

    def outcome(self) -> str:
        return self.rng.choices(self._outcomes, cum_weights=self._outcome_cum)[0]

    def by_zone(self) -> dict[int, list[Household]]:
        """The households of each zone, in household_no order."""
        zones: dict[int, list[Household]] = {}
        for h in self.households:
            zones.setdefault(h.zone, []).append(h)
        return zones

    def visit_rows(self) -> Iterator[list[Any]]:
        """Every visit of the history, team by team, household by household, as bundle cells."""
        by_zone = self.by_zone()
        for team in range(self.zones):
            diligence, slip, punctual = TEAM_DILIGENCE[team % len(TEAM_DILIGENCE)]
            days = self.field_days(slip)
            if not days:
                continue

            def on_or_after(target: date, days: list[date] = days) -> date | None:
                i = bisect_left(days, target)
                return days[i] if i < len(days) else None

            for h in by_zone.get(team, []):
                priority = [p for p in h.people if p.groups]
                if priority:
                    yield from self.priority_visits(h, team, priority, on_or_after, punctual)
                else:
                    yield from self.ordinary_visits(h, team, diligence, on_or_after)

    def matter_rows(self) -> Iterator[list[Any]]:
        """Every matter of the history as bundle cells."""
        by_zone = self.by_zone()
        for team in range(self.zones):
            yield from self.zone_matters(team, by_zone.get(team, []))
        yield from self.community_matters()

    def priority_visits(
        self, h: Household, team: int, priority: list[Person], on_or_after: Any, punctual: bool
    ) -> list[list[Any]]:
        """Visited on roughly their cadence: mostly on time, sometimes a few days late, now and then not."""
        rng = self.rng
        cadence = min(GROUPS_BY_CODE[g].cadence_days for p in priority for g in p.groups)
        since = min(p.since or self.start for p in priority)
        target = max(self.start, since) + timedelta(days=rng.randrange(cadence))
        visits: list[list[Any]] = []
        while True:
            day = on_or_after(target)
            if day is None:
                return visits
            outcome = self.outcome()
            visits.append(self.visit(h, day, team, outcome, priority if outcome == "met" else ()))
            if outcome != "met":
                target = day + timedelta(days=rng.randint(1, 3))
                continue
            roll = rng.random()
            if punctual:
                # Planned a few days ahead, so that a rainy day or an empty flat does not make it overdue.
                late = rng.randint(-2, 0)
            elif roll < 0.6:
                late = rng.randint(-1, 2)
            elif roll < 0.9:
                late = rng.randint(2, 6)
            else:
                late = rng.randint(cadence // 2, cadence * 2)
            target = day + timedelta(days=cadence + late)

    def ordinary_visits(self, h: Household, team: int, diligence: float, on_or_after: Any) -> list[list[Any]]:
        """Each year (counted back from the end) an ordinary household is met with the team's diligence."""
        rng = self.rng
        visits: list[list[Any]] = []
        block_end = self.end
        while block_end >= self.start:
            block_start = max(self.start, block_end - timedelta(days=364))
            if rng.random() < diligence:
                span = (block_end - block_start).days
                target = block_start + timedelta(days=rng.randint(0, span))
                for _attempt in range(3):
                    day = on_or_after(target)
                    if day is None:
                        break
                    outcome = self.outcome()
                    head = h.people[:1] if outcome == "met" and rng.random() < 0.6 else []
                    visits.append(self.visit(h, day, team, outcome, head))
                    if outcome == "met":
                        break
                    target = day + timedelta(days=rng.randint(3, 14))
            block_end = block_start - timedelta(days=1)
        return visits

    def moment(self, day: date, earliest: int = 7, latest: int = 21) -> datetime:
        local = datetime.combine(
            day,
            time(self.rng.randint(earliest, latest - 1), self.rng.choice((0, 10, 15, 20, 30, 40, 45, 50))),
        )
        return local.replace(tzinfo=self.tz).astimezone(UTC)

    def attendance(
        self, occurred: datetime, kind: str, cadres: list[str]
    ) -> tuple[datetime | None, list[str]]:
        """Mostly within the kind's target, sometimes late, now and then not (yet) attended."""
        rng = self.rng
        target = KINDS_BY_CODE[kind].target
        roll = rng.random()
        if roll < 0.04 and kind != "activity":  # every cadre goes to the community's activities
            return None, []
        share = rng.uniform(0.1, 0.9) if roll < 0.9 else rng.uniform(1.1, 2.5)
        attended = occurred + timedelta(minutes=max(5, round(target.total_seconds() / 60 * share)))
        last_moment = datetime.combine(self.end, time(23, 59)).replace(tzinfo=self.tz)
        if attended > last_moment:
            return None, []  # would lie after the history's end: still open
        return attended.replace(second=0, microsecond=0), cadres

    def matter(
        self,
        kind: str,
        scope: str,
        where: str,
        occurred: datetime,
        attended: datetime | None,
        by: list[str],
    ) -> list[Any]:
        """One matter as bundle cells; `where` is the zone's or household's id for those scopes."""
        return [
            self.uuid4(),
            kind,
            self.rng.choice(MATTER_TITLES[kind]),
            scope,
            where if scope == "zone" else "",
            where if scope == "household" else "",
            format_stamp(occurred),
            format_stamp(attended) if attended else "",
            ";".join(by),
            "",
            self.seal,
            "seed",
            0,
        ]

    def zone_matters(self, team: int, households: list[Household]) -> list[list[Any]]:
        """Zero to two matters a week in the team's zone, mostly one household's."""
        rng = self.rng
        matters = []
        members = [self.nid("cadre", f"C{team * 2 + i + 1:02d}") for i in (0, 1)]
        kinds, weights = [k for k, _ in ZONE_KINDS], [w for _, w in ZONE_KINDS]
        day = self.start
        while day <= self.end and households:
            for _ in range(rng.choices((0, 1, 2), (30, 50, 20))[0]):
                when = day + timedelta(days=rng.randrange(7))
                if when > self.end:
                    continue
                kind = rng.choices(kinds, weights)[0]
                occurred = self.moment(when)
                attended, by = self.attendance(occurred, kind, members if rng.random() < 0.7 else members[:1])
                household = rng.choice(households)
                if kind == "emergency" and rng.random() < 0.6:
                    where, scope = self.nid("zone", f"Z{team + 1}"), "zone"
                else:
                    where, scope = self.nid("household", household.no), "household"
                matters.append(self.matter(kind, scope, where, occurred, attended, by))
            day += timedelta(days=7)
        return matters

    def community_matters(self) -> list[list[Any]]:
        """An important activity every two to four weeks, attended by every cadre."""
        rng = self.rng
        everyone = [self.nid("cadre", f"C{i + 1:02d}") for i in range(self.zones * 2)]
        matters = []
        day = self.start + timedelta(days=rng.randrange(7))
        while day <= self.end:
            occurred = self.moment(day, 9, 16)
            attended, by = self.attendance(occurred, "activity", everyone)
            matters.append(self.matter("activity", "community", "", occurred, attended, by))
            day += timedelta(days=rng.randint(14, 28))
        return matters


def generate(
    households: int, *, seed: int = SEED, end: date = SEED_END, weeks: int = SEED_WEEKS
) -> DemoCommunity:
    """A fictional community of `households` households whose history of `weeks` weeks ends on `end`."""
    if not 1 <= households <= MAX_HOUSEHOLDS:
        raise InvalidInput(f"--households: between 1 and {MAX_HOUSEHOLDS:,}, not {households}")
    gen = _Generator(households, seed, end, weeks)
    staff = gen.staff_rows()
    gen.make_households()
    return DemoCommunity(gen, staff, gen.roster_rows())


# -- loading -----------------------------------------------------------------------------------------------


def seeds_folder() -> Path:
    """`seeds/` of the source tree (beside the package)."""
    return Path(__file__).resolve().parents[2] / "seeds"


def is_filled(store: Store) -> bool:
    """Whether the database holds a community or any household."""
    households = store.db.execute("SELECT COUNT(*) FROM households").fetchone()[0]
    return store.community() is not None or households > 0


# Tables `--force` empties, children first (foreign keys).
WIPED_TABLES = (
    "plans",
    "visits",
    "matters",
    "memberships",
    "residents",
    "households",
    "teams",
    "cadres",
    "zones",
    "settings",
    "sync_peers",
)


def _wipe(store: Store) -> None:
    known = {row[0] for row in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in WIPED_TABLES:
        if table in known:
            store.db.execute(f"DELETE FROM {table}")


def _shifted_roster(source: Path, target: Path, days: int) -> None:
    """A copy of the roster whose `groups_since` dates move with the history."""
    columns = dict(zip(ROSTER_KEYS, ROSTER_HEADER, strict=True))
    table = read_csv(source, columns, required=("household_no", "zone", "name"))
    header = [columns[k] if k else h for h, k in zip(table.header, table.keys, strict=True)]
    rows = []
    for record in table.records:
        cells = dict(record.values)
        since = cells.get("groups_since", "")
        if since:
            cells["groups_since"] = (date.fromisoformat(since) + timedelta(days=days)).isoformat()
        rows.append([cells.get(k, "") if k else "" for k in table.keys])
    write_csv(target, header, rows)


@dataclass
class DemoSummary:
    """What `demo` loaded."""

    zones: int
    teams: int
    households: int
    residents: int
    visits: int
    matters: int
    shift_days: int

    def lines(self, lang: str) -> list[str]:
        """The summary printed by `demo`."""
        if lang == "zh":
            return [
                f"已载入演示社区 {COMMUNITY}：片区 {self.zones}，小组 {self.teams}，户 {self.households:,}，"
                f"居民 {self.residents:,}，走访 {self.visits:,}，事项 {self.matters:,}"
            ]
        return [
            f"loaded the demo community {COMMUNITY}: {self.zones} zones, {self.teams} teams, "
            f"{self.households:,} households, {self.residents:,} residents, {self.visits:,} visits, "
            f"{self.matters:,} matters"
        ]


def load_demo(
    store: Store, folder: Path, *, force: bool = False, shift_days: int | None = None
) -> DemoSummary:
    """Fill the database from the four demo files in `folder`, through the real import code.

    Refused (exit 3) on a database holding a community or any household, unless `force`, which empties
    those tables first, in the same transaction. The history is shifted so that it ends yesterday
    (`shift_days` when the caller knows it: a community generated to end yesterday needs 0).
    """
    from cadre_tui.io.roster import import_roster
    from cadre_tui.io.staff import import_staff

    missing = [name for name in SEED_FILES if not (folder / name).is_file()]
    if missing:
        raise InvalidInput(f"{folder}: missing {', '.join(missing)}")
    if is_filled(store) and not force:
        where = store.path or "the database"
        raise Refused(f"{where}: already holds data; add --force to replace it with the demo community")
    if force and is_filled(store) and store.path is not None:
        from cadre_tui.store.backup import backup_before

        backup_before(store, "demo")
    visits_file, matters_file = folder / "visits.csv", folder / "matters.csv"
    tz = ZoneInfo(DEFAULT_TIMEZONE)
    yesterday = store.clock().astimezone(tz).date() - timedelta(days=1)
    if shift_days is None:
        latest = latest_day(visits_file, matters_file, tz)
        shift = (yesterday - latest).days if latest else 0
    else:
        shift = shift_days
    with tempfile.TemporaryDirectory(prefix="cadre-demo-") as private:
        roster = folder / "roster.csv"
        if shift:
            roster = Path(private) / "roster.csv"
            _shifted_roster(folder / "roster.csv", roster, shift)
        with store.transaction():
            _wipe(store)
            store.set_community(COMMUNITY, None, DEFAULT_TIMEZONE)
            import_staff(store, folder / "staff.csv", backup=False)
            import_roster(store, roster, backup=False)
            visits, matters = load_history(store, visits_file, matters_file, shift_days=shift)
    return DemoSummary(
        zones=_count(store, "zones"),
        teams=_count(store, "teams"),
        households=_count(store, "households"),
        residents=_count(store, "residents"),
        visits=visits,
        matters=matters,
        shift_days=shift,
    )


def _count(store: Store, table: str) -> int:
    return int(store.db.execute(f"SELECT COUNT(*) FROM {table} WHERE deleted = 0").fetchone()[0])


def load_generated(store: Store, households: int, *, force: bool = False, seed: int = SEED) -> DemoSummary:
    """Generate a community of `households` households with two years of history ending yesterday; load it."""
    if is_filled(store) and not force:
        where = store.path or "the database"
        raise Refused(f"{where}: already holds data; add --force to replace it with the demo community")
    end = store.clock().astimezone(ZoneInfo(DEFAULT_TIMEZONE)).date() - timedelta(days=1)
    community = generate(households, seed=seed, end=end, weeks=LARGE_WEEKS)
    folder = Path(tempfile.mkdtemp(prefix="cadre-demo-"))  # 0700: the files hold (fictional) personal data
    try:
        community.write(folder)
        del community  # the loader reads the files back: free the generator's rows first
        return load_demo(store, folder, force=force, shift_days=0)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def load_seeds(store: Store, *, force: bool = False) -> DemoSummary:
    """Load the demo community of `seeds/`; regenerate the same files when the source tree has none."""
    folder = seeds_folder()
    if all((folder / name).is_file() for name in SEED_FILES):
        return load_demo(store, folder, force=force)
    if is_filled(store) and not force:
        where = store.path or "the database"
        raise Refused(f"{where}: already holds data; add --force to replace it with the demo community")
    private = Path(tempfile.mkdtemp(prefix="cadre-demo-"))
    try:
        generate(SEED_HOUSEHOLDS).write(private)
        return load_demo(store, private, force=force)
    finally:
        shutil.rmtree(private, ignore_errors=True)
