"""Key descriptions in the app's language.

`BINDINGS` are class attributes, written once; their descriptions are catalogue keys (`key.save`). Each
screen and the app translate their own copy of the bindings when they are created, so the footer, the
help screen and the command palette all show the chosen language.
"""

from __future__ import annotations

from dataclasses import replace

from textual.dom import DOMNode

from cadre_tui.tui.i18n import text


def localise_bindings(node: DOMNode, lang: str) -> None:
    """Replace catalogue keys in the node's binding descriptions by their text in `lang`."""
    # `_bindings` is the node's own copy of its merged BINDINGS (Textual copies it per instance).
    for key, bindings in node._bindings.key_to_bindings.items():
        node._bindings.key_to_bindings[key] = [
            replace(b, description=text(b.description, lang)) if b.description.startswith("key.") else b
            for b in bindings
        ]
