"""Errors that end a command with one of the exit codes of SPEC §7.

An error carries a catalogue message (`InvalidInput.of("passphrase.needed", path=path)`), rendered in
the user's language when printed (`error.text(lang)`): the command line's `--lang`, the app's
language. `str(error)` and `error.message` are the English text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Self

from cadre_tui.messages import Message, Problem, Text, problem_text


class CadreError(Exception):
    """A failure the user should read; `exit_code` is what the command exits with."""

    exit_code = 1

    def __init__(
        self,
        message: str | Message | Exception,
        *,
        lines: Sequence[str | Message | Problem] | None = None,
    ) -> None:
        # A rule's Problem or a catalogue Text keep their message; any other exception is its text.
        if isinstance(message, Problem | Text):
            message = message.message
        elif isinstance(message, Exception):
            message = str(message)
        self.said = message if isinstance(message, Message) else None
        english = str(message)
        super().__init__(english)
        self.message = english
        self.lines = list(lines or [])

    @classmethod
    def of(
        cls, key: str, /, *, lines: Sequence[str | Message | Problem] | None = None, **fields: Any
    ) -> Self:
        """The error of catalogue message `key` with its fields."""
        return cls(Message(key, **fields), lines=lines)

    def text(self, lang: str) -> str:
        """The message in `lang`."""
        # A plain-text message (a bug's or a library's words) reads the same in both languages.
        return self.said.text(lang) if self.said is not None else self.message

    def as_text(self) -> str:
        """The message as an English `str` that keeps its translation (a `Text`), to be printed later."""
        return Text(self.said.key, **self.said.fields) if self.said is not None else self.message

    def line_texts(self, lang: str) -> list[str]:
        """The lines printed before the message (a file's problems), in `lang`."""
        return [problem_text(line, lang) for line in self.lines]


class InvalidInput(CadreError):
    """Bad usage or invalid input: exit 2, nothing written."""

    exit_code = 2


class Refused(CadreError):
    """Refused: would overwrite, another community's data, a newer database: exit 3."""

    exit_code = 3


class NoCommunity(InvalidInput):
    """The database holds no community yet."""
