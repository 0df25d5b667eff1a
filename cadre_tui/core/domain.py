"""Priority groups, must-attend matter kinds, visit outcomes and needs (SPEC §2), in Chinese and English."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class PriorityGroup:
    """One of the six priority groups (六类重点人群) and its default visit cadence."""

    code: str
    zh: str
    en: str
    cadence_days: int


@dataclass(frozen=True)
class MatterKind:
    """One of the six must-attend matters (六必到) and its default response target."""

    code: str
    zh: str
    en: str
    target: timedelta


@dataclass(frozen=True)
class Label:
    """A code with its Chinese and English label."""

    code: str
    zh: str
    en: str


PRIORITY_GROUPS: tuple[PriorityGroup, ...] = (
    PriorityGroup("solitary", "孤", "solitary", 7),
    PriorityGroup("widowed", "寡", "widowed", 14),
    PriorityGroup("poor", "贫", "poor", 14),
    PriorityGroup("frail", "弱", "frail", 14),
    PriorityGroup("ill", "病", "ill", 7),
    PriorityGroup("elderly", "老", "elderly", 14),
)

MATTER_KINDS: tuple[MatterKind, ...] = (
    MatterKind("emergency", "突发事件", "emergency", timedelta(hours=2)),
    MatterKind("activity", "重要活动", "important activity", timedelta(hours=1)),
    MatterKind("illness", "生病住院", "illness", timedelta(hours=48)),
    MatterKind("dispute", "矛盾纠纷", "dispute", timedelta(hours=24)),
    MatterKind("hardship", "困难灾祸", "hardship", timedelta(hours=24)),
    MatterKind("wedding_funeral", "红白喜事", "wedding or funeral", timedelta(hours=24)),
)

# Order matters: keys 1-5 in the visit form pick these in this order.
OUTCOMES: tuple[Label, ...] = (
    Label("met", "见到本人或家人", "met"),
    Label("absent", "无人在家", "absent"),
    Label("refused", "拒绝", "refused"),
    Label("moved", "已搬离/空置", "moved"),
    Label("other", "其他", "other"),
)

NEEDS: tuple[Label, ...] = (
    Label("assistance", "救助/低保", "assistance"),
    Label("employment", "就业", "employment"),
    Label("medical", "医疗", "medical"),
    Label("housing", "住房", "housing"),
    Label("dispute", "矛盾纠纷", "dispute"),
    Label("elderly_care", "养老", "elderly care"),
    Label("other", "其他", "other"),
)

RESIDENT_STATUSES: tuple[Label, ...] = (
    Label("present", "在住", "present"),
    Label("moved_out", "已迁出", "moved out"),
    Label("deceased", "已故", "deceased"),
)

MATTER_SCOPES: tuple[Label, ...] = (
    Label("community", "全社区", "community"),
    Label("zone", "片区", "zone"),
    Label("household", "住户", "household"),
)

PLAN_REASONS: tuple[Label, ...] = (
    Label("overdue", "逾期", "overdue"),
    Label("due", "到期", "due"),
    Label("revisit", "回访", "revisit"),
    Label("follow_up", "跟进", "follow-up"),
    Label("unfamiliar", "未走访", "unfamiliar"),
)

GROUPS_BY_CODE = {g.code: g for g in PRIORITY_GROUPS}
KINDS_BY_CODE = {k.code: k for k in MATTER_KINDS}
OUTCOME_CODES = tuple(o.code for o in OUTCOMES)
NEED_CODES = tuple(n.code for n in NEEDS)
PRIORITY_GROUP_CODES = tuple(g.code for g in PRIORITY_GROUPS)
KIND_CODES = tuple(k.code for k in MATTER_KINDS)
RESIDENT_STATUS_CODES = tuple(s.code for s in RESIDENT_STATUSES)
SCOPE_CODES = tuple(s.code for s in MATTER_SCOPES)
PLAN_REASON_CODES = tuple(r.code for r in PLAN_REASONS)

# Defaults of SPEC §2 and §4.
FAMILIARITY_WINDOW_DAYS = 365
FAMILIARITY_TARGET = 0.7
DAILY_CAPACITY = 8
REVISIT_INTERVAL_DAYS = 3
DEFAULT_TIMEZONE = "Asia/Shanghai"


def label(
    items: tuple[Label, ...] | tuple[PriorityGroup, ...] | tuple[MatterKind, ...], code: str, lang: str
) -> str:
    """The label of `code` among `items` in `lang` (`zh` or `en`); the code itself when unknown."""
    for item in items:
        if item.code == code:
            return item.zh if lang == "zh" else item.en
    return code


def find_code(
    items: tuple[Label, ...] | tuple[PriorityGroup, ...] | tuple[MatterKind, ...], text: str
) -> str | None:
    """The code whose code or Chinese/English label is `text` (case-insensitive), else None."""
    wanted = text.strip()
    low = wanted.lower()
    for item in items:
        if low in (item.code, item.en.lower()) or wanted == item.zh:
            return item.code
    return None
