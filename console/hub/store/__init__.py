"""The hub's database: schema, Alembic migrations, the SQLAlchemy store (SQLite or PostgreSQL)."""
