"""`python -m dolmakit ...`: the `dolmakit` command, for environments without its script."""

from dolmakit.cli.main import main

main()
