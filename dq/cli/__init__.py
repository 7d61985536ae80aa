"""The ``dq`` command line: one module per command, registered in :mod:`dq.cli.app`."""
