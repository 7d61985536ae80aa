"""``python -m dq`` runs the command line."""

from dq.cli.app import main

main()
