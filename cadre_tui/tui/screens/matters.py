"""Must-attend matters (`m`): the log, a new matter, marking one attended, corrections; late ones in red."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Input, Label, Select, SelectionList, Static

from cadre_tui.core.dates import parse_datetime
from cadre_tui.core.domain import MATTER_KINDS, MATTER_SCOPES, label
from cadre_tui.store import views
from cadre_tui.tui.format import fit, local_time
from cadre_tui.tui.screens.base import CadreModal, CadreScreen
from cadre_tui.tui.widgets.dialogs import DIALOG_CSS, ConfirmDialog


class MattersScreen(CadreScreen):
    """The log of must-attend matters, latest first."""

    CSS_PATH = "matters.tcss"
    HELP_KEY = "help.matters"
    NAME_KEY = "screen.matters"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "key.new_matter", id="matters.new"),
        Binding("a", "attend", "key.attend", id="matters.attend"),
        Binding("e", "edit", "key.edit", id="matters.edit"),
        Binding("x,delete", "delete", "key.delete", id="matters.delete"),
        Binding("r", "refresh", "key.refresh", id="matters.refresh", show=False),
    ]

    class Loaded(Message):
        """The log was read."""

        def __init__(self, matters: list[dict[str, Any]]) -> None:
            super().__init__()
            self.matters = matters

    def __init__(self) -> None:
        super().__init__()
        self.matters: dict[str, dict[str, Any]] = {}

    def compose(self) -> ComposeResult:
        """Title and the log."""
        yield Header()
        yield Static(self.t("mat.title"), classes="section-title")
        yield DataTable(id="matters", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        """Columns."""
        t = self.t
        self.query_one(DataTable).add_columns(
            t("col.occurred"),
            t("col.kind"),
            t("col.title"),
            t("col.where"),
            # the state before when and by whom: it stays in view on an 80-column terminal
            t("col.status"),
            t("col.attended"),
            t("col.attended_by"),
        )
        self.query_one(DataTable).focus()

    def on_screen_resume(self) -> None:
        """Fresh log whenever the screen comes back."""
        if not self.still_loading("matters"):
            self.load()

    def action_refresh(self) -> None:
        """Read the log again."""
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="matters")
    def load(self) -> None:
        """Read the log off the UI thread."""
        now = self.cadre.now()
        with self.cadre.using_store() as store:
            matters = views.matters_log(store, now)
        self.post_message(self.Loaded(matters))

    def on_matters_screen_loaded(self, message: Loaded) -> None:
        """Fill the table; late and overdue ones in red."""
        t = self.t
        lang = self.cadre.lang
        tz = self.cadre.store.tz()
        table = self.query_one(DataTable)
        keep = self._highlighted()
        table.clear()
        self.matters = {m["id"]: m for m in message.matters}
        for item in message.matters:
            if item["attended_at"]:
                status = (
                    Text(t("mat.late") + " ✗", style="bold red")
                    if item["late"]
                    else Text(t("mat.on_time") + " ✓", style="green")
                )
            elif item["overdue"]:
                status = Text(t("mat.overdue") + " ✗", style="bold red reverse")
            else:
                status = Text(t("mat.open"), style="yellow")
            table.add_row(
                local_time(item["occurred_at"], tz),
                fit(label(MATTER_KINDS, item["kind"], lang), 10),
                fit(item["title"], 20),
                item["where"] or t("mat.community"),
                status,
                local_time(item["attended_at"], tz)[5:],
                codes_in_short(item["attended_codes"]),
                key=item["id"],
            )
        if keep and keep in self.matters:
            keys = [row.key.value for row in table.ordered_rows]
            table.move_cursor(row=keys.index(keep))

    def _highlighted(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def selected_household_id(self) -> str | None:
        """A household's matter: `v` records a visit to that household."""
        key = self._highlighted()
        matter = self.matters.get(key) if key else None
        return matter["household_id"] if matter else None

    def _reload(self, saved: bool | None) -> None:
        if saved:
            self.load()

    def action_new(self) -> None:
        """Log a new matter."""
        self.app.push_screen(MatterForm(None), self._reload)

    def action_edit(self) -> None:
        """Correct the highlighted matter."""
        key = self._highlighted()
        if key is None or key not in self.matters:
            self.notify(self.t("mat.choose"), severity="warning")
            return
        self.app.push_screen(MatterForm(key), self._reload)

    def action_attend(self) -> None:
        """Mark the highlighted matter attended: when, and which cadres."""
        key = self._highlighted()
        if key is None or key not in self.matters:
            self.notify(self.t("mat.choose"), severity="warning")
            return
        self.app.push_screen(AttendForm(self.matters[key]), self._reload)

    def action_delete(self) -> None:
        """Delete the highlighted matter (a tombstone), after asking."""
        key = self._highlighted()
        if key is None or key not in self.matters:
            self.notify(self.t("mat.choose"), severity="warning")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.delete(key)

        self.app.push_screen(ConfirmDialog(self.t("mat.delete", title=self.matters[key]["title"])), answered)

    @work(thread=True, exit_on_error=False, group="matters-write")
    def delete(self, matter_id: str) -> None:
        """Tombstone the matter, then read the log again."""
        from cadre_tui.store.records import delete_matter

        with self.cadre.using_store() as store:
            delete_matter(store, matter_id)
        self.cadre.call_from_thread(self.load)


FORM_CSS = (
    DIALOG_CSS
    + """
MatterForm, AttendForm { align: center middle; }
MatterForm .dialog, AttendForm .dialog { width: 70; }
MatterForm Label, AttendForm Label { color: $text-muted; }
AttendForm SelectionList { height: 6; }
"""
)


class MatterForm(CadreModal):
    """A new matter, or corrections to one: kind, title, scope, when it occurred, notes."""

    DEFAULT_CSS = FORM_CSS
    IS_FORM = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "key.save", id="matter.save", priority=True),
        Binding("escape", "cancel", "key.cancel", id="matter.cancel"),
    ]

    def __init__(self, matter_id: str | None) -> None:
        super().__init__()
        self.matter_id = matter_id
        self.zone_codes: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        """The fields, with kind and scope as choices."""
        t = self.t
        lang = self.cadre.lang
        with Vertical(classes="dialog"):
            yield Label(t("mat.edit" if self.matter_id else "mat.new"), classes="dialog-title")
            yield Label(t("mat.kind"))
            yield Select[str](
                [(label(MATTER_KINDS, k.code, lang), k.code) for k in MATTER_KINDS],
                id="kind",
                compact=True,
                allow_blank=False,
            )
            yield Label(t("mat.title_field"))
            yield Input(id="title", compact=True)
            yield Label(t("mat.scope"))
            yield Select[str](
                [(label(MATTER_SCOPES, s.code, lang), s.code) for s in MATTER_SCOPES],
                id="scope",
                compact=True,
                allow_blank=False,
            )
            yield Label(t("mat.zone"))
            yield Select[str]([], id="zone", compact=True, prompt=t("mat.zone_prompt"))
            yield Label(t("mat.household"))
            yield Input(id="household", compact=True)
            yield Label(t("mat.occurred_at"))
            now = local_time_now(self)
            yield Input(now, id="occurred", compact=True)
            yield Label(t("mat.notes"))
            yield Input(id="notes", compact=True)
            yield Static(t("visit.save_hint"), classes="muted")

    def on_mount(self) -> None:
        """Kind first; read the zones and (when correcting) the matter."""
        self.query_one("#kind", Select).focus()
        self.load()

    class Loaded(Message):
        """Zones, and the matter being corrected."""

        def __init__(self, zones: list[dict[str, Any]], matter: dict[str, Any] | None) -> None:
            super().__init__()
            self.zones = zones
            self.matter = matter

    @work(thread=True, exclusive=True, exit_on_error=False, group="matter-form")
    def load(self) -> None:
        """Read zones and the matter."""
        with self.cadre.using_store() as store:
            zones = views.zones(store)
            matter = views.matter(store, self.matter_id) if self.matter_id else None
        self.post_message(self.Loaded(zones, matter))

    def on_matter_form_loaded(self, message: Loaded) -> None:
        """Fill the zone choice and the matter's values."""
        self.query_one("#zone", Select).set_options(
            [(f"{z['code']} {z['name']}", z["id"]) for z in message.zones]
        )
        matter = message.matter
        if matter is None:
            return
        tz = self.cadre.store.tz()
        self.query_one("#kind", Select).value = matter["kind"]
        self.query_one("#title", Input).value = matter["title"]
        self.query_one("#scope", Select).value = matter["scope"]
        if matter["zone_id"]:
            self.query_one("#zone", Select).value = matter["zone_id"]
        self.query_one("#household", Input).value = matter["household_no"] or ""
        self.query_one("#occurred", Input).value = local_time(matter["occurred_at"], tz)
        self.query_one("#notes", Input).value = matter["notes"] or ""

    def action_cancel(self) -> None:
        """Leave without saving."""
        self.dismiss(False)

    def action_save(self) -> None:
        """Check the fields here (time, title); the records functions check the rest."""
        title = self.query_one("#title", Input).value.strip()
        if not title:
            self.notify(self.t("mat.need_title"), severity="error")
            self.query_one("#title", Input).focus()
            return
        occurred = self.query_one("#occurred", Input).value.strip()
        try:
            occurred_at = parse_datetime(occurred, self.cadre.store.tz())
        except ValueError:
            self.notify(
                self.t("form.bad_time", field=self.t("col.occurred"), value=occurred), severity="error"
            )
            self.query_one("#occurred", Input).focus()
            return
        zone = self.query_one("#zone", Select).value
        self.save(
            {
                "kind": self.query_one("#kind", Select).value,
                "title": title,
                "scope": self.query_one("#scope", Select).value,
                "zone_id": zone if isinstance(zone, str) else None,
                "household_no": self.query_one("#household", Input).value.strip(),
                "occurred_at": occurred_at,
                "notes": self.query_one("#notes", Input).value.strip(),
            }
        )

    @work(thread=True, exit_on_error=False, group="matter-save")
    def save(self, fields: dict[str, Any]) -> None:
        """Write through the records functions."""
        from cadre_tui.errors import InvalidInput
        from cadre_tui.store.records import add_matter, household_by_no, update_matter

        household_no = fields.pop("household_no")
        scope = fields["scope"]
        with self.cadre.using_store() as store:
            household_id = None
            if scope == "household":
                household = household_by_no(store, household_no)
                if household is None:
                    raise InvalidInput(f"{self.t('mat.household')}: {household_no or '-'}?")
                household_id = household["id"]
            fields["household_id"] = household_id
            if scope != "zone":
                fields["zone_id"] = None
            if self.matter_id:
                update_matter(store, self.matter_id, now=self.cadre.now(), **fields)
            else:
                add_matter(store, **fields)
        self.cadre.call_from_thread(self._saved)

    def _saved(self) -> None:
        self.notify(self.t("mat.saved"))
        self.dismiss(True)


class AttendForm(CadreModal):
    """Mark a matter attended: when, and which cadres were there."""

    DEFAULT_CSS = FORM_CSS
    IS_FORM = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "key.save", id="attend.save", priority=True),
        Binding("escape", "cancel", "key.cancel", id="attend.cancel"),
    ]

    class Loaded(Message):
        """Cadres, and who to tick by default."""

        def __init__(self, cadres: list[dict[str, Any]], chosen: list[str]) -> None:
            super().__init__()
            self.cadres = cadres
            self.chosen = chosen

    def __init__(self, matter: dict[str, Any]) -> None:
        super().__init__()
        self.matter = matter

    def compose(self) -> ComposeResult:
        """Time and cadres."""
        t = self.t
        with Vertical(classes="dialog"):
            yield Label(t("mat.attend", title=self.matter["title"]), classes="dialog-title")
            yield Label(t("mat.attended_at"))
            yield Input(local_time_now(self), id="attended-at", compact=True)
            yield Label(t("mat.cadres"))
            yield SelectionList[str](id="attend-cadres", compact=True)
            yield Static(t("visit.save_hint"), classes="muted")

    def on_mount(self) -> None:
        """The time box first; cadres load in a worker."""
        self.query_one("#attended-at", Input).focus()
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="attend-form")
    def load(self) -> None:
        """Cadres; those who attended already, else the `me` cadre's team, else the matter's own team."""
        matter = self.matter
        with self.cadre.using_store() as store:
            cadres = views.cadres(store)
            chosen = views.split_ids(matter["attended_by"])
            if not chosen:
                team = views.my_team(store)
                if team is None and matter.get("household_id"):
                    team = views.team_of_household(store, matter["household_id"])
                elif team is None and matter.get("zone_id"):
                    team = next((t for t in views.teams(store) if t["zone_id"] == matter["zone_id"]), None)
                active = {c["id"] for c in cadres}
                chosen = [m for m in team["member_ids"] if m in active] if team else []
        self.post_message(self.Loaded(cadres, chosen))

    def on_attend_form_loaded(self, message: Loaded) -> None:
        """Fill the cadres."""
        self.query_one(SelectionList).add_options(
            [(f"{c['code']} {c['name']}", c["id"], c["id"] in message.chosen) for c in message.cadres]
        )

    @on(Input.Submitted)
    def _enter(self) -> None:
        self.action_save()

    def action_cancel(self) -> None:
        """Leave without saving."""
        self.dismiss(False)

    def action_save(self) -> None:
        """Parse the time and write the attendance."""
        attended = self.query_one("#attended-at", Input).value.strip()
        try:
            attended_at = parse_datetime(attended, self.cadre.store.tz())
        except ValueError:
            self.notify(
                self.t("form.bad_time", field=self.t("col.attended"), value=attended), severity="error"
            )
            return
        self.save(attended_at, list(self.query_one(SelectionList).selected))

    @work(thread=True, exit_on_error=False, group="attend-save")
    def save(self, attended_at: Any, cadre_ids: list[str]) -> None:
        """Write through `attend_matter` (it refuses a time in the future or before the matter)."""
        from cadre_tui.store.records import attend_matter

        with self.cadre.using_store() as store:
            attend_matter(
                store, self.matter["id"], attended_at=attended_at, cadre_ids=cadre_ids, now=self.cadre.now()
            )
        self.cadre.call_from_thread(self._saved)

    def _saved(self) -> None:
        self.notify(self.t("mat.saved"))
        self.dismiss(True)


def codes_in_short(codes: list[str], shown: int = 2) -> str:
    """The first cadres' codes and how many more (`C01,C02…+6`): a community matter may have many."""
    if len(codes) <= shown + 1:
        return ",".join(codes)
    return ",".join(codes[:shown]) + f"…+{len(codes) - shown}"


def local_time_now(node: CadreModal) -> str:
    """Now as `YYYY-MM-DD HH:MM` in the community's time zone (the forms' default)."""
    return node.cadre.now().astimezone(node.cadre.store.tz()).strftime("%Y-%m-%d %H:%M")
