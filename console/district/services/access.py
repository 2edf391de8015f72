"""Who is on duty at this console, what they may do, and their accounts.

The duty state machine, the log-in with its failure wait, the idle lock and
the account changes are shared with the city IOC (console.shared.duty); here
they are bound to the site log — accounts in table ``users``, entries in the
site's action log — and to the district console's permission table
(console.district.domain.access). In a running console the idle check is a
job of the console's scheduler, on its injected clock.
"""

from __future__ import annotations

from sqlalchemy import Engine

from console.district.domain.access import POLICY
from console.district.store.accounts import ACCOUNTS
from console.district.store.action_log import CHAIN
from console.shared.access import AccessConfig
from console.shared.accounts import Account
from console.shared.clock import Clock
from console.shared.commit import Commit
from console.shared.duty import AccessService as SharedAccessService
from console.shared.duty import Duty
from console.shared.passwords import Passwords


class AccessService(SharedAccessService):
    def __init__(
        self,
        engine: Engine,
        commit: Commit,
        clock: Clock,
        settings: AccessConfig,
        workstation: str,
        passwords: Passwords | None = None,
    ) -> None:
        super().__init__(
            engine,
            commit,
            clock,
            settings,
            workstation,
            passwords,
            policy=POLICY,
            accounts=ACCOUNTS,
            chain=CHAIN,
        )


__all__ = ["AccessService", "Account", "Duty"]
