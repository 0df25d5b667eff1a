"""What the staff and roster importers share: problem lists, counts, the report, the rejects file."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cadre_tui.core.domain import PRIORITY_GROUPS, find_code
from cadre_tui.core.values import excel_scientific, split_typed
from cadre_tui.errors import CadreError, InvalidInput
from cadre_tui.io.csvfile import CsvTable, formula_unsafe, write_csv
from cadre_tui.store.db import Store

# How many residents (or cadres) missing from a file the summary names.
MISSING_SHOWN = 5


excel_mangled = excel_scientific  # the rules live in core/values.py
split_groups = split_typed


def parse_groups(text: str, labels: Mapping[str, str] | None = None) -> tuple[list[str], list[str]]:
    """Priority-group codes of a cell of codes or labels (also the community's `labels`): (codes, unknown)."""
    codes: list[str] = []
    unknown: list[str] = []
    for item in split_groups(text):
        code = find_code(PRIORITY_GROUPS, item) or (labels or {}).get(item)
        if code is None:
            unknown.append(item)
        elif code not in codes:
            codes.append(code)
    return codes, unknown


def same(a: Any, b: Any) -> bool:
    """Equal as stored data: an empty text and NULL are the same (bundles may carry either)."""
    return (a if a != "" else None) == (b if b != "" else None)


def or_none(text: str | None) -> str | None:
    """An empty cell is stored as NULL."""
    return text if text else None


@dataclass
class Problems:
    """Errors and warnings of one file, each `FILE:LINE: column: problem`; errors grouped by line."""

    name: str
    errors: dict[int, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def error(self, line: int, column: str, problem: str) -> None:
        """Record an error of the record starting at `line`."""
        self.errors.setdefault(line, []).append(f"{self.name}:{line}: {column}: {problem}")

    def warn(self, line: int, column: str, problem: str) -> None:
        """Record a warning of the record starting at `line`."""
        self.warnings.append(f"{self.name}:{line}: {column}: {problem}")

    def has_error(self, line: int) -> bool:
        """Whether the record starting at `line` has an error."""
        return line in self.errors

    def error_lines(self) -> list[str]:
        """Every error message in file order."""
        return [message for line in sorted(self.errors) for message in self.errors[line]]

    def refuse(self) -> None:
        """Exit 2 with every error when there is one; nothing has been written."""
        if self.errors:
            count = sum(len(v) for v in self.errors.values())
            raise InvalidInput(
                f"{self.name}: {count} error{'s' if count != 1 else ''} in {len(self.errors)} "
                f"record{'s' if len(self.errors) != 1 else ''}; nothing was written",
                lines=self.error_lines(),
            )


@dataclass
class Counts:
    """What an import did to one kind of row."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    ended: int = 0  # memberships tombstoned, cadres made inactive

    @property
    def listed(self) -> int:
        """Rows of this kind the file lists."""
        return self.added + self.updated + self.unchanged


# kind -> (Chinese, English, Chinese word for `ended`, English word for `ended`)
KIND_LABELS: dict[str, tuple[str, str, str, str]] = {
    "zones": ("片区", "zones", "", ""),
    "teams": ("小组", "teams", "", ""),
    "cadres": ("干部", "cadres", "停用", "made inactive"),
    "households": ("户", "households", "", ""),
    "residents": ("居民", "residents", "", ""),
    "memberships": ("重点人群", "priority-group memberships", "结束", "ended"),
}


@dataclass
class ImportReport:
    """What a staff or roster import did (or, on a dry run, would do), and what to print."""

    file: str
    counts: dict[str, Counts]
    warnings: list[str] = field(default_factory=list)
    rejected: int = 0
    rejected_errors: list[str] = field(default_factory=list)
    rejects_path: Path | None = None
    missing: int = 0
    missing_examples: list[str] = field(default_factory=list)
    missing_kind: str = "residents"  # or "cadres": those the file left out
    dry_run: bool = False

    @property
    def added(self) -> int:
        """Rows added, all kinds together."""
        return sum(c.added for c in self.counts.values())

    @property
    def updated(self) -> int:
        """Rows updated, all kinds together."""
        return sum(c.updated for c in self.counts.values())

    @property
    def unchanged(self) -> int:
        """Rows left as they were, all kinds together."""
        return sum(c.unchanged for c in self.counts.values())

    def summary(self, lang: str = "zh") -> list[str]:
        """The lines for stdout, in `lang` (`zh` or `en`)."""
        zh = lang == "zh"
        parts = []
        for kind, c in self.counts.items():
            label_zh, label_en, ended_zh, ended_en = KIND_LABELS[kind]
            if zh:
                text = f"{label_zh} {c.listed}（新增 {c.added}，更新 {c.updated}，未变 {c.unchanged}"
                text += f"，{ended_zh} {c.ended}）" if ended_zh else "）"
            else:
                text = f"{label_en} {c.listed} ({c.added} added, {c.updated} updated, {c.unchanged} unchanged"
                text += f", {c.ended} {ended_en})" if ended_en else ")"
            parts.append(text)
        warned = len(self.warnings)
        parts.append(f"警告 {warned}" if zh else f"{warned} warning{'s' if warned != 1 else ''}")
        lines = [("；" if zh else "; ").join(parts)]
        if self.missing:
            shown = ("、" if zh else ", ").join(self.missing_examples)
            more = "…" if self.missing > len(self.missing_examples) else ""
            if self.missing_kind == "cadres":
                lines.append(
                    f"文件中没有的干部 {self.missing} 人，已停用（保留）：{shown}{more}"
                    if zh
                    else f"{self.missing} cadre{'s' if self.missing != 1 else ''} not in the file, "
                    f"made inactive (kept): {shown}{more}"
                )
            else:
                lines.append(
                    f"文件中没有的居民 {self.missing} 人（保留，未删除）：{shown}{more}"
                    if zh
                    else f"{self.missing} resident{'s' if self.missing != 1 else ''} not in the file "
                    f"(kept, not deleted): {shown}{more}"
                )
        if self.rejected:
            where = self.rejects_path.name if self.rejects_path else ""
            if self.dry_run or not where:
                lines.append(
                    f"无效记录 {self.rejected} 行将被跳过"
                    if zh
                    else f"{self.rejected} invalid records would be skipped"
                )
            else:
                lines.append(
                    f"已跳过无效记录 {self.rejected} 行，见 {where}"
                    if zh
                    else f"skipped {self.rejected} invalid records, see {where}"
                )
        if self.dry_run:
            lines.append("试运行：没有写入任何数据" if zh else "dry run: nothing was written")
        return lines


def rejects_path_for(path: Path) -> Path:
    """`FILE.rejects.csv` beside the input."""
    return path.with_name(path.name + ".rejects.csv")


def write_rejects(path: Path, table: CsvTable, problems: Problems) -> Path | None:
    """Write the rejected records with the input's header plus `error`; remove a stale file if none."""
    target = rejects_path_for(path)
    if not problems.errors:
        # A stale rejects file would send the cadres fixing rows that are already in.
        target.unlink(missing_ok=True)
        return None
    width = len(table.header)
    rows = []
    for record in table.records:
        messages = problems.errors.get(record.line)
        if messages:
            # Cells as the user meant them: write_csv puts the formula guard back where needed.
            cells = [formula_unsafe(cell) for cell in record.raw[:width]]
            cells += [""] * (width - len(cells))
            rows.append([*cells, "; ".join(messages)])
    try:
        write_csv(target, [*table.header, "error"], rows)
    except OSError as exc:
        raise CadreError(f"{target.name}: cannot write the rejected rows: {exc.strerror}") from None
    return target


def load_rows(store: Store, table: str, columns: Sequence[str]) -> list[dict[str, Any]]:
    """Every row of `table` (tombstones too) as dicts of `columns`."""
    cursor = store.db.execute(f"SELECT {', '.join(columns)} FROM {table}")
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def changed_fields(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """The keys of `new` whose value differs from `old` (empty text = NULL)."""
    return [key for key, value in new.items() if not same(old.get(key), value)]


def insert_rows(store: Store, table: str, rows: Iterable[Mapping[str, Any]]) -> None:
    """Insert many rows of the same columns with one executemany."""
    rows = list(rows)
    if not rows:
        return
    columns = list(rows[0])
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
    store.db.conn.executemany(sql, [[row[c] for c in columns] for row in rows])


def update_rows(store: Store, table: str, rows: Iterable[Mapping[str, Any]]) -> None:
    """Update many rows by id; rows are grouped by the columns they set (one executemany per shape)."""
    shapes: dict[tuple[str, ...], list[list[Any]]] = {}
    for row in rows:
        columns = tuple(c for c in row if c != "id")
        shapes.setdefault(columns, []).append([*(row[c] for c in columns), row["id"]])
    for columns, values in shapes.items():
        sql = f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?"
        store.db.conn.executemany(sql, values)
