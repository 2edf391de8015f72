"""``python -m console.bench.cap``: what a CAP escalation costs to build and check.

The alert is the size of a real escalation: two info blocks (vi-VN, en-US), eight
feed parameters each, one area with a ward list, a hull polygon and a circle.
Per round: ``build_xml`` (model → XML, the CAP rules, the 1.2 XSD on the tree),
then ``validate`` of the bytes (what the hub does on receipt: hardened parse,
XSD, the rules, the model). Median and p99 over ``n`` rounds, in microseconds;
``opsconsole bench escalation`` is to report these next to its link latencies.
"""

from __future__ import annotations

import json
import statistics
import time
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from console.shared import cap

_FEEDS = (
    ("hc-river-01", 16.0678, 108.2245, "river_level", "2.85 m"),
    ("hc-river-02", 16.0544, 108.2260, "river_level", "3.10 m"),
    ("hc-rain-01", 16.0610, 108.2150, "rainfall", "48.2 mm/h"),
    ("hc-rain-02", 16.0402, 108.2101, "rainfall", "51.0 mm/h"),
    ("cl-river-01", 16.0170, 108.1990, "river_level", "3.42 m"),
    ("cl-rain-01", 16.0088, 108.1875, "rainfall", "55.4 mm/h"),
    ("hc-traffic-07", 16.0471, 108.2202, "traffic_speed", "8 km/h"),
    ("hc-traffic-09", 16.0356, 108.2233, "traffic_speed", "5 km/h"),
)


def escalation_alert(seq: int = 1, site: str = "hai-chau") -> cap.CapAlert:
    """A flood escalation as the district console would send it (docs/CAP.md mapping), from
    ``site`` (its sender and console id)."""
    sent = datetime(2026, 11, 27, 14, 5, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    points = [(lat, lon) for _, lat, lon, _, _ in _FEEDS]
    params = tuple(cap.ValuePair(f"{key}/{kind}", value) for key, _, _, kind, value in _FEEDS)
    area_vi = cap.CapArea(
        area_desc="Phường Hòa Cường Bắc, Hòa Thuận Tây, Bình Thuận (Hải Châu); Hòa Xuân (Cẩm Lệ)",
        polygons=(cap.hull_polygon(points),),
        circles=(cap.circle_covering(points),),
    )
    common: dict[str, Any] = {
        "categories": (cap.Category.MET,),
        "response_types": (cap.ResponseType.PREPARE,),
        "urgency": cap.Urgency.IMMEDIATE,
        "severity": cap.Severity.SEVERE,
        "certainty": cap.Certainty.OBSERVED,
        "effective": sent,
        "expires": sent + timedelta(hours=6),
        "parameters": params,
        "contact": "Trực ban Hải Châu 0236 3821 000",
    }
    vi = cap.CapInfo(
        language="vi-VN",
        event="Ngập lụt",
        headline="Mực nước sông Hàn vượt báo động 3 tại cầu Trần Thị Lý",
        description="Mực nước 3,42 m và đang lên 12 cm/giờ; mưa 48–55 mm/giờ trên toàn quận.",
        instruction="Đề nghị IOC điều phối mở điểm sơ tán Hòa Xuân và cấm đường Bạch Đằng.",
        areas=(area_vi,),
        **common,
    )
    en = cap.CapInfo(
        language="en-US",
        event="Flood",
        headline="Han river above alert level 3 at Tran Thi Ly bridge",
        description="Level 3.42 m and rising 12 cm/h; rain 48–55 mm/h across the district.",
        instruction="Asking the IOC to open the Hoa Xuan shelter and close Bach Dang street.",
        areas=(cap.CapArea(area_desc="Hai Chau and Cam Le wards", polygons=area_vi.polygons),),
        **common,
    )
    return cap.CapAlert(
        identifier=cap.make_identifier(site, "3f2a9c1e-5b7d-4e0a-9c1e-3f2a9c1e5b7d", seq),
        sender=site,
        sent=sent,
        status=cap.Status.EXERCISE,
        msg_type=cap.MsgType.ALERT,
        scope=cap.Scope.RESTRICTED,
        restriction="Da Nang IOC and district operations centres",
        incidents=("hai-chau-inc-0042",),
        infos=(vi, en),
    )


def _stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {"median_us": round(statistics.median(ordered), 1), "p99_us": round(p99, 1)}


def run_cap_bench(n: int = 3000) -> dict[str, Any]:
    """Build + validate the escalation ``n`` times; median and p99 of each step and both."""
    alert = escalation_alert()
    xml = cap.build_xml(alert)
    if cap.parse(xml) != alert:  # the measured path must be the correct one
        raise AssertionError("the benchmark alert does not survive build → parse")
    build: list[float] = []
    check: list[float] = []
    both: list[float] = []
    clock = time.perf_counter
    for _ in range(n):
        t0 = clock()
        out = cap.build_xml(alert)
        t1 = clock()
        cap.validate(out)
        t2 = clock()
        build.append((t1 - t0) * 1e6)
        check.append((t2 - t1) * 1e6)
        both.append((t2 - t0) * 1e6)
    return {
        "n": n,
        "bytes": len(xml),
        "build": _stats(build),
        "validate": _stats(check),
        "build_and_validate": _stats(both),
    }


if __name__ == "__main__":
    print(json.dumps(run_cap_bench(), indent=2))
