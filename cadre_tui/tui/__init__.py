"""The Textual app (SPEC §8). Imported only by `cadre-tui` and `cadre-tui tui`, never by other commands."""
