"""``python -m parscore``: the command line, for machines where scripts are not on PATH."""

from .cli import main

raise SystemExit(main())
