"""Readers that turn source files into raw tables, and connector profiles that map them to the
canonical model. Web sources live in :mod:`dq.sources.web`."""
