"""Reading and writing the 23766 settings, with the defaults of SPEC §2 for what was never set."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from cadre_tui.core.settings import SETTINGS, Rules, format_setting, parse_setting, rules_from, setting_def
from cadre_tui.errors import InvalidInput
from cadre_tui.store.db import Store


@dataclass(frozen=True)
class SettingValue:
    """A setting as `config` lists it."""

    key: str
    value: str
    is_default: bool


def _stored(store: Store) -> dict[str, Any]:
    placeholders = ", ".join("?" for _ in SETTINGS)
    rows = store.db.execute(
        f"SELECT key, value FROM settings WHERE deleted = 0 AND key IN ({placeholders})", list(SETTINGS)
    ).fetchall()
    return {key: json.loads(value) for key, value in rows}


def load_rules(store: Store) -> Rules:
    """The rules in force: stored settings over the defaults."""
    return rules_from(_stored(store))


def list_settings(store: Store) -> list[SettingValue]:
    """Every setting in definition order, with its shown value and whether it is the default."""
    stored = _stored(store)
    return [
        SettingValue(key, format_setting(key, stored.get(key, d.default)), key not in stored)
        for key, d in SETTINGS.items()
    ]


def get_setting_value(store: Store, key: str) -> SettingValue:
    """One setting; InvalidInput on an unknown key."""
    try:
        definition = setting_def(key)
    except ValueError as exc:
        raise InvalidInput(exc) from None
    stored = _stored(store)
    value = stored.get(definition.key, definition.default)
    return SettingValue(definition.key, format_setting(definition.key, value), definition.key not in stored)


def change_setting(store: Store, key: str, text: str) -> SettingValue:
    """Parse `text` and store it under `key`; InvalidInput naming the key on a bad key or value."""
    try:
        definition = setting_def(key)
        current = store.get_setting(definition.key, definition.default)
        value = parse_setting(definition.key, text, current)
    except ValueError as exc:
        raise InvalidInput.of("option.problem", option=key.strip(), problem=exc) from None
    store.set_setting(definition.key, value)
    return SettingValue(definition.key, format_setting(definition.key, value), False)


# -- this laptop's own preferences (never synced) -----------------------------------------------


def get_local(store: Store, key: str) -> str | None:
    """A preference of this laptop only (never synced), e.g. the app's language."""
    row = store.db.execute("SELECT value FROM local WHERE key = ?", [f"pref.{key}"]).fetchone()
    return row[0] if row else None


def set_local(store: Store, key: str, value: str) -> None:
    """Set a preference of this laptop only."""
    with store.transaction():
        store.db.execute(
            "INSERT INTO local (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [f"pref.{key}", value],
        )


# -- the app's Settings screen --------------------------------------------------------------------


@dataclass(frozen=True)
class AppSettings:
    """What the Settings screen shows: this laptop's cadre (`me`), the planner's capacity, the language."""

    me: str | None
    capacity: str
    lang: str | None


def app_settings(store: Store) -> AppSettings:
    """The current `me` and capacity (community settings) and the language saved on this laptop."""
    return AppSettings(
        store.get_setting("me"), get_setting_value(store, "capacity").value, get_local(store, "lang")
    )


def save_app_settings(store: Store, me: str | None, capacity: str, lang: str) -> None:
    """Write the Settings screen's values in one transaction (each checked; nothing written on a bad one)."""
    with store.transaction():
        if me:
            change_setting(store, "me", me)
        if capacity:
            change_setting(store, "capacity", capacity)
        set_local(store, "lang", lang)
