"""The one catalogue of messages (cadre_tui/messages.py): every key in both languages, every key the code
uses present, every `--help` text in Chinese; the command line speaks Chinese by default."""

from __future__ import annotations

import argparse
import re
import string
from pathlib import Path

import pytest

from cadre_tui.cli import build_parser, main
from cadre_tui.errors import InvalidInput
from cadre_tui.message_texts import ARGPARSE, HELP, MESSAGES
from cadre_tui.messages import Message, Problem, UnknownMessage, lang_of, text

PACKAGE = Path(__file__).resolve().parents[2] / "cadre_tui"
# A key handed to the catalogue: `.of("k"`, `Message("k"`, `Problem("k"`, `say("k"`, `messages.text("k"`,
# `what="k"`.
USED = re.compile(
    r"""(?:\.of|Message|Problem|say|messages\.text|what=)\(?\s*["']([a-z_]+\.[a-z0-9_.]+)["']"""
)


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _sources() -> dict[Path, str]:
    return {
        path: path.read_text(encoding="utf-8")
        for path in PACKAGE.rglob("*.py")
        if path.name != "message_texts.py"
    }


def test_every_message_has_both_languages_with_the_same_fields() -> None:
    for key, (zh, en) in MESSAGES.items():
        assert zh.strip() and en.strip(), key
        # English plural endings (`{s}`) have no Chinese
        assert _fields(zh) == _fields(en) - {"s", "rs"}, key
        bare = re.sub(r"\{\w+\}|`[^`]*`", "", zh)
        assert re.search(r"[\u4e00-\u9fff]", bare) or not re.search(r"[a-z]{4}", bare), key


def test_every_key_used_in_the_code_is_in_the_catalogue_and_every_key_is_used() -> None:
    used: dict[str, Path] = {}
    for path, source in _sources().items():
        for key in USED.findall(source):
            used.setdefault(key, path)
    assert used, "the scan found no message keys"
    missing = {key: str(path.relative_to(PACKAGE)) for key, path in used.items() if key not in MESSAGES}
    assert missing == {}
    everything = "\n".join(_sources().values())
    # keys made in the code (`Message(f"import.kind_{kind}")`) count as used by their stem
    stems = tuple(re.findall(r"""(?:Message|Text|\.of|say)\(f["']([a-z_.]+)\{""", everything))
    unused = [
        key
        for key in MESSAGES
        if f'"{key}"' not in everything and f"'{key}'" not in everything and not key.startswith(stems)
    ]
    assert unused == []


def test_an_unknown_key_fails_loudly() -> None:
    with pytest.raises(UnknownMessage):
        Message("no.such.key")
    with pytest.raises(UnknownMessage):
        text("no.such.key", "zh")


def test_a_message_renders_its_message_fields_in_the_same_language() -> None:
    what = Message("passphrase.sync")
    assert Message("passphrase.differ", what=what).text("zh") == "两次输入的同步包口令不一致，未作任何改动"
    assert (
        str(Message("passphrase.differ", what=what)) == "the two sync passphrases differ; nothing was changed"
    )
    error = InvalidInput.of("passphrase.differ", what=what)
    assert (str(error), error.text("zh")) == (
        "the two sync passphrases differ; nothing was changed",
        "两次输入的同步包口令不一致，未作任何改动",
    )
    assert (
        isinstance(Problem("passphrase.sync"), ValueError)
        and str(Problem("passphrase.sync")) == "sync passphrase"
    )


def _help_texts(parser: argparse.ArgumentParser) -> list[str]:
    texts = [parser.description] if parser.description else []
    for action in parser._actions:
        if action.help and action.help is not argparse.SUPPRESS:
            texts.append(action.help)
        if isinstance(action, argparse._SubParsersAction):
            texts += [choice.help for choice in action._choices_actions if choice.help]
            for sub in dict.fromkeys(action.choices.values()):
                texts += _help_texts(sub)
    return texts


def test_every_help_text_has_its_chinese_and_every_chinese_a_help_text() -> None:
    english = _help_texts(build_parser("en"))
    assert [t for t in english if t not in HELP] == []
    assert sorted(set(HELP) - set(english)) == []
    chinese = _help_texts(build_parser("zh"))
    assert [t for t in chinese if not re.search(r"[\u4e00-\u9fff]", t)] == []


def test_argparse_words_are_translated_with_their_placeholders() -> None:
    for english, zh in ARGPARSE.items():
        assert re.findall(r"%\(\w+\)[rs]|%[rs]", english) == re.findall(r"%\(\w+\)[rs]|%[rs]", zh), english


def test_lang_is_found_anywhere_on_the_command_line() -> None:
    assert lang_of([]) == "zh"
    assert lang_of(["import", "roster", "x.csv", "--lang", "en"]) == "en"
    assert lang_of(["--lang=en", "report"]) == "en"
    assert lang_of(["--lang", "fr"]) == "zh"
    assert lang_of(["visit", "add", "--", "--lang", "en"]) == "zh"


def test_help_is_chinese_by_default_and_english_with_lang_en(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    said = capsys.readouterr().out
    assert said.startswith("用法：cadre-tui") and "选项" in said and "从住户名册新建" not in said
    assert "打开应用（与不带命令相同）" in said
    assert main(["import", "roster", "--help"]) == 0
    said = capsys.readouterr().out
    assert "从住户名册新建或更新住户、居民和重点人群" in said and "只检查文件并报告，不写入任何数据" in said
    assert main(["import", "roster", "--help", "--lang", "en"]) == 0
    said = capsys.readouterr().out
    assert said.startswith("usage: cadre-tui import roster")
    assert "check the file and report, write nothing" in said


def test_argparse_errors_in_chinese_and_english(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "roster"]) == 2
    assert "cadre-tui import roster：错误：缺少以下参数：FILE" in capsys.readouterr().err
    assert main(["import", "roster", "--lang", "en"]) == 2
    assert "error: the following arguments are required: FILE" in capsys.readouterr().err


def test_no_error_is_raised_with_a_literal_text() -> None:
    """Every error of ours carries a catalogue key (`InvalidInput.of(key, ...)`), never inline words."""
    literal = re.compile(r"""\b(?:InvalidInput|Refused|CadreError|NoCommunity|WrongPassphrase)\(\s*f?["']""")
    found = [
        f"{path.relative_to(PACKAGE)}:{source[: match.start()].count(chr(10)) + 1}"
        for path, source in _sources().items()
        for match in literal.finditer(source)
    ]
    assert found == []


def test_the_app_shows_an_error_in_its_language() -> None:
    from cadre_tui.tui.base_app import BaseApp

    error = InvalidInput.of("records.visit_no_cadre")
    assert BaseApp(lang="zh").error_text(error) == "请至少选择一名到场干部"
    assert BaseApp(lang="en").error_text(error) == "a visit needs at least one cadre present"


def test_a_bad_bundle_cell_reads_in_both_languages() -> None:
    from cadre_tui.io.bundle_values import _flag
    from cadre_tui.messages import Text

    problem = Text("file.column_problem", column="deleted", problem=_flag("7"))
    error = InvalidInput.of("file.at", file="b/visits.csv", line=2, problem=problem)
    assert error.text("zh") == "b/visits.csv:2: deleted: 应为 0 或 1，不是 '7'"
    assert str(error) == "b/visits.csv:2: deleted: must be 0 or 1, not '7'"
