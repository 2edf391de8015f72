"""An accounts table, for whichever database holds one: rows in, rows out, inside the
caller's transaction (no policy here; console.shared.duty has it).

The district console keeps its accounts in the site log (table ``users``), the
city IOC in the hub database (table ``ioc_users``); both tables are made by
``accounts_table`` so their columns cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    select,
)


def accounts_table(metadata: MetaData, name: str) -> Table:
    """The columns of an accounts table (docs/ROLES.md, "Accounts")."""
    return Table(
        name,
        metadata,
        Column("user_id", String(64), primary_key=True),
        Column("full_name", String(128), nullable=False),
        Column("roles", String(64), nullable=False),  # comma-separated: operator,supervisor
        Column("password_hash", Text, nullable=False),  # argon2id PHC string (parameters, salt)
        Column("must_change_password", Boolean, nullable=False),
        Column("disabled", Boolean, nullable=False),
        Column("created_ms", BigInteger, nullable=False),
        Column("created_by", String(64), nullable=False),
        Column("disabled_ms", BigInteger, nullable=False),
        Column("password_changed_ms", BigInteger, nullable=False),
        # Consecutive failed log-ins (reset by a good one, and when a wait starts); after
        # too many, no log-in is tried before wait_until_ms (0: no wait).
        Column("failed_logins", Integer, nullable=False),
        Column("wait_until_ms", BigInteger, nullable=False),
        Column("last_login_ms", BigInteger, nullable=False),
    )


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


class Accounts:
    """The rows of one accounts table (``accounts_table``)."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def get(self, conn: Connection, user_id: str) -> Account | None:
        t = self.table
        row = conn.execute(select(t).where(t.c.user_id == user_id)).first()
        return None if row is None else Account(**row._mapping)

    def all(self, conn: Connection) -> list[Account]:
        t = self.table
        return [Account(**r._mapping) for r in conn.execute(select(t).order_by(t.c.user_id))]

    def count(self, conn: Connection) -> int:
        return int(conn.execute(select(func.count()).select_from(self.table)).scalar_one())

    def insert(self, conn: Connection, account: Account) -> None:
        conn.execute(self.table.insert().values(**account.__dict__))

    def update(self, conn: Connection, user_id: str, **values: Any) -> None:
        t = self.table
        conn.execute(t.update().where(t.c.user_id == user_id).values(**values))
