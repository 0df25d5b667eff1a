"""The nine synced tables as the bundle files of SPEC §6 name them: columns in order, and each file's table.

Pure data: the store's merge and the bundle's reader and writer (io/) all take the columns from here.
"""

from __future__ import annotations

SYNC_COLUMNS = ("updated_at", "origin", "deleted")

# file name -> (store table, columns before the sync columns), in the order SPEC §6 lists them.
BUNDLE_FILES: dict[str, tuple[str, tuple[str, ...]]] = {
    "zones.csv": ("zones", ("id", "code", "name")),
    "cadres.csv": ("cadres", ("id", "code", "name", "phone", "active")),
    "teams.csv": ("teams", ("id", "code", "name", "zone_id", "member_ids")),
    "households.csv": (
        "households",
        ("id", "household_no", "zone_id", "estate", "building", "unit", "room", "active"),
    ),
    "residents.csv": (
        "residents",
        (
            "id",
            "household_id",
            "name",
            "gender",
            "birth_date",
            "id_number",
            "phone",
            "relation",
            "status",
            "notes",
        ),
    ),
    "memberships.csv": ("memberships", ("id", "resident_id", "group", "since")),
    "visits.csv": (
        "visits",
        (
            "id",
            "household_id",
            "team_id",
            "visit_date",
            "cadre_ids",
            "outcome",
            "resident_ids",
            "needs",
            "notes",
            "follow_up_date",
            "assistance_yuan",
        ),
    ),
    "matters.csv": (
        "matters",
        (
            "id",
            "kind",
            "title",
            "scope",
            "zone_id",
            "household_id",
            "occurred_at",
            "attended_at",
            "attended_by",
            "notes",
        ),
    ),
    "plans.csv": ("plans", ("id", "team_id", "week", "day", "household_id", "position", "reason", "manual")),
}

# Bundle column -> store column where they differ (`group` is a reserved word in SQL).
STORE_COLUMN = {"group": "group_code"}


def bundle_columns(file_name: str) -> tuple[str, ...]:
    """Every column of a bundle file, sync columns last."""
    return BUNDLE_FILES[file_name][1] + SYNC_COLUMNS


def store_column(bundle_column: str) -> str:
    """The store's name of a bundle column."""
    return STORE_COLUMN.get(bundle_column, bundle_column)


def store_columns(file_name: str) -> tuple[str, ...]:
    """The store's names of a bundle file's columns, sync columns left out."""
    return tuple(store_column(c) for c in BUNDLE_FILES[file_name][1])
