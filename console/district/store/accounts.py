"""The accounts table: rows in, rows out, inside the caller's transaction (no policy here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from console.district.store.schema import users


@dataclass(frozen=True)
class Account:
    user_id: str
    full_name: str
    roles: str
    password_hash: str
    must_change_password: bool
    disabled: bool
    created_ms: int
    created_by: str
    disabled_ms: int
    password_changed_ms: int
    failed_logins: int
    wait_until_ms: int
    last_login_ms: int

    def public(self) -> dict[str, Any]:
        """Everything but the hash (for lists and JSON)."""
        d = dict(self.__dict__)
        del d["password_hash"]
        return d


def get(conn: Connection, user_id: str) -> Account | None:
    row = conn.execute(select(users).where(users.c.user_id == user_id)).first()
    return None if row is None else Account(**row._mapping)


def all_accounts(conn: Connection) -> list[Account]:
    return [Account(**r._mapping) for r in conn.execute(select(users).order_by(users.c.user_id))]


def count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(users)).scalar_one())


def insert(conn: Connection, account: Account) -> None:
    conn.execute(users.insert().values(**account.__dict__))


def update(conn: Connection, user_id: str, **values: Any) -> None:
    conn.execute(users.update().where(users.c.user_id == user_id).values(**values))
