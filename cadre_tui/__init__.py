"""cadre-tui: plan and record community cadres' field visits (the 23766 routine), offline."""

__version__ = "0.1.0"
