"""OASIS CAP 1.2 alerts for escalations and city warnings (docs/CAP.md).

Both products use it: the district console builds and validates the alerts it
escalates, and reads warnings that reach it; the hub reads and stores them.
Qt-free, lxml for XML (hardened reading and the official OASIS schemas).
"""

from console.shared.cap.compose import (
    circle_covering,
    covering_shape,
    distance_km,
    hull_polygon,
    make_identifier,
    reference_to,
    split_identifier,
)
from console.shared.cap.model import (
    NS_11,
    NS_12,
    CapAlert,
    CapArea,
    CapCircle,
    CapError,
    CapInfo,
    CapPolygon,
    CapReference,
    CapResource,
    Category,
    Certainty,
    MsgType,
    ResponseType,
    Scope,
    Severity,
    Status,
    Urgency,
    ValuePair,
)
from console.shared.cap.xml import (
    MAX_BYTES,
    build_xml,
    format_references,
    format_time,
    parse,
    parse_versioned,
    validate,
)

__all__ = [
    "MAX_BYTES",
    "NS_11",
    "NS_12",
    "CapAlert",
    "CapArea",
    "CapCircle",
    "CapError",
    "CapInfo",
    "CapPolygon",
    "CapReference",
    "CapResource",
    "Category",
    "Certainty",
    "MsgType",
    "ResponseType",
    "Scope",
    "Severity",
    "Status",
    "Urgency",
    "ValuePair",
    "build_xml",
    "circle_covering",
    "covering_shape",
    "distance_km",
    "format_references",
    "format_time",
    "hull_polygon",
    "make_identifier",
    "parse",
    "parse_versioned",
    "reference_to",
    "split_identifier",
    "validate",
]
