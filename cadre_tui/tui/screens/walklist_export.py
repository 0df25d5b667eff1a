"""The Plan screen's `w`: the walk list of the team and week it shows, written in a worker to the home
folder (asking before overwriting an older one)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cadre_tui.errors import InvalidInput
from cadre_tui.tui.widgets.dialogs import ConfirmDialog

if TYPE_CHECKING:
    from cadre_tui.tui.screens.plan import PlanScreen


def walklist_path(team: str, week: str) -> Path:
    """Where the Plan screen's `w` writes the walk list: the home folder."""
    return Path.home() / f"walklist-{team}-{week}.xlsx"


def export_walklist_for(plan: PlanScreen, force: bool = False) -> None:
    """Write the walk list of the team and week the Plan screen shows, in a worker; ask before
    overwriting an older one."""
    if plan.team_code is None or plan.week is None:
        return
    team, week = plan.team_code, plan.week
    path = walklist_path(team, str(week))
    app = plan.cadre

    def write() -> None:
        from cadre_tui.errors import Refused
        from cadre_tui.io.walklist import export_walklist

        today = app.today()  # outside the store's lock (today() takes it)
        try:
            with app.using_store() as store:
                result = export_walklist(
                    store, week, path, team=team, lang=app.lang, force=force, today=today
                )
        except Refused as exc:
            app.call_from_thread(ask, app.error_text(exc))
            return
        except InvalidInput as exc:
            app.call_from_thread(plan.notify, app.error_text(exc), severity="error", timeout=8)
            return
        app.call_from_thread(
            plan.notify,
            plan.t("plan.walklist_written", path=str(result.path), sheets=result.sheets,
                   households=result.households),
            timeout=8,
        )  # fmt: skip

    def ask(reason: str) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                export_walklist_for(plan, force=True)

        app.push_screen(ConfirmDialog(plan.t("plan.walklist_overwrite", reason=reason)), answered)

    plan.run_worker(write, thread=True, exit_on_error=False, group="walklist")
