"""`python -m cadre_tui` runs the command line."""

from cadre_tui.cli import main

raise SystemExit(main())
