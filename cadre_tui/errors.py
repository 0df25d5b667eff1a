"""Errors that end a command with one of the exit codes of SPEC §7."""

from __future__ import annotations


class CadreError(Exception):
    """A failure the user should read; `exit_code` is what the command exits with."""

    exit_code = 1

    def __init__(self, message: str, *, lines: list[str] | None = None, zh: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.lines = lines or []
        # The same message in Chinese, where one is written: the app shows it when its language is zh.
        self.zh = zh


class InvalidInput(CadreError):
    """Bad usage or invalid input: exit 2, nothing written."""

    exit_code = 2


class Refused(CadreError):
    """Refused: would overwrite, another community's data, a newer database: exit 3."""

    exit_code = 3


class NoCommunity(InvalidInput):
    """The database holds no community yet."""
