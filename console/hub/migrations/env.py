"""Alembic environment of the hub database."""

from console.hub.schema import metadata
from console.store.sqlbase import run_alembic_env

run_alembic_env(metadata)
