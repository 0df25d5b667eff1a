"""The command palette (ctrl+p): every screen to go to, and every key of the current screen as a command."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode

from cadre_tui.tui.i18n import text

# The screens' keys, as the app binds them (a palette entry shows its key as help): key -> screen, action.
SCREEN_KEYS = {
    "d": ("dashboard", "go('dashboard')"),
    "p": ("plan", "go('plan')"),
    "h": ("households", "go('households')"),
    "m": ("matters", "go('matters')"),
    "s": ("sync", "sync"),
    "o": ("settings", "go('settings')"),
}
SCREEN_ACTIONS = {action for _, action in SCREEN_KEYS.values()}


class CadreCommands(Provider):
    """Go-to commands for the screens, the active keys of the screen the palette was opened on, quit."""

    def _commands(self) -> list[tuple[str, str, Callable[[], Awaitable[Any]]]]:
        """(title, help, run) for every command that makes sense now."""
        app = self.app
        lang = getattr(app, "lang", "zh")
        found: list[tuple[str, str, Callable[[], Awaitable[Any]]]] = []
        for key, (screen, action) in SCREEN_KEYS.items():
            # the app says when the screen keys work (not in a form, not before a community exists)
            name, _, params = action.partition("(")
            if app.check_action(name, (params.strip("')"),) if params else ()):
                title = text("cmd.go", lang, screen=text(f"screen.{screen}", lang))
                found.append((title, key, partial(app.run_action, action)))
        seen = {title for title, _, _ in found}
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if (
                binding.id is None
                or not binding.description
                or not active.enabled
                or binding.action in SCREEN_ACTIONS
            ):
                continue
            title = binding.description
            if title in seen:
                continue
            seen.add(title)
            found.append((title, binding.key_display or key, partial(self._run, binding.action, active.node)))
        found.append((text("key.quit", lang), "ctrl+q", partial(app.run_action, "quit")))
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
