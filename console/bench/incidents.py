"""``opsconsole bench incidents``: the incidents panel, its filters and the incident view at scale.

A site log in a temporary directory (deleted afterwards), made by this build's
migrations, is filled directly in SQL (recursive CTEs: seconds, not a
simulated decade) with ``incidents`` incidents (2 % open, 3 % resolved, the
rest closed; nine types, twelve wards, severities 1-3), six checklist steps
each, and ``timeline`` timeline entries spread over them, of which ``big`` belong
to one incident. Then, each the median of ``ROUNDS`` runs:

- ``panel_open_ms``: the panel's first page (``IncidentService.page`` with no
  filter: 1,000 incidents, open first by severity, plus the count of all);
- ``filter_ms``: the slowest of the panel's filters: a status and a type, a
  ward, and a search without diacritics ("hoa xuan"), each a page plus its count;
- ``incident_open_ms``: ``IncidentService.get`` of the incident with ``big``
  timeline entries (its row, checklist, links and every entry as values).

Each is what the window's worker thread runs: SQL and building the values
(the Qt model then resets once per page). The ``*_sql_ms`` baselines run the
same SQL statements through plain ``sqlite3`` and ``fetchall`` in the same run.
"""

from __future__ import annotations

import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.dialects import sqlite as sqlite_dialect

from console.bench.ingest import machine
from console.bench.targets import judge
from console.district.config import default_site_path, load_site
from console.district.domain.incidents import IncidentFilter
from console.district.domain.sops import load_sops
from console.district.services.access import AccessService
from console.district.services.incidents import IncidentService
from console.district.store import incidents as store
from console.district.store.commit import DirectCommit
from console.district.store.database import open_site_database
from console.shared.clock import SimClock
from console.shared.text import fold
from console.shared.vocab import IncidentStatus

ROUNDS = 7
TARGET_MS = 200.0
YEAR = 2026
PREFIX = "BN"
WARDS = (
    "Hải Châu", "Hòa Cường", "Thanh Khê", "An Hải", "Sơn Trà", "Ngũ Hành Sơn",
    "Hòa Khánh", "Hải Vân", "Liên Chiểu", "Cẩm Lệ", "Hòa Xuân", "An Khê",
)  # fmt: skip
SEARCH = "hoa xuan"


def _fill(db: Path, n: int, timeline: int, big: int) -> str:
    """Write the incidents, steps and timeline in SQL; return the big incident's id."""
    sops = list(load_sops())
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")  # filling a throw-away file; measured reads only
    con.execute("CREATE TEMP TABLE w(k INTEGER PRIMARY KEY, ward TEXT, f TEXT)")
    con.executemany(
        "INSERT INTO w VALUES (?, ?, ?)", [(k, w, fold(w)) for k, w in enumerate(WARDS)]
    )
    con.execute("CREATE TEMP TABLE t(k INTEGER PRIMARY KEY, type TEXT, vi TEXT, f TEXT)")
    con.executemany(
        "INSERT INTO t VALUES (?, ?, ?, ?)",
        [(k, s.id, s.name.vi, fold(f"{s.name.vi} {s.name.en}")) for k, s in enumerate(sops)],
    )
    t0 = int(time.time() * 1000) - 400 * 86_400_000
    iid = f"'{PREFIX}-{YEAR}-' || printf('%04d', s.n)"
    con.execute(
        f"""
        WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {n})
        INSERT INTO incidents
        SELECT {iid}, {YEAR}, s.n, t.type, 1 + (s.n * 7) % 3,
               t.vi || ' — ' || w.ward || ' #' || s.n, w.ward, '', NULL, NULL,
               CASE WHEN s.n % 100 < 2 THEN 'in_progress'
                    WHEN s.n % 100 < 5 THEN 'resolved' ELSE 'closed' END,
               CASE WHEN s.n % 100 < 2 THEN 0 WHEN s.n % 100 < 5 THEN 1 ELSE 2 END,
               'an', 'Nguyễn Văn An', {t0} + s.n * 300000, 'an', {t0} + s.n * 300000,
               CASE WHEN s.n % 100 < 2 THEN 0 ELSE {t0} + s.n * 300000 + 3600000 END,
               CASE WHEN s.n % 100 < 5 THEN 0 ELSE {t0} + s.n * 300000 + 7200000 END,
               'sample-2026.1', CASE WHEN s.n % 100 < 2 THEN 3 ELSE 0 END, 0,
               lower('{PREFIX.lower()}-{YEAR}-' || printf('%04d', s.n)) || ' '
                 || t.f || ' ' || w.f || ' #' || s.n
        FROM s JOIN t ON t.k = s.n % (SELECT count(*) FROM t)
               JOIN w ON w.k = (s.n / 100) % (SELECT count(*) FROM w)
        """
    )
    con.execute(
        f"""
        WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {n}),
             k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < 5)
        INSERT INTO incident_steps
        SELECT {iid}, 'step-' || k.j, k.j, 'Bước ' || k.j, 'Step ' || k.j, 1, 'operator',
               0, CASE WHEN s.n % 100 < 2 AND k.j >= 3 THEN 'pending' ELSE 'done' END,
               'an', 'Nguyễn Văn An', 0, '', 0
        FROM s, k
        """
    )
    rest = max(0, timeline - big)
    big_id = f"{PREFIX}-{YEAR}-{1:04d}"
    con.execute(
        f"""
        WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {rest})
        INSERT INTO incident_timeline
            (incident_id, ts_ms, kind, user_id, user_name, roles, workstation, ref,
             before, after, text, handover)
        SELECT '{PREFIX}-{YEAR}-' || printf('%04d', 2 + s.n % ({n} - 1)), {t0} + s.n * 30,
               'note', 'an', 'Nguyễn Văn An', 'operator', 'oc-ws1', '', '', '',
               'Ghi chú ' || s.n, 0
        FROM s
        """
    )
    con.execute(
        f"""
        WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {big})
        INSERT INTO incident_timeline
            (incident_id, ts_ms, kind, user_id, user_name, roles, workstation, ref,
             before, after, text, handover)
        SELECT '{big_id}', {t0} + s.n * 1000,
               CASE WHEN s.n % 5 = 0 THEN 'alarm' ELSE 'note' END, 'an', 'Nguyễn Văn An',
               'operator', 'oc-ws1', CASE WHEN s.n % 5 = 0 THEN 'hc-river-01:high' ELSE '' END,
               '', CASE WHEN s.n % 5 = 0 THEN 'active_unack' ELSE '' END,
               CASE WHEN s.n % 5 = 0 THEN 'activate' ELSE 'Mực nước tại Hòa Xuân ' || s.n END,
               s.n % 50 = 0
        FROM s
        """
    )
    con.commit()
    con.execute("ANALYZE")
    con.close()
    return big_id


def _median_ms(fn: Callable[[], Any]) -> tuple[float, float]:
    """(median, first) milliseconds of ``ROUNDS`` runs."""
    times = []
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(times), 2), round(times[0], 2)


def _sql(q: Any) -> str:
    return str(q.compile(dialect=sqlite_dialect.dialect(), compile_kwargs={"literal_binds": True}))


def run_incident_bench(
    incidents: int = 100_000, timeline: int = 1_000_000, big: int = 10_000
) -> dict[str, Any]:
    if incidents < 2:
        raise ValueError("the bench needs at least 2 incidents")
    big = min(big, timeline)
    tmp = Path(tempfile.mkdtemp(prefix="opsconsole-bench-incidents-"))
    try:
        site = load_site(default_site_path())
        db = open_site_database(tmp, "bench", [])
        t0 = time.perf_counter()
        big_id = _fill(db.path, incidents, timeline, big)
        fill_s = time.perf_counter() - t0
        clock = SimClock()
        commit = DirectCommit(db.engine)
        access = AccessService(db.engine, commit, clock, site.access, "bench")
        service = IncidentService(db.engine, commit, clock, access, site, load_sops(), None)
        page = IncidentFilter()
        filters = {
            "status_and_type": IncidentFilter(statuses=(IncidentStatus.CLOSED,), types=("flood",)),
            "ward_open": IncidentFilter(ward="Hòa Xuân", open_only=True),
            "search_without_diacritics": IncidentFilter(text=SEARCH),
        }
        got = service.page(page)
        if got.total != incidents or len(got.rows) != page.limit:
            raise RuntimeError(f"bench data wrong: {got.total} incidents, {len(got.rows)} rows")
        detail = service.get(big_id)
        if detail is None or detail.timeline_total != big or len(detail.timeline) != big:
            raise RuntimeError("bench data wrong: the big incident's timeline")
        hits = service.page(filters["search_without_diacritics"]).total
        if hits == 0:
            raise RuntimeError("bench data wrong: the search found nothing")

        raw = sqlite3.connect(db.path)

        def sql_page(f: IncidentFilter) -> None:
            raw.execute(
                _sql(
                    store.list_query(
                        statuses=f.statuses, types=f.types, ward=f.ward, text=f.text,
                        open_only=f.open_only, limit=f.limit,
                    )
                )
            ).fetchall()  # fmt: skip
            raw.execute(
                _sql(
                    store.count_query(
                        statuses=f.statuses, types=f.types, ward=f.ward, text=f.text,
                        open_only=f.open_only,
                    )
                )
            ).fetchall()  # fmt: skip

        def sql_open() -> None:
            for q in store.detail_queries(big_id):
                raw.execute(_sql(q)).fetchall()

        panel, panel_first = _median_ms(lambda: service.page(page))
        panel_sql, _ = _median_ms(lambda: sql_page(page))
        per_filter = {}
        for name, f in filters.items():
            ms, _first = _median_ms(lambda f=f: service.page(f))  # type: ignore[misc]
            sql_ms, _ = _median_ms(lambda f=f: sql_page(f))  # type: ignore[misc]
            per_filter[name] = {"ms": ms, "sql_ms": sql_ms, "matches": service.page(f).total}
        worst = max(per_filter, key=lambda k: per_filter[k]["ms"])
        opened, opened_first = _median_ms(lambda: service.get(big_id))
        opened_sql, _ = _median_ms(sql_open)
        raw.close()
        db.engine.dispose()
        size_mb = round(db.path.stat().st_size / 2**20, 1)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    result: dict[str, Any] = {
        "bench": "incidents",
        "incidents": incidents,
        "timeline_entries": timeline,
        "steps": incidents * 6,
        "big_incident_timeline": big,
        "database_mb": size_mb,
        "fill_s": round(fill_s, 1),
        "rounds": ROUNDS,
        "panel_open_ms": panel,
        "panel_open_first_ms": panel_first,
        "panel_open_sql_ms": panel_sql,
        "filter_ms": per_filter[worst]["ms"],
        "filter_sql_ms": per_filter[worst]["sql_ms"],
        "filter_slowest": worst,
        "filters": per_filter,
        "incident_open_ms": opened,
        "incident_open_first_ms": opened_first,
        "incident_open_sql_ms": opened_sql,
        "page_rows": page.limit,
        "machine": machine(),
    }
    result["targets"] = judge(
        result,
        {
            "panel_open_ms": ("<", TARGET_MS),
            "filter_ms": ("<", TARGET_MS),
            "incident_open_ms": ("<", TARGET_MS),
        },
    )
    return result
