"""Errors both products raise for people to read: one line, naming where and what."""

from __future__ import annotations


class ConfigError(ValueError):
    """A configuration file is wrong; the message says where and how."""


class DataDirError(OSError):
    """The data directory cannot be used (missing parent, a file, read-only, full);
    the message names the path and the cause."""
