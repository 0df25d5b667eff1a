"""The visit form (`v`, or enter on a household): outcome first (keys 1–5), ctrl+s saves from anywhere."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import (
    Footer,
    Header,
    Input,
    Label,
    RadioButton,
    RadioSet,
    Select,
    SelectionList,
    Static,
    TextArea,
)

from cadre_tui.core.dates import parse_date
from cadre_tui.core.domain import NEEDS, OUTCOMES, RESIDENT_STATUSES, label
from cadre_tui.store import views
from cadre_tui.store.views import Cadre, Household, Resident, Team, Visit
from cadre_tui.tui.screens.base import CadreScreen
from cadre_tui.tui.widgets.dialogs import ConfirmDialog


@dataclass(frozen=True)
class FormData:
    """What the form needs from the database, read in one worker run."""

    household: Household
    residents: list[Resident]
    teams: list[Team]
    cadres: list[Cadre]
    default_team: Team | None
    visit: Visit | None


@dataclass(frozen=True)
class VisitValues:
    """The form's fields as entered (text not yet parsed)."""

    outcome: str | None
    visit_date: str
    team_id: str | None
    cadre_ids: tuple[str, ...]
    resident_ids: tuple[str, ...]
    needs: tuple[str, ...]
    notes: str
    follow_up: str
    assistance: str


class VisitFormScreen(CadreScreen):
    """Record (or correct) one visit to a household."""

    CSS_PATH = "visit.tcss"
    HELP_KEY = "help.visit"
    NAME_KEY = "screen.visit"
    IS_FORM = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "key.save", id="visit.save", priority=True),
        Binding("escape", "cancel", "key.cancel", id="visit.cancel"),
        # the notes, 8 fields down the tab order, at one key (a key typed into a field stays in it)
        Binding("n", "notes", "key.visit_notes", id="visit.notes"),
        *[
            Binding(str(n), f"outcome({n - 1})", "key.outcome", id=f"visit.outcome_{n}", show=n == 1,
                    key_display="1-5")
            for n in range(1, len(OUTCOMES) + 1)
        ],
    ]  # fmt: skip

    @dataclass
    class Loaded(Message):
        """The household, its residents, the teams and cadres, and the visit being corrected."""

        data: FormData

    @dataclass
    class Saved(Message):
        """The visit was written."""

        visit_id: str

    def __init__(self, household_id: str, visit_id: str | None = None) -> None:
        super().__init__()
        self.household_id = household_id
        self.visit_id = visit_id
        self.data: FormData | None = None
        self.initial: VisitValues | None = None
        self.saving = False

    def compose(self) -> ComposeResult:
        """Outcome, dates and amount, team and cadres; residents met and needs; notes."""
        t = self.t
        lang = self.cadre.lang
        yield Header()
        with VerticalScroll(id="form"):
            yield Static("", id="visit-title", classes="section-title")
            with Horizontal(id="top"):
                with Vertical(id="outcome-box"):
                    yield Label(t("visit.outcome"))
                    with RadioSet(id="outcome", compact=True):
                        for n, outcome in enumerate(OUTCOMES, 1):
                            yield RadioButton(f"{n} {label(OUTCOMES, outcome.code, lang)}", compact=True)
                with Vertical(id="dates-box"):
                    yield Label(t("visit.date"))
                    yield Input(self.cadre.today().isoformat(), id="visit-date", compact=True)
                    yield Label(t("visit.follow_up"))
                    yield Input("", id="follow-up", placeholder="YYYY-MM-DD", compact=True)
                    yield Label(t("visit.assistance"))
                    yield Input("", id="assistance", placeholder=t("visit.amount_hint"), compact=True)
                with Vertical(id="team-box"):
                    yield Label(t("visit.team"))
                    yield Select[str](
                        [], id="team", compact=True, allow_blank=True, prompt=t("visit.team_prompt")
                    )
                    yield Label(t("visit.cadres"))
                    yield SelectionList[str](id="cadres", compact=True)
            with Horizontal(id="lists"):
                with Vertical():
                    yield Label(t("visit.residents"))
                    yield SelectionList[str](id="residents", compact=True)
                with Vertical():
                    yield Label(t("visit.needs"))
                    yield SelectionList[str](
                        *[(label(NEEDS, n.code, lang), n.code) for n in NEEDS], id="needs", compact=True
                    )
            yield Label(t("visit.notes"))
            yield TextArea("", id="notes", compact=True, soft_wrap=True)
            yield Static(t("visit.save_hint"), classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        """Focus on the outcome, and load what the lists offer."""
        self.outcome_set.focus()
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="visit-form")
    def load(self) -> None:
        """Read the household, residents, teams, cadres and (when correcting) the visit."""
        with self.cadre.using_store() as store:
            household = views.household_brief(store, self.household_id)
            if household is None:
                raise LookupError(f"household {self.household_id} not found")
            visit = views.visit(store, self.visit_id) if self.visit_id else None
            residents = views.household_residents(store, self.household_id)
            if visit:
                # a correction keeps everyone the visit met, present now or moved out or deceased since
                offered = {r.id for r in residents}
                missing = tuple(r for r in visit.resident_ids if r not in offered)
                residents += views.residents_met(store, self.household_id, missing)
            data = FormData(
                household=household,
                residents=residents,
                teams=views.teams(store),
                cadres=views.cadres(store),
                default_team=views.visit_team(store, self.household_id),
                visit=visit,
            )
        self.post_message(self.Loaded(data))

    def on_visit_form_screen_loaded(self, message: Loaded) -> None:
        """Fill the lists and the defaults (or the visit's own values when correcting)."""
        data = self.data = message.data
        household = data.household
        key = "visit.title_edit" if data.visit else "visit.title"
        self.query_one("#visit-title", Static).update(
            self.t(key, no=household.household_no, address=household.address)
        )
        visit = data.visit
        team_id = visit.team_id if visit else (data.default_team.id if data.default_team else None)
        team_select = self.query_one("#team", Select)
        team_select.set_options([(f"{t.code} {t.name}", t.id) for t in data.teams])
        if team_id in {t.id for t in data.teams}:
            team_select.value = team_id
        chosen_cadres = set(visit.cadre_ids if visit else self._members(team_id))
        self.choices("cadres").add_options(
            [(f"{c.code} {c.name}", c.id, c.id in chosen_cadres) for c in data.cadres]
        )
        met = set(visit.resident_ids) if visit else set()
        self.choices("residents").add_options(
            [(self._resident_label(r), r.id, r.id in met) for r in data.residents]
        )
        if visit:
            codes = [o.code for o in OUTCOMES]
            if visit.outcome in codes:
                self.query(RadioButton)[codes.index(visit.outcome)].value = True
            self.box("visit-date").value = visit.visit_date
            self.box("follow-up").value = visit.follow_up_date or ""
            self.box("assistance").value = visit.assistance_yuan or ""
            needs = self.choices("needs")
            for need in visit.needs:
                needs.select(need)
            self.query_one("#notes", TextArea).text = visit.notes
        self.initial = self.values()

    @property
    def outcome_set(self) -> RadioSet:
        """The outcome's buttons (keys 1–5)."""
        return self.query_one("#outcome", RadioSet)

    def box(self, name: str) -> Input:
        """One of the form's text boxes: visit-date, follow-up, assistance."""
        return self.query_one(f"#{name}", Input)

    def choices(self, name: str) -> SelectionList[str]:
        """One of the form's lists to tick: cadres, residents, needs."""
        return self.query_one(f"#{name}", SelectionList)

    def _resident_label(self, resident: Resident) -> str:
        """Name and relation; the status too when the resident is no longer present."""
        shown = f"{resident.name} {resident.relation or ''}".strip()
        if resident.status != "present":
            shown += f" ({label(RESIDENT_STATUSES, resident.status, self.cadre.lang)})"
        return shown

    def _members(self, team_id: str | None) -> list[str]:
        if self.data is None:
            return []
        team = next((t for t in self.data.teams if t.id == team_id), None)
        return list(team.member_ids) if team else []

    @on(Select.Changed, "#team")
    def _team_changed(self, event: Select.Changed) -> None:
        # A different team brings its own members as the cadres present, unless the cadre already chose.
        if self.initial is None or not isinstance(event.value, str):
            return
        cadres = self.choices("cadres")
        if self.visit_id is None:
            cadres.deselect_all()
            for cadre_id in self._members(event.value):
                cadres.select(cadre_id)

    # -- values ----------------------------------------------------------------------------------------

    def values(self) -> VisitValues:
        """The fields as they stand."""
        index = self.outcome_set.pressed_index
        if index < 0:
            # a button set from code is pressed at once, the set learns of it a message later
            index = next((n for n, b in enumerate(self.query(RadioButton)) if b.value), -1)
        team = self.query_one("#team", Select).value
        return VisitValues(
            outcome=OUTCOMES[index].code if index >= 0 else None,
            visit_date=self.box("visit-date").value.strip(),
            team_id=team if isinstance(team, str) else None,
            cadre_ids=tuple(self.choices("cadres").selected),
            resident_ids=tuple(self.choices("residents").selected),
            needs=tuple(self.choices("needs").selected),
            notes=self.query_one("#notes", TextArea).text,
            follow_up=self.box("follow-up").value.strip(),
            assistance=self.box("assistance").value.strip(),
        )

    def is_dirty(self) -> bool:
        """Something was entered or changed since the form opened."""
        return self.initial is not None and self.values() != self.initial

    # -- keys ----------------------------------------------------------------------------------------------

    def action_outcome(self, index: int) -> None:
        """Keys 1–5: met, absent, refused, moved, other."""
        self.query(RadioButton)[index].value = True

    def action_notes(self) -> None:
        """n: straight to the notes (走访记录), to type in Chinese."""
        self.query_one("#notes", TextArea).focus()

    def action_cancel(self) -> None:
        """Leave the form; ask first when something was entered."""
        if not self.is_dirty():
            self.dismiss(False)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(False)

        self.app.push_screen(ConfirmDialog(self.t("visit.discard")), answered)

    def action_save(self) -> None:
        """Check the fields and write the visit in a worker."""
        if self.data is None or self.saving:
            return
        entered = self.values()
        if entered.outcome is None:
            self.notify(self.t("visit.need_outcome"), severity="error")
            self.outcome_set.focus()
            return
        try:
            visit_date = self._date("visit-date", "visit.date", required=True)
            follow_up = self._date("follow-up", "visit.follow_up", required=False)
        except ValueError:
            return
        fields: dict[str, Any] = {
            "visit_date": visit_date,
            "outcome": entered.outcome,
            "team_id": entered.team_id,
            "cadre_ids": list(entered.cadre_ids),
            "resident_ids": list(entered.resident_ids),
            "needs": list(entered.needs),
            "notes": entered.notes.strip(),
            "follow_up_date": follow_up,
            "assistance_yuan": entered.assistance or None,
        }
        self.saving = True
        self.save(fields)

    def _date(self, name: str, field_key: str, required: bool) -> date | None:
        box = self.box(name)
        raw = box.value.strip()
        if not raw and not required:
            return None
        try:
            return parse_date(raw)
        except ValueError:
            self.notify(self.t("visit.bad_date", field=self.t(field_key), value=raw), severity="error")
            box.focus()
            raise

    @work(thread=True, exit_on_error=False, group="visit-save")
    def save(self, fields: dict[str, Any]) -> None:
        """Write through the records functions (they validate: a future date, unknown cadres…)."""
        from cadre_tui.store.records import add_visit, update_visit

        today = self.cadre.today()
        try:
            with self.cadre.using_store() as store:
                if self.visit_id:
                    update_visit(store, self.visit_id, today=today, **fields)
                    visit_id = self.visit_id
                else:
                    visit_id = add_visit(store, household_id=self.household_id, today=today, **fields)
        finally:
            self.cadre.call_from_thread(self._done_saving)
        self.post_message(self.Saved(visit_id))

    def _done_saving(self) -> None:
        self.saving = False

    def on_visit_form_screen_saved(self, message: Saved) -> None:
        """Saved: offer to set a moved household inactive, then close."""
        self.notify(self.t("visit.saved"))
        household = self.data.household if self.data else None
        if household and household.active and self.values().outcome == "moved":

            def answered(yes: bool | None) -> None:
                if yes:
                    self.set_inactive()
                else:
                    self.dismiss(True)

            self.app.push_screen(
                ConfirmDialog(self.t("visit.moved_inactive", no=household.household_no)), answered
            )
            return
        self.dismiss(True)

    @work(thread=True, exit_on_error=False, group="visit-save")
    def set_inactive(self) -> None:
        """The household moved away: it leaves the plans and the scorecard."""
        from cadre_tui.store.records import set_household_active

        with self.cadre.using_store() as store:
            set_household_active(store, self.household_id, False)
        self.cadre.call_from_thread(self.dismiss, True)
