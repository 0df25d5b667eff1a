"""The command palette (ctrl+p): every screen to go to, and every key of the current screen as a command."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode

from cadre_tui.tui.i18n import text

# The screens' keys, as the app binds them (a palette entry shows its key as help).
SCREEN_KEYS = {"d": "dashboard", "p": "plan", "h": "households", "m": "matters", "o": "settings"}


class CadreCommands(Provider):
    """Go-to commands for the screens, and the active keys of the screen the palette was opened on."""

    def _commands(self) -> list[tuple[str, str, Callable[[], Awaitable[Any]]]]:
        """(title, help, run) for every command that makes sense now."""
        app = self.app
        lang = getattr(app, "lang", "zh")
        found: list[tuple[str, str, Callable[[], Awaitable[Any]]]] = []
        if getattr(app, "current_mode", "") != "start":
            for key, mode in SCREEN_KEYS.items():
                title = text("cmd.go", lang, screen=text(f"screen.{mode}", lang))
                found.append((title, key, partial(app.run_action, f"go('{mode}')")))
        seen = {title for title, _, _ in found}
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if (
                binding.id is None
                or not binding.description
                or not active.enabled
                or binding.action.startswith("go(")
            ):
                continue
            title = binding.description
            if title in seen:
                continue
            seen.add(title)
            found.append((title, binding.key_display or key, partial(self._run, binding.action, active.node)))
        return found

    async def _run(self, action: str, node: DOMNode) -> None:
        await self.app.run_action(action, node)

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
