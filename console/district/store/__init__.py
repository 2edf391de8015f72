"""The site's local log: SQLAlchemy schema, Alembic migrations, the single writer thread."""
