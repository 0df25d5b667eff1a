"""The 23766 domain, pure: no SQLite, no Textual, no clock reads."""
