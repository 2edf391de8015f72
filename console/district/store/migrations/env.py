"""Alembic environment of the site log."""

from console.district.store.schema import metadata
from console.shared.sql import run_alembic_env

run_alembic_env(metadata)
