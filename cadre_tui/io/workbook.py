"""Spreadsheets in and out: rosters and staff lists read from Excel/WPS/LibreOffice workbooks, and the
one place that opens an .xlsx for writing (formula-proof, 0600, refused over an existing file).

Reading gives the same `CsvTable` as the CSV reader, so the roster and staff rules stay where they are:
a record's `line` is the sheet's row number and the table's `name` is `FILE:SHEET`, so messages read
`roster.xlsx:名单:17: id_number: …`. Cells are taken as the workbook holds them: text as text (no `'`
is removed: a workbook has no formula guard to undo), whole numbers as their digits, date cells as
YYYY-MM-DD. An ID number held as a number has already lost its last digits (a spreadsheet keeps 15
significant digits) and is refused with how to put it right.
"""

from __future__ import annotations

import contextlib
import os
import threading
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cadre_tui.errors import CadreError, InvalidInput, Refused
from cadre_tui.io.csvfile import (
    MAX_CELL,
    CsvRecord,
    CsvStream,
    CsvTable,
    check_header,
    read_csv,
    stream_csv,
)
from cadre_tui.messages import Text
from cadre_tui.paths import make_private_dir

if TYPE_CHECKING:
    from xlsxwriter import Workbook

    from cadre_tui.io.importing import Problems

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
# Columns whose number cells cannot be right: the digits past the 15th are gone.
ID_COLUMNS = frozenset({"id_number"})
# A roster of 36,000 residents is about 2 MB as .xlsx; anything this large is not a roster.
MAX_WORKBOOK_BYTES = 64 * 2**20
# A sheet with more rows than this is not a roster (36,000 residents at most, SPEC §1).
MAX_ROWS = 200_000
# How many rows with text may stand above the header (titles, dates, a note from the clerk).
HEADER_SEARCH_ROWS = 10


def is_workbook(path: Path) -> bool:
    """Whether `path` is named as a workbook (.xlsx, .xlsm, .xls, .ods) rather than a CSV file."""
    return path.suffix.lower() in WORKBOOK_SUFFIXES


def read_table(
    path: Path,
    columns: dict[str, str],
    required: Sequence[str] = (),
    *,
    sheet: str | None = None,
    display_name: str | None = None,
) -> CsvTable:
    """A CSV file or one sheet of a workbook (the first unless `sheet`), as the CSV reader gives it."""
    if is_workbook(path):
        return read_workbook(path, columns, required, sheet=sheet, display_name=display_name)
    if sheet is not None:
        raise InvalidInput.of("workbook.sheet_for_csv", file=display_name or path.name)
    return read_csv(path, columns, required, display_name)


def stream_table(
    path: Path,
    columns: dict[str, str],
    required: Sequence[str] = (),
    *,
    sheet: str | None = None,
    display_name: str | None = None,
) -> CsvStream:
    """`read_table` a record at a time: `stream_csv` or `stream_workbook`."""
    if is_workbook(path):
        return stream_workbook(path, columns, required, sheet=sheet, display_name=display_name)
    if sheet is not None:
        raise InvalidInput.of("workbook.sheet_for_csv", file=display_name or path.name)
    return stream_csv(path, columns, required, display_name)


def problems_of(table: CsvTable) -> Problems:
    """The problem list of a table: its location name, the reader's warnings and the cells it refused."""
    from cadre_tui.io.importing import Problems

    problems = Problems(table.name or table.path.name, warnings=list(table.warnings))
    for line, column, message in table.cell_errors:
        problems.error(line, column, message)
    return problems


def sheet_names(path: Path, display_name: str | None = None) -> list[str]:
    """The names of the workbook's sheets, in order; exit 2 when it cannot be read."""
    return _open(path, display_name or path.name).sheet_names


def _open(path: Path, name: str) -> Any:
    from python_calamine import CalamineWorkbook

    if not path.is_file():
        raise InvalidInput.of("file.not_a_file", file=name)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InvalidInput.of("file.unreadable", file=name, error=exc.strerror) from None
    if size == 0:
        raise InvalidInput.of("workbook.empty", file=name)
    if size > MAX_WORKBOOK_BYTES:
        raise InvalidInput.of("workbook.too_large", file=name, mb=MAX_WORKBOOK_BYTES // 2**20)
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own errors, and plain ones for a broken zip or XML
        raise InvalidInput.of("workbook.unreadable", file=name, error=_short(exc)) from None


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "…"


def read_workbook(
    path: Path,
    columns: dict[str, str],
    required: Sequence[str] = (),
    *,
    sheet: str | None = None,
    display_name: str | None = None,
) -> CsvTable:
    """One sheet of a workbook as a `CsvTable` whose records carry their row numbers.

    The header is the first row with any text in it; headers and missing columns as `read_csv`.
    """
    stream = stream_workbook(path, columns, required, sheet=sheet, display_name=display_name)
    keyed = [(col, key) for col, key in enumerate(stream.keys) if key is not None]
    records: list[CsvRecord] = []
    seen = 0
    for line, raw in stream.rows:
        values = {key: raw[col] for col, key in keyed if col < len(raw)}
        for _line, key, _problem in stream.cell_errors[seen:]:
            values[key] = ""  # a refused cell is read as blank
        seen = len(stream.cell_errors)
        records.append(CsvRecord(line, values, raw))
    return CsvTable(
        path,
        "workbook",
        stream.header,
        stream.keys,
        records,
        stream.warnings,
        name=stream.name,
        cell_errors=stream.cell_errors,
    )


# A workbook opened and one of its sheets parsed: the workbook, the sheet's name for messages
# (`FILE:SHEET`) and calamine's sheet.
ParsedSheet = tuple[Any, str, Any]


def parse_sheet(path: Path, sheet: str | None = None, display_name: str | None = None) -> ParsedSheet:
    """Open the workbook and parse its first sheet, or `sheet`, whole (calamine, in Rust); exit 2 when it
    cannot be read."""
    file_name = display_name or path.name
    book = _open(path, file_name)
    names: list[str] = list(book.sheet_names)
    if not names:
        raise InvalidInput.of("workbook.no_sheets", file=file_name)
    if sheet is None:
        chosen = names[0]
    elif sheet in names:
        chosen = sheet
    else:
        raise InvalidInput.of("workbook.no_sheet", file=file_name, sheet=sheet, sheets=", ".join(names))
    name = f"{file_name}:{chosen}"
    try:
        found = book.get_sheet_by_name(chosen)
    except Exception as exc:
        _close(book)
        raise InvalidInput.of("workbook.bad_sheet", file=name, error=_short(exc)) from None
    return book, name, found


def parse_sheet_ahead(
    path: Path, sheet: str | None = None, display_name: str | None = None
) -> Callable[[], ParsedSheet]:
    """`parse_sheet` begun now on another thread; what it gives (or raises), waited for when called.

    Calamine parses the sheet without the GIL (0.35 s for a roster of 30,000 residents): the command
    imports what it needs, opens its database and loads the pinyin dictionary meanwhile. The thread
    only reads the file; a command that stops before it asks leaves it to end with the process.
    """
    key = (os.path.abspath(path), sheet, display_name)
    begun = _ahead.pop(key, None)
    _ahead.clear()  # a guess for another path or sheet (`--she roster`): its sheet not kept to the end
    if begun is not None:
        return begun  # begun earlier still (`cli.imports.read_ahead`)
    done: list[ParsedSheet] = []
    failed: list[BaseException] = []

    def parse() -> None:
        try:
            done.append(parse_sheet(path, sheet, display_name))
        except BaseException as exc:  # raised again on the caller's thread, when it asks
            failed.append(exc)

    thread = threading.Thread(target=parse, name="sheet-parse", daemon=True)
    thread.start()

    def parsed() -> ParsedSheet:
        """The parsed sheet, handed over once: the caller's reading frees it (~25 MB for 30,000 rows)."""
        thread.join()
        if failed:
            raise failed[0]
        return done.pop()

    return parsed


# Parses begun before the command that asks for them knew its arguments: (path, sheet, display name) ->
# what `parse_sheet_ahead` gave.
_ahead: dict[tuple[str, str | None, str | None], Callable[[], ParsedSheet]] = {}


def forget_parses_ahead() -> None:
    """Drop the parses begun ahead that no command took (their threads end on their own)."""
    _ahead.clear()


def begin_parse_ahead(path: Path, sheet: str | None = None) -> None:
    """`parse_sheet_ahead` begun now for a command still to ask for it (the same path and sheet)."""
    _ahead[(os.path.abspath(path), sheet, None)] = parse_sheet_ahead(path, sheet)


def stream_workbook(
    path: Path,
    columns: dict[str, str],
    required: Sequence[str] = (),
    *,
    sheet: str | None = None,
    display_name: str | None = None,
    parsed: ParsedSheet | None = None,
) -> CsvStream:
    """One sheet of a workbook as `stream_csv` gives a CSV file: the header found and checked now, the
    records (row number, cells as text) one at a time, no sheet-sized list of Python cells. `parsed`:
    the sheet as `parse_sheet` (or `parse_sheet_ahead`) gave it for the same path and sheet.

    A cell the reader refuses (an ID number held as a number) is added to the stream's `cell_errors`
    before its record is given; the importers read it as blank.
    """
    book, name, found = parsed or parse_sheet(path, sheet, display_name)
    try:
        # iter_rows gives every row from the sheet's first (row numbers hold), but each from the first
        # used column: the empty columns before it are put back, as to_python(skip_empty_area=False)
        # gives them (a rejects file keeps the sheet's columns).
        rows: Iterator[list[Any]] = found.iter_rows()
        height = found.end[0] + 1 if found.end else 0
        skipped = found.start[1] if found.start else 0
        if skipped:
            rows = ([""] * skipped + row for row in rows)
    except Exception as exc:
        _close(book)
        raise InvalidInput.of("workbook.bad_sheet", file=name, error=_short(exc)) from None
    if height > MAX_ROWS:
        _close(book)
        raise InvalidInput.of("workbook.too_long", file=name, count=f"{height:,}")
    by_label = {_norm(label): key for key, label in columns.items()}
    by_key = {_norm(key): key for key in columns}
    # The header: the first row naming a known column among the first rows with text (a clerk's
    # workbook often has a title row above it), else the first row with text.
    head: list[tuple[int, list[Any]]] = []
    header_at: tuple[int, list[Any]] | None = None
    with _sheet_errors(book, name):
        for index, row in enumerate(rows):
            texts = [_norm(_text(cell)) for cell in row]
            if not any(texts):
                continue
            head.append((index, row))
            if any(t in by_key or t in by_label for t in texts):
                header_at = (index, row)
                break
            if len(head) >= HEADER_SEARCH_ROWS:
                break
    if header_at is None:
        if not head:
            book.close()
            raise InvalidInput.of("workbook.no_header", file=name)
        header_at = head[0]
    header = [_text(cell) for cell in header_at[1]]
    keys: list[str | None] = [by_key.get(_norm(h)) or by_label.get(_norm(h)) for h in header]
    try:
        warnings = check_header(header, keys, columns, required, name, header_at[0] + 1)
    except InvalidInput:
        _close(book)
        raise
    # Rows read while looking for the header that come after it are records too.
    after = [(index, row) for index, row in head if index > header_at[0]]
    cell_errors: list[tuple[int, str, str]] = []
    rest = enumerate(rows, head[-1][0] + 1 if head else 0)
    records = _records(book, name, keys, chain(after, rest), cell_errors)
    return CsvStream(path, name, "workbook", header, keys, warnings, records, cell_errors)


def _records(
    book: Any,
    name: str,
    keys: list[str | None],
    rows: Iterator[tuple[int, list[Any]]],
    cell_errors: list[tuple[int, str, str]],
) -> Iterator[tuple[int, list[str]]]:
    id_columns = [(col, key) for col, key in enumerate(keys) if key in ID_COLUMNS]
    strip = str.strip
    # closed whatever happens: _close ignores calamine's refusal of a second close (after _sheet_errors')
    try:
        with _sheet_errors(book, name):
            for index, row in rows:
                line = index + 1
                # Text cells are nearly all of a roster: a row of text only is stripped in C (str.strip
                # refuses anything else); one with a number or a date has its cells converted.
                try:
                    raw = list(map(strip, row))
                    numbers = False
                except TypeError:
                    raw = [cell.strip() if type(cell) is str else _text(cell) for cell in row]
                    numbers = True
                if not any(raw):
                    continue
                if max(map(len, raw)) > MAX_CELL:
                    col = next(i for i, text in enumerate(raw) if len(text) > MAX_CELL)
                    key = keys[col] if col < len(keys) else None
                    raise InvalidInput.of(
                        "csv.cell_too_large", file=name, line=line, column=key or "?", count=len(raw[col])
                    )
                for col, key in id_columns if numbers else ():
                    cell = row[col] if col < len(row) else ""
                    if isinstance(cell, int | float) and not isinstance(cell, bool):
                        cell_errors.append(
                            (line, key, Text("workbook.id_as_number", shown=_as_excel_shows(cell)))
                        )
                # The cells beyond the header hold nothing the importers read; they are not an error in a
                # workbook, where a stray note in a far column is common.
                yield line, raw
    finally:
        _close(book)


@contextmanager
def _sheet_errors(book: Any, name: str) -> Iterator[None]:
    """Calamine's errors while reading rows as exit 2 (the workbook closed)."""
    try:
        yield
    except CadreError:
        _close(book)
        raise
    except Exception as exc:
        _close(book)
        raise InvalidInput.of("workbook.bad_sheet", file=name, error=_short(exc)) from None


def _close(book: Any) -> None:
    with contextlib.suppress(Exception):
        book.close()


def _norm(text: str) -> str:
    return text.strip().lower()


def _text(cell: Any) -> str:
    """A cell as the importers read text: whole numbers as digits, dates as YYYY-MM-DD, trimmed."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell.strip()
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, int):
        return str(cell)
    if isinstance(cell, float):
        if cell.is_integer() and abs(cell) < 1e15:
            return str(int(cell))
        return repr(cell)
    if isinstance(cell, datetime):
        if cell.time() == time():
            return cell.date().isoformat()
        return cell.strftime("%Y-%m-%d %H:%M")
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, time):
        return cell.strftime("%H:%M")
    if isinstance(cell, timedelta):
        return str(cell)
    return str(cell).strip()


def _as_excel_shows(number: float) -> str:
    """A long number as a spreadsheet shows it in a narrow column: 1.10105E+17."""
    if isinstance(number, float) and not number.is_integer():
        return repr(number)
    value = float(number)
    if abs(value) < 1e11:
        return str(int(value))
    mantissa, exponent = f"{value:.5E}".split("E")
    return f"{mantissa.rstrip('0').rstrip('.')}E+{int(exponent):02d}"


# -- writing -------------------------------------------------------------------------------------------


def check_target(path: Path, force: bool) -> None:
    """Exit 3 when `path` exists and not `force`; exit 2 when it is a folder."""
    if path.is_dir():
        raise InvalidInput.of("workbook.target_folder", path=path)
    if path.exists() and not force:
        raise Refused.of("file.exists_force", path=path)


@contextmanager
def workbook_for(path: Path) -> Iterator[Workbook]:
    """An XlsxWriter workbook that becomes `path` when the block ends well: written to an owner-only
    (0600) twin and moved into place in one step; nothing is left behind when the block fails.

    Rows are streamed to disk as they are written (`constant_memory`), so a year's register of a large
    community stays small in memory: write each sheet's rows in order, a row's cells before the next
    row. Nothing written can be taken as a formula, a number or a link: text goes in as text whatever it
    starts with (`=`, `+`, `-`, `@`), and the writers call `write_string`/`write_number` explicitly.
    """
    import xlsxwriter

    make_private_dir(path.parent)
    tmp = path.with_name(path.name + ".part")
    # Created owner-only before XlsxWriter opens it: writing into it keeps the mode.
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    book = xlsxwriter.Workbook(
        str(tmp),
        {
            "constant_memory": True,
            # The rows stream through temporary files (mkstemp: 0600, removed at close): beside the
            # output, in its private folder, not in a shared /tmp (they hold what the workbook holds).
            "tmpdir": str(path.parent),
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    try:
        yield book
        book.close()
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(Exception):
            book.close()
        tmp.unlink(missing_ok=True)
        raise


def merged_text(sheet: Any, row: int, first_col: int, last_col: int, text: str, cell_format: Any) -> None:
    """`text` in one cell merged across the row's columns first_col..last_col.

    merge_range() writes its data through write(), which guesses; in a workbook from `workbook_for` the
    guesses are off (no formulas, numbers or links from strings), so the text lands as a text cell.
    """
    sheet.merge_range(row, first_col, row, last_col, text, cell_format)


def text_width(text: str) -> int:
    """Width of `text` in spreadsheet column units: a Chinese character takes two, like two digits."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def column_widths(rows: Sequence[Sequence[str]], least: Sequence[int], most: Sequence[int]) -> list[int]:
    """Per column: the widest line of text (+2), kept between `least` and `most` (long text wraps)."""
    widths = list(least)
    for row in rows:
        for col, text in enumerate(row):
            if col < len(widths) and text:
                widest = max(text_width(line) for line in text.splitlines() or [""])
                widths[col] = max(widths[col], min(widest + 2, most[col]))
    return widths


def paper_font(lang: str) -> dict[str, str]:
    """The font of a printed workbook's cells: 宋体 (SimSun, on every Chinese Windows and WPS) for a
    Chinese one, the spreadsheet's default otherwise; spread into each `add_format`."""
    return {"font_name": "宋体"} if lang == "zh" else {}


def header_text(text: str) -> str:
    """Text for a printed page header or footer: `&` is XlsxWriter's control character."""
    return text.replace("&", "&&")


def print_setup(sheet: Any, *, repeat_rows: int, left: str, center: str, right: str, lang: str) -> None:
    """A4 landscape, `repeat_rows` rows repeated on every page, gridlines, one page wide, the page
    header (left/center/right) and page numbers in the footer."""
    sheet.set_paper(9)  # A4
    sheet.set_landscape()
    sheet.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.6)
    if repeat_rows:
        sheet.repeat_rows(0, repeat_rows - 1)
    sheet.hide_gridlines(0)  # gridlines on screen and on paper
    sheet.fit_to_pages(1, 0)  # one page wide, as many pages long as it takes
    sheet.set_header(f"&L{header_text(left)}&C&B{header_text(center)}&R{header_text(right)}", {"margin": 0.3})
    footer = "第 &P 页，共 &N 页" if lang == "zh" else "Page &P of &N"
    sheet.set_footer(f"&C{footer}", {"margin": 0.3})
