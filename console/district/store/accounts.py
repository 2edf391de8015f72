"""The site log's accounts table (``users``): rows in, rows out, inside the caller's
transaction (no policy here). The row code is shared with the city IOC's accounts
(console.shared.accounts)."""

from __future__ import annotations

from console.district.store.schema import users
from console.shared.accounts import Account, Accounts

ACCOUNTS = Accounts(users)

__all__ = ["ACCOUNTS", "Account"]
