"""The community's settings of the 23766 routine: keys, defaults, parsing and checking of values. Pure.

Values are stored as JSON in the `settings` table: cadences and windows in days (int), matter targets in
minutes (int), the familiarity target as a number, days off as a sorted list of `YYYY-MM-DD`, `me` and
labels as text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from cadre_tui.core.dates import parse_iso_date
from cadre_tui.core.domain import (
    DAILY_CAPACITY,
    FAMILIARITY_TARGET,
    FAMILIARITY_WINDOW_DAYS,
    MATTER_KINDS,
    PRIORITY_GROUPS,
    REVISIT_INTERVAL_DAYS,
)
from cadre_tui.messages import Problem

# The app locks an encrypted database after this many minutes without a key press.
LOCK_MINUTES = 10


@dataclass(frozen=True)
class SettingDef:
    """One setting: its key, default (stored form), kind of value and what it means."""

    key: str
    default: Any
    kind: str  # days | minutes | ratio | count | dates | label | code
    zh: str
    en: str


def _definitions() -> dict[str, SettingDef]:
    defs: list[SettingDef] = []
    for g in PRIORITY_GROUPS:
        defs.append(
            SettingDef(
                f"cadence.{g.code}",
                g.cadence_days,
                "days",
                f"{g.zh}：至少每几天走访一次",
                f"visit {g.en} every N days",
            )
        )
    for g in PRIORITY_GROUPS:
        defs.append(
            SettingDef(f"label.{g.code}", g.zh, "label", f"重点人群 {g.code} 的名称", f"label of {g.en}")
        )
    for k in MATTER_KINDS:
        defs.append(
            SettingDef(
                f"target.{k.code}",
                int(k.target.total_seconds() // 60),
                "minutes",
                f"{k.zh}：到场时限",
                f"{k.en}: respond within",
            )
        )
    defs += [
        SettingDef(
            "familiarity.window_days",
            FAMILIARITY_WINDOW_DAYS,
            "days",
            "熟悉度：见面记录的有效天数",
            "familiarity: a met visit counts for N days",
        ),
        SettingDef(
            "familiarity.target",
            FAMILIARITY_TARGET,
            "ratio",
            "熟悉度目标（0–1 或百分比）",
            "familiarity target (0-1 or a percentage)",
        ),
        SettingDef(
            "capacity", DAILY_CAPACITY, "count", "每个外出日最多走访户数", "households per field day at most"
        ),
        SettingDef(
            "revisit_days",
            REVISIT_INTERVAL_DAYS,
            "days0",
            "无人在家或拒绝后几天内回访",
            "revisit within N days after absent or refused",
        ),
        SettingDef(
            "days_off",
            [],
            "dates",
            "社区另行放假的日期（逗号分隔；+日期 添加，-日期 删除）",
            "community days off (comma-separated; +DATE adds, -DATE removes)",
        ),
        SettingDef("me", None, "code", "本机干部编号", "the cadre code of this laptop"),
        SettingDef(
            "lock_minutes",
            LOCK_MINUTES,
            "count",
            "应用无按键几分钟后锁定（加密的数据库）",
            "lock the app after N minutes without a key press (encrypted database)",
        ),
    ]
    return {d.key: d for d in defs}


SETTINGS: dict[str, SettingDef] = _definitions()

_DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*(h|m|小时|分钟|分)?$", re.IGNORECASE)
_CODE = re.compile(r"^[A-Za-z0-9_\-]{1,32}$")


def setting_def(key: str) -> SettingDef:
    """The definition of `key`; ValueError naming the known keys when there is none."""
    found = SETTINGS.get(key.strip())
    if found is None:
        raise Problem("settings.unknown", key=repr(key.strip()), known=", ".join(SETTINGS))
    return found


def parse_minutes(text: str) -> int:
    """`90m`, `2h`, `1.5h` or a bare number of hours, as whole minutes (at least 1)."""
    m = _DURATION.match(text.strip())
    if not m:
        raise Problem("settings.not_duration", value=text.strip())
    amount = Decimal(m[1])
    unit = (m[2] or "h").lower()
    minutes = amount if unit in ("m", "分钟", "分") else amount * 60
    if minutes != minutes.to_integral_value() or minutes < 1:
        raise Problem("settings.duration_minutes", value=text.strip())
    return int(minutes)


def format_minutes(minutes: int) -> str:
    """`2h` for whole hours, else `90m`."""
    return f"{minutes // 60}h" if minutes % 60 == 0 else f"{minutes}m"


def _parse_int(text: str, least: int) -> int:
    raw = text.strip()
    if not re.fullmatch(r"\d+", raw):
        raise Problem("settings.not_whole", value=raw)
    value = int(raw)
    if value < least:
        raise Problem("settings.at_least", least=least, value=raw)
    return value


def _parse_ratio(text: str) -> float:
    raw = text.strip()
    percent = raw.endswith("%")
    try:
        value = Decimal(raw.rstrip("%").strip())
    except InvalidOperation:
        raise Problem("settings.not_number", value=raw) from None
    if percent:
        value /= 100
    if not value.is_finite() or not (0 <= value <= 1):
        raise Problem("settings.not_ratio", value=raw)
    return float(value)


def _parse_dates(text: str, current: list[str]) -> list[str]:
    raw = text.strip()
    chosen = set(current)
    if raw in ("", "none", "无"):
        return []
    if raw[0] in "+-":
        day = parse_iso_date(raw[1:]).isoformat()
        if raw[0] == "+":
            chosen.add(day)
        else:
            chosen.discard(day)
        return sorted(chosen)
    return sorted({parse_iso_date(part).isoformat() for part in raw.split(",") if part.strip()})


def parse_setting(key: str, text: str, current: Any = None) -> Any:
    """The stored form of `text` for `key` (`current` is the value `+D`/`-D` change); ValueError when bad."""
    definition = setting_def(key)
    kind = definition.kind
    if kind == "days":
        return _parse_int(text, 1)
    if kind == "days0":
        return _parse_int(text, 0)
    if kind == "count":
        return _parse_int(text, 1)
    if kind == "minutes":
        return parse_minutes(text)
    if kind == "ratio":
        return _parse_ratio(text)
    if kind == "dates":
        return _parse_dates(text, list(current or []))
    if kind == "label":
        label = text.strip()
        if not label:
            raise Problem("settings.empty_label")
        return label
    code = text.strip()
    if code in ("", "none"):
        return None
    if not _CODE.match(code):
        raise Problem("settings.not_code", value=code)
    return code


def format_setting(key: str, value: Any) -> str:
    """The value as `config` shows it and accepts it back."""
    kind = setting_def(key).kind
    if value is None:
        return ""
    if kind == "minutes":
        return format_minutes(int(value))
    if kind == "dates":
        return ",".join(value)
    return str(value)


@dataclass(frozen=True)
class Rules:
    """The settings the scorecard and the planner apply, in ready-to-use form."""

    cadences: Mapping[str, int]
    labels: Mapping[str, str]
    targets: Mapping[str, timedelta]
    familiarity_window_days: int
    familiarity_target: Decimal
    capacity: int
    revisit_days: int
    days_off: frozenset[date]
    me: str | None


def rules_from(values: Mapping[str, Any]) -> Rules:
    """Rules from stored setting values; a key missing from `values` takes its default."""

    def get(key: str) -> Any:
        return values.get(key, SETTINGS[key].default)

    return Rules(
        cadences={g.code: int(get(f"cadence.{g.code}")) for g in PRIORITY_GROUPS},
        labels={g.code: str(get(f"label.{g.code}")) for g in PRIORITY_GROUPS},
        targets={k.code: timedelta(minutes=int(get(f"target.{k.code}"))) for k in MATTER_KINDS},
        familiarity_window_days=int(get("familiarity.window_days")),
        # Decimal from the shown text, so 0.7 compares as exactly seven tenths.
        familiarity_target=Decimal(str(get("familiarity.target"))),
        capacity=int(get("capacity")),
        revisit_days=int(get("revisit_days")),
        days_off=frozenset(date.fromisoformat(d) for d in get("days_off")),
        me=get("me"),
    )


DEFAULT_RULES: Rules = rules_from({})
