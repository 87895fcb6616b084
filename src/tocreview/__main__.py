"""``python -m tocreview``: the command line."""

from tocreview.cli import main

raise SystemExit(main())
