"""What the staff and roster importers share: problem lists, counts, the report, the rejects file."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cadre_tui.core.domain import PRIORITY_GROUPS, find_code
from cadre_tui.core.values import excel_scientific, split_typed
from cadre_tui.errors import CadreError, InvalidInput
from cadre_tui.io.csvfile import formula_unsafe, write_csv
from cadre_tui.messages import Message, Text, plural, text
from cadre_tui.store.db import Store

# How many residents (or cadres) missing from a file the summary names.
MISSING_SHOWN = 5


excel_mangled = excel_scientific  # the rules live in core/values.py
split_groups = split_typed


@contextmanager
def paused_cycle_collection() -> Iterator[None]:
    """The cyclic garbage collector paused (reference counting still frees every row), for a command
    that does nothing but an import (roster, bundle): the collector is the whole process's, so the app
    does not pause it.

    An import makes a few tuples and lists per record, and every 700 of them start a collection that
    walks the containers still alive: ~0.05 s of 30,000 residents' roster, 0.2-0.3 s of the
    11,000-household bundle (issue 12). Their records make no reference cycles.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def one_malloc_arena() -> None:
    """glibc's allocator keeps one arena for every thread of this process from now on (Linux only; a
    no-op elsewhere), for a command that does nothing but the import.

    An import into an empty database writes on a second thread (`store.writer.WriteThread`), and glibc gives
    that thread an arena of its own: SQLite's pages and buffers then sit in two heaps, ~9 MB more peak
    memory on the 11,000-household bundle (issue 12: < 120 MB). One arena costs a lock the two threads
    seldom contend for (they take turns at the connection)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    with suppress(OSError, AttributeError):  # not glibc (musl has no mallopt)
        ctypes.CDLL(None).mallopt(_M_ARENA_MAX, 1)


_M_ARENA_MAX = -8  # glibc's malloc.h


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


def at(name: str, line: int, column: str, problem: str | Text | Exception) -> Text:
    """`FILE:LINE: column: problem` (SPEC §6): file, line and column as they are, the problem translated."""
    return Text("import.at", file=name, line=line, column=column, problem=problem)


@dataclass
class Problems:
    """Errors and warnings of one file, each `FILE:LINE: column: problem`; errors grouped by line."""

    name: str
    errors: dict[int, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def error(self, line: int, column: str, problem: str | Text | Exception) -> None:
        """Record an error of the record starting at `line` (a catalogue `Text`, or a rule's `Problem`)."""
        self.errors.setdefault(line, []).append(at(self.name, line, column, problem))

    def warn(self, line: int, column: str, problem: str | Text | Exception) -> None:
        """Record a warning of the record starting at `line`."""
        self.warnings.append(at(self.name, line, column, problem))

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
            records = len(self.errors)
            raise InvalidInput.of(
                "import.refused",
                file=self.name,
                count=count,
                s=plural(count),
                records=records,
                rs=plural(records),
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
            fields = {"listed": c.listed, "added": c.added, "updated": c.updated, "unchanged": c.unchanged}
            ended = {"cadres": "import.count_inactive", "memberships": "import.count_ended"}.get(kind)
            key = ended or "import.count"
            parts.append(text(key, lang, kind=Message(f"import.kind_{kind}"), ended=c.ended, **fields))
        warned = len(self.warnings)
        parts.append(text("import.warnings", lang, count=warned, s=plural(warned)))
        lines = [("；" if zh else "; ").join(parts)]
        if self.missing:
            shown = ("、" if zh else ", ").join(self.missing_examples)
            more = "…" if self.missing > len(self.missing_examples) else ""
            key = "import.missing_cadres" if self.missing_kind == "cadres" else "import.missing_residents"
            lines.append(text(key, lang, count=self.missing, s=plural(self.missing), shown=shown, more=more))
        if self.rejected:
            where = self.rejects_path.name if self.rejects_path else ""
            if self.dry_run or not where:
                lines.append(text("import.would_skip", lang, count=self.rejected))
            else:
                lines.append(text("import.skipped", lang, count=self.rejected, file=where))
        if self.dry_run:
            lines.append(text("import.dry_run", lang))
        return lines


def rejects_path_for(path: Path) -> Path:
    """`FILE.rejects.csv` beside the input."""
    return path.with_name(path.name + ".rejects.csv")


def write_rejects(
    path: Path, header: Sequence[str], rejected: Iterable[tuple[int, Sequence[str]]], problems: Problems
) -> Path | None:
    """Write the rejected records, (line, cells as read), with the input's header plus `error`; remove a
    stale file if none."""
    target = rejects_path_for(path)
    if not problems.errors:
        # A stale rejects file would send the cadres fixing rows that are already in.
        target.unlink(missing_ok=True)
        return None
    width = len(header)
    rows = []
    for line, raw in rejected:
        messages = problems.errors.get(line)
        if messages:
            # Cells as the user meant them: write_csv puts the formula guard back where needed.
            cells = [formula_unsafe(cell) for cell in raw[:width]]
            cells += [""] * (width - len(cells))
            rows.append([*cells, "; ".join(messages)])
    try:
        write_csv(target, [*header, "error"], rows)
    except OSError as exc:
        raise CadreError.of("import.rejects_unwritable", file=target.name, error=exc.strerror) from None
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
