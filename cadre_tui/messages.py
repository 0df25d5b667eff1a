"""Every message the command line prints, and every error the app shows: one catalogue, zh and en.

A message is a key of `MESSAGES` and its fields (`Message("passphrase.differ", what=...)`); it is rendered
in the chosen language only when printed, so one error object serves the command line (`--lang`) and
the app (its language setting). Texts hold `{name}` fields for `str.format`; a field that is itself a
`Message` (or a `Problem`) is rendered in the same language. English plurals: the caller passes `s`.

This module sits beside `errors.py`, outside the layers: core, store, io, cli and tui all import it.
The catalogue's texts are in `cadre_tui/message_texts.py`; the command line's `--help` texts are in
`HELP` there, keyed by their English text (argparse is handed the translation when the parser is built).
`tests/unit/test_messages.py` fails on a key without both languages, on a key used in the code but
missing here, and on a `--help` text without its Chinese.
"""

from __future__ import annotations

from typing import Any

from cadre_tui.message_texts import ARGPARSE, HELP, MESSAGES

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"


class UnknownMessage(KeyError):
    """A key that is not in the catalogue: a bug, so it fails loudly (tests catch it)."""


def render(value: Any, lang: str) -> Any:
    """A field's value as printed: messages rendered in `lang`, anything else as it is."""
    if isinstance(value, Message | Problem | Text):
        return value.text(lang)
    return value


def text(key: str, lang: str, /, **fields: Any) -> str:
    """The text of `key` in `lang` (`zh`, else English), formatted with `fields`."""
    try:
        zh, en = MESSAGES[key]
    except KeyError:
        raise UnknownMessage(key) from None
    template = zh if lang == "zh" else en
    if not fields:
        return template
    return template.format(**{name: render(value, lang) for name, value in fields.items()})


class Message:
    """A catalogue key and its fields; `text(lang)` renders it, `str()` is the English."""

    __slots__ = ("fields", "key")

    def __init__(self, key: str, /, **fields: Any) -> None:
        if key not in MESSAGES:
            raise UnknownMessage(key)
        self.key = key
        self.fields = fields

    def text(self, lang: str) -> str:
        """The message in `lang`."""
        return text(self.key, lang, **self.fields)

    def __str__(self) -> str:
        return self.text("en")

    def __repr__(self) -> str:
        return f"Message({self.key!r}, {self.fields!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (self.key, self.fields) == (other.key, other.fields)

    def __hash__(self) -> int:
        return hash(self.key)


class Text(str):
    """A message as an English `str` that keeps its message: code that handles text (lists of problem
    lines, reports) sees the English; whatever prints it in the user's language calls `text(lang)`."""

    message: Message

    def __new__(cls, key: str, /, **fields: Any) -> Text:
        message = Message(key, **fields)
        made = super().__new__(cls, message.text("en"))
        made.message = message
        return made

    def text(self, lang: str) -> str:
        """The message in `lang`."""
        return self.message.text(lang)


class Problem(ValueError):
    """What a core rule raises for a bad value: a `ValueError` (as callers catch) that carries its message.

    `str()` is the English text, so code and tests that read `str(exc)` are unchanged; callers that
    print it in the user's language keep the exception itself as a field (`Message(..., problem=exc)`).
    """

    def __init__(self, key: str, /, **fields: Any) -> None:
        self.message = Message(key, **fields)
        super().__init__(self.message.text("en"))

    def text(self, lang: str) -> str:
        """The problem in `lang`."""
        return self.message.text(lang)


def problem_text(error: object, lang: str) -> str:
    """A text in `lang`: a `Message`, `Text`, `Problem` or `CadreError` translated; anything else as is."""
    speak = getattr(error, "text", None)
    if callable(speak):
        return str(speak(lang))
    return str(error)


def plural(count: int) -> str:
    """The English plural ending for `count` things (the `{s}` of a text; Chinese has none)."""
    return "" if count == 1 else "s"


def help_text(english: str, lang: str) -> str:
    """A `--help` text in `lang`: the Chinese of `HELP`, or the English as written in the code."""
    if lang != "zh":
        return english
    return HELP.get(english, english)


def argparse_text(english: str, lang: str) -> str:
    """argparse's own words (usage:, options, its error messages) in `lang`."""
    if lang != "zh":
        return english
    return ARGPARSE.get(english, english)


def lang_of(argv: list[str]) -> str:
    """`--lang` as given anywhere on the command line (the parser is built in that language), else zh."""
    lang = DEFAULT_LANG
    for index, word in enumerate(argv):
        if word == "--":
            break
        if word == "--lang" and index + 1 < len(argv):
            lang = argv[index + 1]
        elif word.startswith("--lang="):
            lang = word.split("=", 1)[1]
    return lang if lang in LANGS else DEFAULT_LANG
