"""The matter forms of the Matters screen: a new matter or corrections to one, and marking one attended."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Label, Select, SelectionList, Static

from cadre_tui.core.dates import parse_datetime
from cadre_tui.core.domain import MATTER_KINDS, MATTER_SCOPES, label
from cadre_tui.store import views
from cadre_tui.store.matter_views import Matter, matter
from cadre_tui.store.views import Cadre, Zone
from cadre_tui.tui.format import local_time
from cadre_tui.tui.screens.base import CadreModal
from cadre_tui.tui.widgets.dialogs import DIALOG_CSS

FORM_CSS = (
    DIALOG_CSS
    + """
MatterForm, AttendForm { align: center middle; }
MatterForm .dialog, AttendForm .dialog { width: 70; }
MatterForm Label, AttendForm Label { color: $text-muted; }
AttendForm SelectionList { height: 6; }
"""
)


class MatterFormBase(CadreModal):
    """What the two matter forms share: a form (screen keys off), escape leaves, the time box."""

    DEFAULT_CSS = FORM_CSS
    IS_FORM = True

    def action_cancel(self) -> None:
        """Leave without saving."""
        self.dismiss(False)

    def now_text(self) -> str:
        """Now as `YYYY-MM-DD HH:MM` in the community's time zone (the forms' default)."""
        return self.cadre.now().astimezone(self.cadre.store.tz()).strftime("%Y-%m-%d %H:%M")

    def time_in(self, box: Input, field_key: str) -> datetime | None:
        """The time typed in `box`; None (and the reason shown, the box focused) when it is no time."""
        typed = box.value.strip()
        try:
            return parse_datetime(typed, self.cadre.store.tz())
        except ValueError:
            self.notify(self.t("form.bad_time", field=self.t(field_key), value=typed), severity="error")
            box.focus()
            return None

    def saved(self) -> None:
        """Written: say so and close, telling the log to read itself again."""
        self.notify(self.t("mat.saved"))
        self.dismiss(True)


class MatterForm(MatterFormBase):
    """A new matter, or corrections to one: kind, title, scope, when it occurred, notes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "key.save", id="matter.save", priority=True),
        Binding("escape", "cancel", "key.cancel", id="matter.cancel"),
    ]

    @dataclass
    class Loaded(Message):
        """Zones, and the matter being corrected."""

        zones: list[Zone]
        matter: Matter | None

    def __init__(self, matter_id: str | None) -> None:
        super().__init__()
        self.matter_id = matter_id

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
            yield Input(self.now_text(), id="occurred", compact=True)
            yield Label(t("mat.notes"))
            yield Input(id="notes", compact=True)
            yield Static(t("visit.save_hint"), classes="muted")

    def box(self, name: str) -> Input:
        """One of the form's text boxes (title, household, occurred, notes)."""
        return self.query_one(f"#{name}", Input)

    def choice(self, name: str) -> Select[str]:
        """One of the form's choices (kind, scope, zone)."""
        return self.query_one(f"#{name}", Select)

    def on_mount(self) -> None:
        """Kind first; read the zones and (when correcting) the matter."""
        self.choice("kind").focus()
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="matter-form")
    def load(self) -> None:
        """Read zones and the matter."""
        now = self.cadre.now()
        with self.cadre.using_store() as store:
            zones = views.zones(store)
            found = matter(store, self.matter_id, now) if self.matter_id else None
        self.post_message(self.Loaded(zones, found))

    def on_matter_form_loaded(self, message: Loaded) -> None:
        """Fill the zone choice and the matter's values."""
        self.choice("zone").set_options([(f"{z.code} {z.name}", z.id) for z in message.zones])
        matter = message.matter
        if matter is None:
            return
        self.choice("kind").value = matter.kind
        self.box("title").value = matter.title
        self.choice("scope").value = matter.scope
        if matter.zone_id:
            self.choice("zone").value = matter.zone_id
        self.box("household").value = matter.household_no or ""
        self.box("occurred").value = local_time(matter.occurred_at, self.cadre.store.tz())
        self.box("notes").value = matter.notes

    def action_save(self) -> None:
        """Check the fields here (time, title); the records functions check the rest."""
        title = self.box("title").value.strip()
        if not title:
            self.notify(self.t("mat.need_title"), severity="error")
            self.box("title").focus()
            return
        occurred_at = self.time_in(self.box("occurred"), "col.occurred")
        if occurred_at is None:
            return
        zone = self.choice("zone").value
        self.save(
            {
                "kind": self.choice("kind").value,
                "title": title,
                "scope": self.choice("scope").value,
                "zone_id": zone if isinstance(zone, str) else None,
                "occurred_at": occurred_at,
                "notes": self.box("notes").value.strip(),
            },
            self.box("household").value.strip(),
        )

    @work(thread=True, exit_on_error=False, group="matter-save")
    def save(self, fields: dict[str, Any], household_no: str) -> None:
        """Write through the records functions."""
        from cadre_tui.errors import InvalidInput
        from cadre_tui.store.records import add_matter, update_matter

        scope = fields["scope"]
        with self.cadre.using_store() as store:
            household_id = None
            if scope == "household":
                household = views.households_brief(store, [household_no]).get(household_no)
                if household is None:
                    raise InvalidInput.of("records.no_household_no", number=household_no or "-")
                household_id = household.id
            fields["household_id"] = household_id
            if scope != "zone":
                fields["zone_id"] = None
            if self.matter_id:
                update_matter(store, self.matter_id, now=self.cadre.now(), **fields)
            else:
                add_matter(store, **fields)
        self.cadre.call_from_thread(self.saved)


class AttendForm(MatterFormBase):
    """Mark a matter attended: when, and which cadres were there."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "key.save", id="attend.save", priority=True),
        Binding("escape", "cancel", "key.cancel", id="attend.cancel"),
    ]

    @dataclass
    class Loaded(Message):
        """Cadres, and who to tick by default."""

        cadres: list[Cadre]
        chosen: list[str]

    def __init__(self, matter: Matter) -> None:
        super().__init__()
        self.matter = matter

    def compose(self) -> ComposeResult:
        """Time and cadres."""
        t = self.t
        with Vertical(classes="dialog"):
            yield Label(t("mat.attend", title=self.matter.title), classes="dialog-title")
            yield Label(t("mat.attended_at"))
            yield Input(self.now_text(), id="attended-at", compact=True)
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
            chosen = list(matter.attended_by)
            if not chosen:
                team = views.my_team(store)
                if team is None and matter.household_id:
                    team = views.team_of_household(store, matter.household_id)
                elif team is None and matter.zone_id:
                    team = next((t for t in views.teams(store) if t.zone_id == matter.zone_id), None)
                active = {c.id for c in cadres}
                chosen = [m for m in team.member_ids if m in active] if team else []
        self.post_message(self.Loaded(cadres, chosen))

    def on_attend_form_loaded(self, message: Loaded) -> None:
        """Fill the cadres."""
        self.query_one(SelectionList).add_options(
            [(f"{c.code} {c.name}", c.id, c.id in message.chosen) for c in message.cadres]
        )

    @on(Input.Submitted)
    def _enter(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        """Parse the time and write the attendance."""
        attended_at = self.time_in(self.query_one("#attended-at", Input), "col.attended")
        if attended_at is not None:
            self.save(attended_at, list(self.query_one(SelectionList).selected))

    @work(thread=True, exit_on_error=False, group="attend-save")
    def save(self, attended_at: datetime, cadre_ids: list[str]) -> None:
        """Write through `attend_matter` (it refuses a time in the future or before the matter)."""
        from cadre_tui.store.records import attend_matter

        with self.cadre.using_store() as store:
            attend_matter(
                store, self.matter.id, attended_at=attended_at, cadre_ids=cadre_ids, now=self.cadre.now()
            )
        self.cadre.call_from_thread(self.saved)
