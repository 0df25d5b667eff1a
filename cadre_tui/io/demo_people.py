"""The people of a generated demo community: households at invented addresses, residents, cadres.

Everything here is invented: names drawn from common surnames and given-name characters, addresses in
made-up estates, ID numbers under the region code 99xxxx, which no province has, so that no number can
be a real person's. Every random choice comes from the generator's one seeded `random.Random`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from cadre_tui.core.ids import check_digit
from cadre_tui.core.values import join_list

HOUSEHOLDS_PER_ZONE = 1400

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


def zone_count(households: int) -> int:
    """Zones (and teams) of a generated community: about one per 1,400 households, at least 4."""
    return max(4, round(households / HOUSEHOLDS_PER_ZONE))


class Population:
    """The households, residents and cadres of one generated community, drawn from `rng`."""

    def __init__(self, rng: random.Random, households: int, start: date, end: date) -> None:
        self.rng = rng
        self.count = households
        self.end = end
        self.start = start
        self.zones = zone_count(households)
        self.id_numbers: set[str] = set()
        self._surnames = [s for s, _ in SURNAMES]
        self._surname_weights = [w for _, w in SURNAMES]
        self.households: list[Household] = []

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
                        p.relation, join_list(p.groups), p.since.isoformat() if p.since else "", "",
                    ]
                )  # fmt: skip
        return rows
