"""The district console: one per operations-centre workstation.

Layers, top to bottom (import-linter checks them): ``ui`` (Qt) and the
runners (``headless``, ``cli``) → ``services`` (composition root, scheduler,
the façade the window and CLIs call) → ``domain`` (plain Python: ingest,
ring buffers, alarms) | ``store`` (SQLite through SQLAlchemy) → ``config``
(the site file).
"""
