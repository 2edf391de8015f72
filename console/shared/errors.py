"""Errors both products raise for people to read: one line, naming where and what."""

from __future__ import annotations


class ConfigError(ValueError):
    """A configuration file is wrong; the message says where and how."""


class ActionRefusedError(Exception):
    """An action refused before it changed anything. ``code`` says why (a window shows a
    translated sentence per code); the message is the English sentence for logs and CLIs."""

    code: str = "refused"


class DataDirError(OSError):
    """The data directory cannot be used (missing parent, a file, read-only, full);
    the message names the path and the cause."""
