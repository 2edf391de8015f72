"""Alembic environment of the hub database."""

from console.hub.store.schema import metadata
from console.shared.sql import run_alembic_env

run_alembic_env(metadata)
