"""Inject a real commit failure into a hub database: a trigger that refuses some inserts.

The records it refuses pass every check of the hub (they are valid records); only the
database says no, as a full tablespace, a constraint added by a DBA or a driver bug would.
"""

from __future__ import annotations

from sqlalchemy import Engine, create_engine, text


def inject_commit_failure(
    url_or_engine: str | Engine, console_id: str, *, table: str = "hub_records", every: int = 1
) -> None:
    """From now on, the database refuses every ``every``-th seq of ``console_id`` in ``table``."""
    engine = create_engine(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
    name = f"inject_{table}"
    try:
        with engine.begin() as conn:
            if engine.dialect.name == "sqlite":
                conn.execute(
                    text(
                        f"CREATE TRIGGER {name} BEFORE INSERT ON {table} "
                        f"WHEN NEW.console_id = '{console_id}' AND NEW.seq % {every} = 0 "
                        "BEGIN SELECT RAISE(ABORT, 'injected commit failure'); END"
                    )
                )
            else:
                conn.execute(
                    text(
                        f"CREATE FUNCTION {name}() RETURNS trigger AS $$ BEGIN "
                        f"IF NEW.console_id = '{console_id}' AND NEW.seq % {every} = 0 THEN "
                        "RAISE EXCEPTION 'injected commit failure'; END IF; RETURN NEW; END "
                        "$$ LANGUAGE plpgsql"
                    )
                )
                conn.execute(
                    text(
                        f"CREATE TRIGGER {name} BEFORE INSERT ON {table} "
                        f"FOR EACH ROW EXECUTE FUNCTION {name}()"
                    )
                )
    finally:
        if isinstance(url_or_engine, str):
            engine.dispose()
