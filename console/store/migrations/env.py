"""Alembic environment of the site log."""

from console.store.schema import metadata
from console.store.sqlbase import run_alembic_env

run_alembic_env(metadata)
