"""``python -m console.bench.records``: one minute summary, encoded and decoded, two ways.

- ``msgpack_dict``: what the link did before typed records — ``msgpack.packb`` of a
  dict at the console, ``msgpack.unpackb`` at the hub (no validation; the hub
  then read fields by string key).
- ``msgspec_struct``: ``console.shared.records``: ``encode`` of a ``MinuteSummary``
  and ``decode`` into a fully validated one (types, bounds, finite floats).

Prints microseconds per summary (best of several rounds) as JSON.
"""

from __future__ import annotations

import json
import timeit
from typing import Any

import msgpack

from console.shared import records

_MINUTE = 29_000_000 * 60_000


def summary() -> records.MinuteSummary:
    return records.MinuteSummary(
        site="hai-chau",
        feed="hc-river-01",
        kind="river_level",
        unit="m",
        minute=_MINUTE,
        n=60,
        min=1.25,
        max=1.75,
        mean=1.5125,
        last=1.5,
        last_ts=_MINUTE + 59_000,
        q=(58, 2, 0),
    )


def as_dict() -> dict[str, Any]:
    """The same summary as the outbox built it before typed records."""
    s = summary()
    return {
        "site": s.site,
        "feed": s.feed,
        "kind": s.kind,
        "unit": s.unit,
        "minute": s.minute,
        "n": s.n,
        "min": s.min,
        "max": s.max,
        "mean": s.mean,
        "last": s.last,
        "last_ts": s.last_ts,
        "q": list(s.q),
    }


def _best_us(fn: Any, number: int, repeat: int) -> float:
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number * 1e6


def run(number: int = 100_000, repeat: int = 7) -> dict[str, Any]:
    d, s = as_dict(), summary()
    packed, encoded = msgpack.packb(d), records.encode(s)
    assert msgpack.unpackb(encoded) == {"v": 1, **d}
    out: dict[str, Any] = {"bytes": {"msgpack_dict": len(packed), "msgspec_struct": len(encoded)}}
    for name, enc, dec in (
        ("msgpack_dict", lambda: msgpack.packb(d), lambda: msgpack.unpackb(packed, raw=False)),
        (
            "msgspec_struct",
            lambda: records.encode(s),
            lambda: records.decode_as(records.MinuteSummary, encoded),
        ),
    ):
        e, c = _best_us(enc, number, repeat), _best_us(dec, number, repeat)
        out[name] = {"encode_us": round(e, 3), "decode_us": round(c, 3), "both_us": round(e + c, 3)}
    out["ratio_msgspec_to_msgpack"] = round(
        out["msgspec_struct"]["both_us"] / out["msgpack_dict"]["both_us"], 2
    )
    return out


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
