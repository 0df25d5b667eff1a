"""`demo`: fill the database with the fictional demo community 幸福社区 (SPEC §11)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cadre_tui.cli import Context, Groups


def run_demo(ctx: Context) -> int:
    """Load `seeds/`, or generate a community of `--households N`; refuse a filled database (exit 3)."""
    from cadre_tui.io.demo import load_generated, load_seeds

    store = ctx.store(create=True, encrypt_new=False)  # the demo stays plain unless CADRE_TUI_PASSPHRASE
    households = ctx.args.households
    if households is None:
        summary = load_seeds(store, force=ctx.args.force)
    else:
        summary = load_generated(store, households, force=ctx.args.force)
    for line in summary.lines(ctx.lang):
        ctx.out(line)
    return 0


def register(groups: Groups) -> None:
    """Add `demo`."""
    p = groups.command("demo", "fill the database with the fictional demo community 幸福社区", run_demo)
    p.add_argument(
        "--households",
        type=int,
        metavar="N",
        help="generate a community of N households with two years of history instead of the seeds",
    )
    p.add_argument("--force", action="store_true", help="replace whatever the database holds")
