"""opsconsole: the operations-centre console (engine, store, UI)."""

__version__ = "0.1.0"
