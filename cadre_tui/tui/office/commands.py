"""The office app's command palette (ctrl+p): its screens, every key of the current screen, quit.

The shape of `tui/commands.py` with the office's screen keys (w, i, e); the two can fold into one
provider that takes the screen keys from the app.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode

from cadre_tui.tui.i18n import text

# key -> (screen, action), as OfficeApp binds them
SCREEN_KEYS = {
    "w": ("office_week", "go('week')"),
    "i": ("office_import", "go('import')"),
    "e": ("office_export", "go('export')"),
}
SCREEN_ACTIONS = {action for _, action in SCREEN_KEYS.values()}


class OfficeCommands(Provider):
    """Go-to commands for the office screens, the active keys of the screen below the palette, quit."""

    def _commands(self) -> list[tuple[str, str, Callable[[], Awaitable[Any]]]]:
        app = self.app
        lang = getattr(app, "lang", "zh")
        found: list[tuple[str, str, Callable[[], Awaitable[Any]]]] = []
        if app.check_action("go", ()):
            for key, (screen, action) in SCREEN_KEYS.items():
                title = text("cmd.office_go", lang, screen=text(f"screen.{screen}", lang))
                found.append((title, key, partial(app.run_action, action)))
        seen = {title for title, _, _ in found}
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if (
                binding.id is None
                or not binding.description
                or not active.enabled
                or binding.action in SCREEN_ACTIONS
                or binding.description in seen
            ):
                continue
            seen.add(binding.description)
            found.append(
                (
                    binding.description,
                    binding.key_display or key,
                    partial(self._run, binding.action, active.node),
                )
            )
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
