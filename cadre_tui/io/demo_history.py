"""The history of a generated demo community: its teams' visits and matters, in the bundle's columns.

Teams differ on purpose (`TEAM_DILIGENCE`), so that the dashboard shows both ticks and crosses. The rows
are generated while they are written, never held whole: a large community has ~100,000 visits.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate
from typing import Any
from zoneinfo import ZoneInfo

from cadre_tui.core.domain import DEFAULT_TIMEZONE, GROUPS_BY_CODE, KINDS_BY_CODE
from cadre_tui.core.values import join_list
from cadre_tui.core.weeks import week_of
from cadre_tui.io.demo_people import Household, Person
from cadre_tui.store.db import format_stamp, natural_id

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


def _is_workday(day: date) -> bool:
    import chinese_calendar

    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        # Beyond the calendar's data: Monday to Friday, as SPEC §4 falls back.
        return day.weekday() < 5


class History:
    """The visits and matters of `households` from `start` to `end`, drawn from `rng`."""

    def __init__(
        self,
        rng: random.Random,
        households: list[Household],
        zones: int,
        community_id: str,
        span: tuple[date, date],
    ) -> None:
        self.rng = rng
        self.households = households
        self.zones = zones
        self.community_id = community_id
        self.start, self.end = span
        self.tz = ZoneInfo(DEFAULT_TIMEZONE)
        # The updated_at of every history row in the files (the loader stamps its own).
        self.seal = format_stamp(datetime.combine(self.end, time(12, 0), tzinfo=UTC))
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

    def field_days(self, slip: float) -> list[date]:
        """The days a team goes out: 3 to 5 working days most weeks, 2 when it slips."""
        rng = self.rng
        days: list[date] = []
        monday = week_of(self.start).monday
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
            join_list(self.resident_id(h, p) for p in met),
            join_list(needs),
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
            found = self._teams[team] = (self.nid("team", f"T{team + 1}"), members, join_list(members))
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
            join_list(by),
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
