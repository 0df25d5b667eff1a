"""Regenerate the demo community's files in `seeds/` from the generator with its fixed seed.

    .venv/bin/python seeds/make_seeds.py

The files are what `cadre-tui demo` loads; a test checks that they match what the generator makes, so
change the generator and this script's output together.
"""

from __future__ import annotations

import sys
from pathlib import Path

from cadre_tui.io.demo_generator import SEED, SEED_END, SEED_HOUSEHOLDS, SEED_WEEKS, generate


def main() -> int:
    """Write staff.csv, roster.csv, visits.csv and matters.csv beside this script."""
    folder = Path(__file__).resolve().parent
    community = generate(SEED_HOUSEHOLDS, seed=SEED, end=SEED_END, weeks=SEED_WEEKS)
    community.write(folder)
    print(
        f"{folder}: {len(community.staff)} cadres, {len(community.roster)} residents, "
        f"{community.visits} visits, {community.matters} matters"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
