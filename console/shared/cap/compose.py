"""Helpers to compose an escalation: identifiers, references, and an area from feed positions."""

from __future__ import annotations

import itertools
import math
import re
import uuid
from collections.abc import Sequence
from typing import Final

from console.shared.cap.model import CapAlert, CapCircle, CapPolygon, CapReference

EARTH_RADIUS_KM: Final = 6371.0088
"""Mean Earth radius (IUGG); distances at city scale are good to well under a metre per km."""
_KM_PER_DEG: Final = math.pi * EARTH_RADIUS_KM / 180.0
_CONSOLE_ID: Final = re.compile(r"[a-z0-9._-]{1,64}\Z")  # a site id (docs/CONFIG.md)
_DECIMALS: Final = 6  # about 0.1 m: finer than any feed position


# -- identifiers and references ------------------------------------------------------------
def make_identifier(console_id: str, log_id: str, seq: int) -> str:
    """``<console-id>-<log>-<seq>``, e.g. ``hai-chau-3f2a9c1e-17``.

    ``log_id`` is the site log's ``stream_id`` (a UUID made when the log was
    created): its first 8 hex digits keep identifiers unique when a console's log is
    recreated and ``seq`` (its escalation counter) starts again at 1. The result has
    no spaces, commas, < or &, as CAP requires of an identifier.
    """
    if not _CONSOLE_ID.match(console_id):
        raise ValueError(f"{console_id!r} is not a console id ([a-z0-9._-]{{1,64}})")
    if seq < 1:
        raise ValueError(f"seq {seq} must be 1 or more")
    return f"{console_id}-{uuid.UUID(log_id).hex[:8]}-{seq}"


def split_identifier(identifier: str) -> tuple[str, str, int]:
    """``(console_id, log prefix, seq)`` of an identifier ``make_identifier`` made."""
    console_id, log, seq = identifier.rsplit("-", 2)
    if not (_CONSOLE_ID.match(console_id) and re.fullmatch(r"[0-9a-f]{8}", log)):
        raise ValueError(f"{identifier!r} is not <console-id>-<8 hex>-<seq>")
    return console_id, log, int(seq)


def reference_to(alert: CapAlert) -> CapReference:
    """The ``sender,identifier,sent`` triple an Update, Cancel or Ack names ``alert`` by."""
    return CapReference(alert.sender, alert.identifier, alert.sent)


# -- areas -------------------------------------------------------------------------------
Point = tuple[float, float]
"""WGS 84 ``(lat, lon)`` in decimal degrees, as feeds' positions are configured."""


def circle_covering(points: Sequence[Point], margin_km: float = 0.5) -> CapCircle:
    """A circle around the points' centroid reaching the farthest point plus ``margin_km``.

    The centroid is the mean of the coordinates: right at city scale, wrong across the
    antimeridian (no Vietnamese site is near it). The radius is rounded up to the metre.
    """
    _check_points(points)
    lat0 = sum(p[0] for p in points) / len(points)
    lon0 = sum(p[1] for p in points) / len(points)
    centre = (round(lat0, _DECIMALS), round(lon0, _DECIMALS))
    reach = max(distance_km(centre, p) for p in points) + max(margin_km, 0.0)
    return CapCircle(centre[0], centre[1], math.ceil(reach * 1000.0) / 1000.0)


def hull_polygon(points: Sequence[Point], margin_km: float = 0.5) -> CapPolygon:
    """The points' convex hull, each corner moved ``margin_km`` away from the hull's centre,
    closed on itself (first point = last), as CAP's ``<polygon>`` wants.

    ``ValueError`` when fewer than three points are not on one line (no area to draw):
    use ``circle_covering`` then, or ``covering_shape`` to choose.
    """
    _check_points(points)
    lat0 = sum(p[0] for p in points) / len(points)
    lon0 = sum(p[1] for p in points) / len(points)
    kx = _KM_PER_DEG * math.cos(math.radians(lat0))
    local = sorted({((lon - lon0) * kx, (lat - lat0) * _KM_PER_DEG) for lat, lon in points})
    hull = _convex_hull(local)
    if len(hull) < 3:
        raise ValueError("a polygon needs three feeds that are not on one line")
    cx = sum(x for x, _ in hull) / len(hull)
    cy = sum(y for _, y in hull) / len(hull)
    corners = []
    for x, y in hull:
        d = math.hypot(x - cx, y - cy)
        grow = (d + max(margin_km, 0.0)) / d
        gx, gy = cx + (x - cx) * grow, cy + (y - cy) * grow
        corners.append(
            (round(lat0 + gy / _KM_PER_DEG, _DECIMALS), round(lon0 + gx / kx, _DECIMALS))
        )
    return CapPolygon((*corners, corners[0]))


def covering_shape(points: Sequence[Point], margin_km: float = 0.5) -> CapPolygon | CapCircle:
    """The hull polygon where the points span an area, otherwise the covering circle.

    A hull too thin to hold its own points once its corners are rounded (two feeds a
    hair apart and a third: a sliver) gets the circle too: the shape must cover them."""
    try:
        poly = hull_polygon(points, margin_km)
    except ValueError:
        return circle_covering(points, margin_km)
    if all(_inside(poly, p) for p in points):
        return poly
    return circle_covering(points, margin_km)


def _inside(poly: CapPolygon, p: Point) -> bool:
    """Ray casting in (lon, lat), strictly inside (a point on an edge is not covered)."""
    inside = False
    pts = poly.points
    for (y1, x1), (y2, x2) in itertools.pairwise(pts):
        if (y1 > p[0]) != (y2 > p[0]) and p[1] < x1 + (p[0] - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _check_points(points: Sequence[Point]) -> None:
    if not points:
        raise ValueError("no feed positions to cover")
    for lat, lon in points:
        if not (math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180):
            raise ValueError(f"({lat}, {lon}) is not a WGS 84 position")


def _convex_hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Andrew's monotone chain over sorted, distinct points: corners anticlockwise.

    Three points count as on one line when the turn's sine is under 1e-9 (rounding in
    the projection makes exactly collinear positions turn by ~1e-12).
    """

    def left_turn(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> bool:
        ax, ay, bx, by = a[0] - o[0], a[1] - o[1], b[0] - o[0], b[1] - o[1]
        return ax * by - ay * bx > 1e-9 * math.hypot(ax, ay) * math.hypot(bx, by)

    lower: list[tuple[float, float]] = []
    upper: list[tuple[float, float]] = []
    for p in points:
        while len(lower) >= 2 and not left_turn(lower[-2], lower[-1], p):
            lower.pop()
        lower.append(p)
    for p in reversed(points):
        while len(upper) >= 2 and not left_turn(upper[-2], upper[-1], p):
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]
