"""The city IOC hub: receives every console's outbox, dedupes, keeps the city picture.

Headless (no Qt): runs on a server. Storage through SQLAlchemy, SQLite by
default and PostgreSQL where one machine is outgrown.
"""
