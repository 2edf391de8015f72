"""Reads of the action-log tables for the hub store's transaction and its reports."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from console.hub.store.schema import audit_heads


def stored_head(conn: Connection, site: str, chain: str) -> dict[str, Any] | None:
    row = conn.execute(
        select(audit_heads).where(audit_heads.c.site_id == site, audit_heads.c.chain == chain)
    ).first()
    return None if row is None else dict(row._mapping)


def heads(conn: Connection) -> list[dict[str, Any]]:
    """Every chain's head, per site, newest chain first (a site with two chains had its
    console's log replaced: the older chain ends where that log was last heard of)."""
    q = select(audit_heads).order_by(audit_heads.c.site_id, audit_heads.c.received_ms.desc())
    return [dict(r._mapping) for r in conn.execute(q)]
