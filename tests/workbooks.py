"""Workbooks as Excel and WPS users make them, written with XlsxWriter for the tests (and the demo).

`roster_workbook` writes the roster of `tests/fixtures/roster/roster-gb18030.csv` as a clerk keeps it:
a title row above the header, Chinese headers, the ID column formatted as text (or, with
`ids_as_numbers`, typed into a General column, as Excel does when nobody formats it), dates as real
date cells.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import xlsxwriter

ROSTER_HEADER = [
    "户编号", "片区", "小区", "楼栋", "单元", "室", "姓名", "性别", "出生日期", "身份证号", "联系电话",
    "与户主关系", "重点人群", "列入日期", "备注",
]  # fmt: skip
ROSTER_ROWS: list[list[Any]] = [
    ["H001", "Z1", "幸福小区", "1栋", "1单元", 101, "林春生", "男", None, "110105194803120016",
     13800001111, "户主", "孤", date(2026, 1, 5), None],
    ["H001", "Z1", "幸福小区", "1栋", "1单元", 101, "秦玉兰", "女", date(1950, 6, 1), "11010519500601002X",
     None, "配偶", "老；病", None, None],
    ["H002", "Z1", "幸福小区", "1栋", "2单元", 202, "贺志远", "男", 19800715, "11010519800715001x",
     "13900002222", "户主", None, None, None],
    ["H002", "Z1", None, None, None, None, "贺小雨", "女", date(2015, 9, 30), None, None, "子女", None, None,
     None],
    ["H003", "Z2", "和平花园", "3栋", "1单元", "301", "单秀珍", None, None, "110105193702200047",
     "010-6512 3456", "户主", "寡、贫", date(2026, 3, 1), "独居，行动不便"],
]  # fmt: skip


def write_rows(
    path: Path,
    header: list[str],
    rows: list[list[Any]],
    *,
    sheet: str = "名单",
    title: str | None = None,
    text_columns: tuple[str, ...] = ("身份证号",),
    numbers_as_numbers_in: tuple[str, ...] = (),
    first_sheet: str | None = None,
) -> Path:
    """A workbook with one data sheet: strings as text, numbers as numbers, dates as date cells.

    A value in a column of `numbers_as_numbers_in` that looks like digits is written as a number (what
    Excel does with a General column); `first_sheet` adds an unrelated sheet before the data.
    """
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    text = book.add_format({"num_format": "@"})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    if first_sheet:
        book.add_worksheet(first_sheet).write_string(0, 0, "说明：名单在下一页")
    ws = book.add_worksheet(sheet)
    top = 0
    if title:
        ws.write_string(0, 0, title)
        top = 1
    for col, name in enumerate(header):
        ws.write_string(top, col, name)
        if name in text_columns:
            ws.set_column(col, col, 20, text)
    for r, row in enumerate(rows, start=top + 1):
        for col, value in enumerate(row):
            name = header[col]
            if value is None:
                continue
            if isinstance(value, date):
                ws.write_datetime(r, col, value, day)
            elif isinstance(value, int | float):
                ws.write_number(r, col, value)
            elif name in numbers_as_numbers_in and value.isdigit():
                ws.write_number(r, col, float(value))
            else:
                ws.write_string(r, col, value)
    book.close()
    return path


def roster_workbook(path: Path, *, ids_as_numbers: bool = False, sheet: str = "名单") -> Path:
    """The five residents of roster-gb18030.csv as an Excel roster (title row, then the header)."""
    return write_rows(
        path,
        ROSTER_HEADER,
        ROSTER_ROWS,
        sheet=sheet,
        title="幸福社区居民花名册（2026年11月）",
        text_columns=() if ids_as_numbers else ("身份证号",),
        numbers_as_numbers_in=("身份证号",) if ids_as_numbers else (),
    )
