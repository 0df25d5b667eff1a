"""The one CSV reader and the one CSV writer (SPEC §6): encodings, headers, formula safety.

Written: UTF-8 with BOM, CRLF, RFC 4180 quoting, formula-safe. Read: UTF-8 with or without BOM, or
GB18030; English keys or Chinese labels as headers; one leading `'` removed from a text cell.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from cadre_tui.errors import InvalidInput
from cadre_tui.messages import Message, Text
from cadre_tui.paths import make_private_dir

# A cell larger than this is not a roster cell but a broken file.
MAX_CELL = 64 * 1024
# No roster, staff list or weekly log comes near this; a larger "CSV" is not one of them.
MAX_FILE_BYTES = 64 * 2**20
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "'")
_FORMULA_FIRST = frozenset(FORMULA_STARTS)


@dataclass
class CsvRecord:
    """One data record: its first physical line in the file and its cells by column key."""

    line: int
    values: dict[str, str]
    raw: list[str]


@dataclass
class CsvTable:
    """A decoded CSV file: its header as written, the column keys found, records and warnings."""

    path: Path
    encoding: str
    header: list[str]
    keys: list[str | None]  # per header position: the column key, or None for an unknown column
    records: list[CsvRecord]
    warnings: list[str] = field(default_factory=list)
    name: str = ""  # where messages say the records are: FILE, or FILE:SHEET for a workbook
    cell_errors: list[tuple[int, str, str]] = field(default_factory=list)  # (line, column, problem)

    def has(self, key: str) -> bool:
        """Whether the file has the column `key`."""
        return key in self.keys


def formula_safe(value: str) -> str:
    """Prefix one `'` to a text cell a spreadsheet could run as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_record_sql(columns: Sequence[str]) -> str:
    """An SQL expression over `columns` giving the CSV record `write_rows` writes for the row (without
    its line end), made by SQLite: a text value that starts like a formula gets its `'` (`formula_safe`),
    a value holding a comma, a double quote, CR or LF is quoted as csv.QUOTE_MINIMAL quotes it, NULL is
    an empty cell, an integer its digits. For text and integer columns (a REAL would print as SQLite
    prints it). Selected records are then joined and written with no Python per cell (bundle export)."""
    starts = ", ".join(f"char({ord(c)})" for c in FORMULA_STARTS)
    cells = []
    for column in columns:
        safe = (
            f"CASE WHEN typeof({column}) = 'text' AND substr({column}, 1, 1) IN ({starts}) "
            f"THEN char(39) || {column} ELSE {column} END"
        )
        special = " OR ".join(f"instr({column}, char({code}))" for code in (44, 34, 13, 10))
        cells.append(
            f"CASE WHEN {column} IS NULL THEN '' "
            f"WHEN {special} THEN char(34) || replace({safe}, char(34), char(34, 34)) || char(34) "
            f"ELSE {safe} END"
        )
    return " || ',' || ".join(cells)


def header_record(header: Sequence[str]) -> str:
    """The header row as `write_rows` writes it, with its CRLF."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerow(list(header))
    return buffer.getvalue()


def formula_unsafe(value: str) -> str:
    """Undo `formula_safe`: remove exactly one leading `'`."""
    return value[1:] if value.startswith("'") else value


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Text and encoding name of a CSV file's bytes; exit 2 for binary or undecodable data."""
    if not data.strip():
        raise InvalidInput.of("csv.empty", file=name)
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise InvalidInput.of("csv.bad_utf8", file=name, line=_line_of(data, exc.start)) from None
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise InvalidInput.of("csv.is_workbook", file=name)
    if b"\x00" in data[:8192]:
        raise InvalidInput.of("csv.binary", file=name)
    with contextlib.suppress(UnicodeDecodeError):
        return data.decode("utf-8"), "utf-8"
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise InvalidInput.of("csv.encoding", file=name, line=_line_of(data, exc.start)) from None


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def read_csv(
    path: Path,
    columns: dict[str, str],
    required: Sequence[str] = (),
    display_name: str | None = None,
    *,
    strip: bool = True,
) -> CsvTable:
    """Read `path`, mapping headers (key or Chinese label, per `columns` = {key: label}) to keys.

    Exit 2 (InvalidInput) naming file and line for unreadable data or a missing required column.
    `strip=False` keeps cells exactly as written (bundles: a round trip must be lossless).
    """
    stream = stream_csv(path, columns, required, display_name)
    keys = stream.keys
    records = [
        CsvRecord(
            line,
            {
                key: formula_unsafe(cell.strip() if strip else cell)
                for cell, key in zip(row, keys, strict=False)
                if key is not None
            },
            row,
        )
        for line, row in stream.rows
    ]
    return CsvTable(path, stream.encoding, stream.header, keys, records, stream.warnings, name=stream.name)


@dataclass
class CsvStream:
    """A CSV file whose header has been read and checked; its records still to come, one at a time."""

    path: Path
    name: str
    encoding: str
    header: list[str]
    keys: list[str | None]  # per header position: the column key, or None for an unknown column
    warnings: list[str]
    rows: Iterator[tuple[int, list[str]]]  # (first physical line, cells as written), blank records left out
    # (line, column key, problem) of cells the reader refused, added as `rows` reaches them (workbooks)
    cell_errors: list[tuple[int, str, str]] = field(default_factory=list)


def stream_csv(
    path: Path,
    columns: dict[str, str],
    required: Sequence[str] = (),
    display_name: str | None = None,
) -> CsvStream:
    """`read_csv` a record at a time: the header read and checked now (exit 2 as `read_csv`), the records
    given by `rows` as the file's cells, unstripped. A broken record raises when `rows` reaches it.

    The file is read and decoded whole (its encoding is known only once all of it decodes), but no record
    is kept: an importer holds only what it takes from each.
    """
    name = display_name or path.name
    if not path.is_file():
        raise InvalidInput.of("file.not_a_file", file=name)
    try:
        with path.open("rb") as handle:
            # Read one byte past the limit: a file that is (or grows) too large is refused, not loaded.
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise InvalidInput.of("file.unreadable", file=name, error=exc.strerror) from None
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput.of("csv.too_large", file=name, mb=MAX_FILE_BYTES // 2**20)
    text, encoding = decode(data, name)
    del data
    by_label = {_norm(label): key for key, label in columns.items()}
    by_key = {_norm(key): key for key in columns}
    # strict: a stray quote must stop the import, not swallow the rows after it into one cell.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    del text
    position = [1]  # the line the next record starts on
    header: list[str] | None = None
    keys: list[str | None] = []
    warnings: list[str] = []
    with _csv_errors(name, position):
        for row in reader:
            start = position[0]
            position[0] = reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            header = [cell.strip() for cell in row]
            keys = [by_key.get(_norm(h)) or by_label.get(_norm(h)) for h in header]
            warnings.extend(check_header(header, keys, columns, required, name, start))
            break
    if header is None:
        raise InvalidInput.of("csv.no_header", file=name)
    return CsvStream(path, name, encoding, header, keys, warnings, _records(reader, name, keys, position))


def _records(
    reader: Any, name: str, keys: list[str | None], position: list[int]
) -> Iterator[tuple[int, list[str]]]:
    width = len(keys)
    with _csv_errors(name, position):
        for row in reader:
            start = position[0]
            position[0] = reader.line_num + 1
            # The record's text at once: blank when it has no character but whitespace, and no cell of
            # it can be too large when all of them together are not.
            joined = "".join(row)
            if not joined.strip():
                continue
            if len(row) > width and any(cell.strip() for cell in row[width:]):
                raise InvalidInput.of(
                    "csv.too_many_cells", file=name, line=start, count=len(row), header=width
                )
            if len(joined) > MAX_CELL:
                for cell, key in zip(row, keys, strict=False):
                    if len(cell) > MAX_CELL:
                        raise InvalidInput.of(
                            "csv.cell_too_large", file=name, line=start, column=key or "?", count=len(cell)
                        )
            yield start, row


def read_while(stream: CsvStream, busy: Callable[[], bool], most: int) -> Sequence[tuple[int, list[str]]]:
    """Up to `most` records of `stream` read now, for as long as `busy()` holds (another thread working
    for the command, such as an encrypted database's key derivation, that the reader would otherwise
    wait for); `rows` then gives them first, in order. A broken record met meanwhile raises only when
    `rows` reaches it, as it would have: what the command checks before its records still comes first.
    The records read, to look at while `busy()` still holds (`rows` hands the same lists over)."""
    taken: list[tuple[int, list[str]]] = []
    rows = stream.rows
    failed: Exception | None = None
    try:
        while len(taken) < most and busy():
            before = len(taken)
            taken.extend(itertools.islice(rows, 256))  # `busy` asked every 256 records
            if len(taken) - before < 256:
                break  # rows is spent
    except Exception as exc:  # raised again in its turn, below
        failed = exc
    stream.rows = _taken_then(taken, failed, rows)
    return tuple(taken)  # `taken` itself is emptied as `rows` hands its records over


def _taken_then(
    taken: list[tuple[int, list[str]]], failed: Exception | None, rest: Iterator[tuple[int, list[str]]]
) -> Iterator[tuple[int, list[str]]]:
    taken.reverse()
    while taken:
        yield taken.pop()  # each record handed over once, not kept to the end
    if failed is not None:
        raise failed
    yield from rest


@contextlib.contextmanager
def _csv_errors(name: str, position: list[int]) -> Iterator[None]:
    """The csv module's errors as exit 2 naming the line where the reader stopped."""
    try:
        yield
    except csv.Error as exc:
        text = str(exc)
        if "unexpected end of data" in text:
            problem = Message("csv.unclosed_quote")
        elif "field larger than field limit" in text:
            problem = Message("csv.huge_cell")
        else:
            problem = Message("csv.broken", error=text)
        raise InvalidInput.of("file.at", file=name, line=position[0], problem=problem) from None


def _norm(text: str) -> str:
    return text.strip().lstrip("\ufeff").lower()


def check_header(
    header: Sequence[str],
    keys: Sequence[str | None],
    columns: dict[str, str],
    required: Sequence[str],
    name: str,
    line: int,
) -> list[str]:
    """The warnings for a header's unknown columns (`keys[i]` is None); exit 2 for a column given twice
    or a required one missing. Shared by the CSV and workbook readers."""
    warnings: list[str] = []
    unknown = [h for h, k in zip(header, keys, strict=True) if k is None and h]
    if len(unknown) > 5:
        warnings.append(
            Text("csv.unknown_columns", file=name, line=line, count=len(unknown), some=", ".join(unknown[:5]))
        )
    else:
        warnings.extend(Text("csv.unknown_column", file=name, line=line, column=h) for h in unknown)
    seen: set[str] = set()
    for h, k in zip(header, keys, strict=True):
        if k is None:
            continue
        if k in seen:
            raise InvalidInput.of("csv.column_twice", file=name, line=line, column=h)
        seen.add(k)
    missing = [k for k in required if k not in seen]
    if missing:
        wanted = ", ".join(f"{k} ({columns[k]})" for k in missing)
        raise InvalidInput.of("csv.missing_column", file=name, line=line, columns=wanted)
    return warnings


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Write a CSV file (UTF-8 BOM, CRLF, formula-safe, 0600) atomically; return the number of rows."""
    make_private_dir(path.parent)
    tmp = path.with_name(path.name + ".part")
    count = 0
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as handle:
            count = write_rows(handle, header, rows)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return count


def write_rows(handle: TextIO, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """The header and rows as CSV (CRLF, RFC 4180, formula-safe) into an open text handle; the row count."""
    writer = csv.writer(handle, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(list(header))
    count = 0
    for row in rows:
        # Plain text that cannot start a formula is the common case: skip the full check for it.
        writer.writerow([v if type(v) is str and v[:1] not in _FORMULA_FIRST else _cell(v) for v in row])
        count += 1
    return count


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return str(value)
    return formula_safe(str(value))
