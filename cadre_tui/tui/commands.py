"""The command palette (ctrl+p) of both apps, built from the bindings themselves: no second list of keys.

Its entries are the active bindings of the screen it was opened on (the screen's own `BINDINGS`, then
the app's), those with an `id` and a description, enabled now: the app's `go.<mode>` keys become "转到：…"
and come first; the rest keep their description. A screen added with its `BINDINGS` (ids and catalogue
descriptions) and, for a screen key, a `go.<mode>` binding on the app, shows in the palette by itself:
the cadre app's 总览 … 设置 and the office app's 周汇总 导入 导出 alike.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode

from cadre_tui.tui.i18n import text
from cadre_tui.tui.screens.base import full_description

if TYPE_CHECKING:
    from cadre_tui.tui.base_app import BaseApp

# The id prefix of the app's bindings that go to a screen (`go.dashboard`, `go.sync` …).
GO = "go."


class CadreCommands(Provider):
    """The screens to go to, the active keys of the screen the palette was opened on, quit, and the app's
    share of Textual's own commands (the palette's one provider: this order, whatever Textual's)."""

    def _commands(self) -> list[tuple[str, str, Callable[[], Awaitable[Any]]]]:
        """(title, help, run) for every command that makes sense now, screens first."""
        lang = cast("BaseApp", self.app).lang
        screens: list[tuple[str, str, Callable[[], Awaitable[Any]]]] = []
        others: list[tuple[str, str, Callable[[], Awaitable[Any]]]] = []
        seen: set[str] = set()
        # active_bindings leaves out what check_action refuses (screen keys in a form, before a community)
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if binding.id is None or not binding.description or not active.enabled:
                continue
            if binding.action in ("command_palette", "app.command_palette"):
                continue
            going = binding.id.startswith(GO)
            described = full_description(binding)
            title = text("cmd.go", lang, screen=described) if going else described
            if title in seen:
                continue
            seen.add(title)
            shown_key = binding.key_display or key
            (screens if going else others).append(
                (title, shown_key, partial(self._run, binding.action, active.node))
            )
        # then what the app keeps of Textual's own commands (`BaseApp.get_system_commands`), last
        system = [
            (command.title, command.help, partial(self._call, command.callback))
            for command in self.app.get_system_commands(self.screen)
        ]
        return screens + others + system

    async def _run(self, action: str, node: DOMNode) -> None:
        await self.app.run_action(action, node)

    async def _call(self, callback: Callable[[], Any]) -> None:
        result = callback()
        if inspect.isawaitable(result):
            await result

    async def discover(self) -> Hits:
        """Everything, when nothing is typed yet."""
        for title, help_text, run in self._commands():
            yield DiscoveryHit(title, run, help=help_text)

    async def search(self, query: str) -> Hits:
        """Commands whose title matches what is typed."""
        matcher = self.matcher(query)
        for title, help_text, run in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), run, text=title, help=help_text)
