"""CAP as XML: ``build_xml`` writes 1.2, ``validate``/``parse`` read 1.2 and 1.1, hardened.

Reading is done by lxml (libxml2) in three steps, each refusing with a ``CapError``:

1. A size limit, then a prolog scan: a parser whose target raises at the first
   ``<!DOCTYPE`` or the root's start tag. libxml2 calls the target for the DOCTYPE
   before it reads the internal subset, so no entity or DTD declaration of a
   hostile message is ever processed: XXE, billion laughs, external DTDs and
   parameter entities all stop here. CAP has no DTD, so nothing valid is lost.
2. The full parse with a hardened parser (no entity substitution, no DTD loading
   or validation, no network, libxml2's default size and depth limits, a resolver
   that answers every external request with nothing) — a second wall should the
   scan ever miss something — and a check that the document has no DOCTYPE.
3. The OASIS XSD of the root's namespace (shipped in ``resources/cap``), then the
   rules the XSD cannot express (``model.check``), while the model is built.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from datetime import datetime
from decimal import Decimal
from importlib import resources as importlib_resources
from typing import Any, Final, TypedDict, TypeVar

from lxml import etree

from console.shared.cap.model import (
    NS_11,
    NS_12,
    VERSIONS,
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
    check,
)

MAX_BYTES: Final = 1 << 20
"""Default input limit (1 MiB): a CAP message with a few info blocks and areas is a few
kilobytes; one embedding a resource inline (``derefUri``) can be larger — raise it then."""

_SCHEMA_FILES: Final = {NS_12: "CAP-v1.2.xsd", NS_11: "CAP-v1.1.xsd"}
_REPEATABLE: Final = frozenset(
    {
        "info",
        "category",
        "responseType",
        "eventCode",
        "parameter",
        "resource",
        "area",
        "polygon",
        "circle",
        "geocode",
        "code",
    }
)
# Children each CAP element must have (both versions; 1.1 made mimeType optional, and its
# schema then never reports it missing).
_REQUIRED: Final = {
    "alert": ("identifier", "sender", "sent", "status", "msgType", "scope"),
    "info": ("category", "event", "urgency", "severity", "certainty"),
    "resource": ("resourceDesc", "mimeType"),
    "area": ("areaDesc",),
    "eventCode": ("valueName", "value"),
    "parameter": ("valueName", "value"),
    "geocode": ("valueName", "value"),
}
_NUMBER: Final = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)\Z")
_TOKEN: Final = re.compile(r'\s*(?:"([^"]*)"|([^\s"]+))')
_NS_BRACES: Final = re.compile(r"\{(?:urn|https?):[^}]*\}")  # {namespace}name
_T = TypeVar("_T")


# -- writing -----------------------------------------------------------------------------
def build_xml(alert: CapAlert) -> bytes:
    """``alert`` as CAP 1.2 XML (UTF-8, default namespace, elements in XSD order).

    Raises ``CapError`` for a model that breaks a CAP rule or cannot be written as
    CAP 1.2 exactly (``model.check``), or whose tree the official 1.2 schema refuses
    (checked before serializing, for what only the schema's types know, such as the
    grammar of a URI): what this returns is always valid CAP 1.2.
    """
    check(alert, output=True)
    root = etree.Element(_q("alert"), nsmap={None: NS_12})
    _add(root, "identifier", alert.identifier)
    _add(root, "sender", alert.sender)
    _add(root, "sent", format_time(alert.sent))
    _add(root, "status", alert.status)
    _add(root, "msgType", alert.msg_type)
    _add(root, "source", alert.source)
    _add(root, "scope", alert.scope)
    _add(root, "restriction", alert.restriction)
    _add(root, "addresses", _join_tokens(alert.addresses))
    for code in alert.codes:
        _add(root, "code", code)
    _add(root, "note", alert.note)
    _add(root, "references", format_references(alert.references) or None)
    _add(root, "incidents", _join_tokens(alert.incidents))
    for info in alert.infos:
        _build_info(etree.SubElement(root, _q("info")), info)
    schema = _local_schema(NS_12)
    if not schema.validate(root):
        raise _schema_error(root, schema.error_log[0])  # no line: the tree was never text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _build_info(el: etree._Element, info: CapInfo) -> None:
    _add(el, "language", info.language)
    for category in info.categories:
        _add(el, "category", category)
    _add(el, "event", info.event)
    for response in info.response_types:
        _add(el, "responseType", response)
    _add(el, "urgency", info.urgency)
    _add(el, "severity", info.severity)
    _add(el, "certainty", info.certainty)
    _add(el, "audience", info.audience)
    _add_pairs(el, "eventCode", info.event_codes)
    for name in ("effective", "onset", "expires"):
        value = getattr(info, name)
        _add(el, name, format_time(value) if value is not None else None)
    _add(el, "senderName", info.sender_name)
    _add(el, "headline", info.headline)
    _add(el, "description", info.description)
    _add(el, "instruction", info.instruction)
    _add(el, "web", info.web)
    _add(el, "contact", info.contact)
    _add_pairs(el, "parameter", info.parameters)
    for res in info.resources:
        r = etree.SubElement(el, _q("resource"))
        _add(r, "resourceDesc", res.resource_desc)
        _add(r, "mimeType", res.mime_type)
        _add(r, "size", str(res.size) if res.size is not None else None)
        _add(r, "uri", res.uri)
        _add(r, "derefUri", res.deref_uri)
        _add(r, "digest", res.digest)
    for area in info.areas:
        a = etree.SubElement(el, _q("area"))
        _add(a, "areaDesc", area.area_desc)
        for polygon in area.polygons:
            _add(a, "polygon", " ".join(f"{_num(lat)},{_num(lon)}" for lat, lon in polygon.points))
        for c in area.circles:
            _add(a, "circle", f"{_num(c.lat)},{_num(c.lon)} {_num(c.radius_km)}")
        _add_pairs(a, "geocode", area.geocodes)
        for name in ("altitude", "ceiling"):
            value = getattr(area, name)
            _add(a, name, _num(value) if value is not None else None)


def _add(parent: etree._Element, name: str, text: str | None) -> None:
    if text is not None:
        etree.SubElement(parent, _q(name)).text = str(text)


def _add_pairs(parent: etree._Element, name: str, pairs: Iterable[ValuePair]) -> None:
    for pair in pairs:
        el = etree.SubElement(parent, _q(name))
        _add(el, "valueName", pair.value_name)
        _add(el, "value", pair.value)


def _q(name: str) -> str:
    return f"{{{NS_12}}}{name}"


def _num(value: float) -> str:
    """Positional decimal notation that reads back as the same float (never ``1e-05``)."""
    return format(Decimal(repr(value)), "f")


def format_time(value: datetime) -> str:
    """CAP 1.2 time: ``2026-11-27T14:05:00+07:00``; UTC is ``-00:00`` (CAP 1.2 §3.2.1)."""
    offset = value.utcoffset()
    if offset is None:
        raise CapError("time", "a time needs a time-zone offset")
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes <= 0 else "+"
    hh, mm = divmod(abs(minutes), 60)
    return f"{value.replace(tzinfo=None).isoformat(timespec='seconds')}{sign}{hh:02d}:{mm:02d}"


def format_references(references: Iterable[CapReference]) -> str:
    """``<references>``: ``sender,identifier,sent`` triples separated by a space."""
    return " ".join(f"{r.sender},{r.identifier},{format_time(r.sent)}" for r in references)


def _join_tokens(values: tuple[str, ...]) -> str | None:
    if not values:
        return None
    return " ".join(f'"{v}"' if any(c.isspace() for c in v) else v for v in values)


# -- reading -----------------------------------------------------------------------------
def validate(xml: bytes, *, max_bytes: int = MAX_BYTES) -> None:
    """Raise ``CapError`` unless ``xml`` is one valid CAP 1.2 or 1.1 alert (hardened read,
    the OASIS schema of its namespace, and the rules beyond it)."""
    parse_versioned(xml, max_bytes=max_bytes)


def parse(xml: bytes, *, max_bytes: int = MAX_BYTES) -> CapAlert:
    """The alert in ``xml`` (CAP 1.2 or 1.1), validated; ``CapError`` otherwise."""
    return parse_versioned(xml, max_bytes=max_bytes)[1]


def parse_versioned(xml: bytes, *, max_bytes: int = MAX_BYTES) -> tuple[str, CapAlert]:
    """``("1.2" | "1.1", alert)``; ``CapError`` for anything that is not one valid alert."""
    root = _load(xml, max_bytes)
    ns = etree.QName(root).namespace or ""
    alert = _Reader(root, ns).alert()
    try:
        check(alert, output=False)
    except CapError as exc:
        raise CapError(exc.element, exc.rule, _line_of(root, ns, exc.element)) from None
    return VERSIONS[ns], alert


def _load(xml: bytes, max_bytes: int) -> etree._Element:
    if not isinstance(xml, bytes):
        raise TypeError(f"CAP input must be bytes, not {type(xml).__name__}")
    if len(xml) > max_bytes:
        raise CapError("input", f"{len(xml)} bytes is over the limit of {max_bytes}")
    _scan_prolog(xml)
    try:
        root = etree.fromstring(xml, _local_parser())
    except etree.XMLSyntaxError as exc:
        raise CapError("input", f"not well-formed XML: {_syntax(exc)}", exc.lineno) from None
    if root.getroottree().docinfo.doctype:  # the scan refuses these first
        raise _doctype_error(root.sourceline)
    qname = etree.QName(root)
    if qname.localname != "alert" or qname.namespace not in VERSIONS:
        raise CapError(
            qname.localname,
            f"not a CAP alert: the root is {{{qname.namespace or ''}}}{qname.localname}, "
            f"expected <alert> in {NS_12} (or {NS_11})",
            root.sourceline,
        )
    schema = _local_schema(qname.namespace)
    if not schema.validate(root):
        raise _schema_error(root, schema.error_log[0])
    return root


# One parser and schema per thread: lxml objects are not meant to be shared between threads.
_local = threading.local()


def _local_parser() -> etree.XMLParser:
    parser: etree.XMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = _hardened_parser()
        _local.parser = parser
    return parser


# Every parser that reads outside input is made with these: no entity substitution, no
# DTD loaded or validated, no network, libxml2's default limits (no huge_tree).
class _Options(TypedDict):
    resolve_entities: bool
    no_network: bool
    load_dtd: bool
    dtd_validation: bool
    attribute_defaults: bool
    huge_tree: bool
    remove_comments: bool
    remove_pis: bool
    collect_ids: bool


_HARDENED: Final[_Options] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "attribute_defaults": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
    "collect_ids": False,
}


def _hardened_parser() -> etree.XMLParser:
    parser = etree.XMLParser(**_HARDENED)
    parser.resolvers.add(_NothingResolver())
    return parser


class _NothingResolver(etree.Resolver):
    """Answers any request for an external resource with an empty document."""

    def resolve(self, system_url: str | None, public_id: str | None, context: Any) -> Any:
        return self.resolve_empty(context)


class _ScanStopError(Exception):
    def __init__(self, doctype: bool) -> None:
        self.doctype = doctype


class _Prolog:
    """Parser target that stops at the DOCTYPE (refused) or the root start tag (fine)."""

    def doctype(self, name: str, pubid: str | None, system_url: str | None) -> None:
        raise _ScanStopError(doctype=True)

    def start(self, tag: str, attrib: Any, nsmap: Any = None) -> None:
        raise _ScanStopError(doctype=False)

    def close(self) -> None: ...


def _scan_prolog(xml: bytes) -> None:
    target: Any = _Prolog()  # lxml calls only the target's methods that exist
    parser = etree.XMLParser(target=target, **_HARDENED)
    parser.resolvers.add(_NothingResolver())
    try:
        parser.feed(xml)
        parser.close()
    except _ScanStopError as stop:
        if stop.doctype:
            raise _doctype_error(None) from None
        return
    except etree.XMLSyntaxError as exc:
        raise CapError("input", f"not well-formed XML: {_syntax(exc)}", exc.lineno) from None
    raise CapError("input", "no XML element found")


def _doctype_error(line: int | None) -> CapError:
    return CapError(
        "DOCTYPE",
        "refused: CAP has no DTD, and a DOCTYPE is where entity and external-DTD attacks live",
        line,
    )


def _syntax(exc: etree.XMLSyntaxError) -> str:
    return re.sub(r" \(<string>, line \d+\)$", "", str(exc))


def _local_schema(ns: str) -> etree.XMLSchema:
    schemas: dict[str, etree.XMLSchema] | None = getattr(_local, "schemas", None)
    if schemas is None:
        schemas = _local.schemas = {}
    if ns not in schemas:
        xsd = importlib_resources.files("resources").joinpath("cap", _SCHEMA_FILES[ns])
        schemas[ns] = etree.XMLSchema(etree.fromstring(xsd.read_bytes(), _local_parser()))
    return schemas[ns]


# -- reasons -----------------------------------------------------------------------------
def _schema_error(root: etree._Element, entry: Any) -> CapError:
    """libxml2's first schema error as element path + rule, in CAP's local names."""
    el = _find(root, entry.path)
    where = _path(el) if el is not None else "alert"
    line = entry.line or None  # 0 for a tree built in memory
    message = _NS_BRACES.sub("", entry.message)
    message = re.sub(r"^Element '[^']*'(?:, attribute '[^']*')?: ", "", message)
    if m := re.search(r"Expected is (?:one of )?\( ([^)]*) \)", message):
        expected = [name.strip() for name in m.group(1).split(",")]
        at_end = message.startswith("Missing child element")
        parent = el if at_end else (el.getparent() if el is not None else None)
        if parent is not None:
            present = {etree.QName(c).localname for c in parent if isinstance(c.tag, str)}
            required = _REQUIRED.get(etree.QName(parent).localname, ())
            missing = [n for n in expected if n in required and n not in present]
            if missing:
                found = (
                    ""
                    if at_end or el is None
                    else f" (found <{etree.QName(el).localname}> where it belongs)"
                )
                return CapError(
                    f"{_path(parent)}/{missing[0]}", f"required element is missing{found}", line
                )
        if at_end:
            return CapError(where, f"an element is missing: one of {', '.join(expected)}", line)
        wanted = f"<{expected[0]}>" if len(expected) == 1 else f"one of: {', '.join(expected)}"
        return CapError(where, f"not allowed here (expected {wanted})", line)
    if m := re.search(
        r"\[facet 'enumeration'\] The value '(.*)' is not an element of the set \{(.*)\}", message
    ):
        allowed = m.group(2).replace("'", "")
        return CapError(where, f"{m.group(1)!r} is not one of {allowed}", line)
    if m := re.search(
        r"\[facet 'pattern'\] The value '(.*)' is not accepted by the pattern", message
    ):
        return CapError(
            where,
            f"{m.group(1)!r} is not a CAP 1.2 time (YYYY-MM-DDThh:mm:ss+hh:mm: "
            "an offset, no fractions of a second, no Z)",
            line,
        )
    return CapError(where, message.rstrip("."), line)


def _find(root: etree._Element, path: str | None) -> etree._Element | None:
    if not path:
        return None
    prefixes = {p: u for e in root.iter() for p, u in e.nsmap.items() if p}
    try:
        found = root.getroottree().xpath(path, namespaces=prefixes)
    except etree.XPathError:
        return None
    if isinstance(found, list) and found and isinstance(found[0], etree._Element):
        return found[0]
    return None


def _path(el: etree._Element) -> str:
    """``alert/info[2]/area[1]/polygon[1]``: local names, repeatable elements indexed."""
    steps: list[str] = []
    node: etree._Element | None = el
    while node is not None:
        name = etree.QName(node).localname
        parent = node.getparent()
        if parent is not None:
            siblings = [c for c in parent if c.tag == node.tag]
            if name in _REPEATABLE or len(siblings) > 1:
                name += f"[{siblings.index(node) + 1}]"
        steps.append(name)
        node = parent
    return "/".join(reversed(steps))


def _line_of(root: etree._Element, ns: str, path: str) -> int | None:
    """The line of the deepest element of ``path`` that exists (the rule's subject or its parent)."""
    node = root
    for step in path.split("/")[1:]:
        m = re.fullmatch(r"(\w+)(?:\[(\d+)\])?", step)
        if m is None:
            break
        found = node.findall(f"{{{ns}}}{m.group(1)}")
        index = int(m.group(2) or 1) - 1
        if index >= len(found):
            break
        node = found[index]
    return node.sourceline


# -- the model from a validated tree -----------------------------------------------------
_Kids = dict[str, list[etree._Element]]


class _Reader:
    """Builds the model from a schema-valid tree: each element's children are indexed by
    local name once (lxml's ``find`` per field cost more than the whole parse)."""

    def __init__(self, root: etree._Element, ns: str) -> None:
        self.root = root
        self.prefix = f"{{{ns}}}"

    def alert(self) -> CapAlert:
        k = self._kids(self.root)
        return CapAlert(
            identifier=_req(k, "identifier"),
            sender=_req(k, "sender"),
            sent=_time(k["sent"][0]),
            status=Status(_req(k, "status")),
            msg_type=MsgType(_req(k, "msgType")),
            source=_opt(k, "source"),
            scope=Scope(_req(k, "scope")),
            restriction=_opt(k, "restriction"),
            addresses=_tokens(k, "addresses"),
            codes=tuple(_text(e) for e in k.get("code", ())),
            note=_opt(k, "note"),
            references=_references(k),
            incidents=_tokens(k, "incidents"),
            infos=tuple(self._info(self._kids(e)) for e in k.get("info", ())),
        )

    def _info(self, k: _Kids) -> CapInfo:
        language = _opt(k, "language")
        return CapInfo(
            language=language.strip() if language is not None else "en-US",
            categories=tuple(Category(_text(e)) for e in k["category"]),
            event=_req(k, "event"),
            response_types=tuple(ResponseType(_text(e)) for e in k.get("responseType", ())),
            urgency=Urgency(_req(k, "urgency")),
            severity=Severity(_req(k, "severity")),
            certainty=Certainty(_req(k, "certainty")),
            audience=_opt(k, "audience"),
            event_codes=self._pairs(k, "eventCode"),
            effective=_opt_time(k, "effective"),
            onset=_opt_time(k, "onset"),
            expires=_opt_time(k, "expires"),
            sender_name=_opt(k, "senderName"),
            headline=_opt(k, "headline"),
            description=_opt(k, "description"),
            instruction=_opt(k, "instruction"),
            web=_opt(k, "web"),
            contact=_opt(k, "contact"),
            parameters=self._pairs(k, "parameter"),
            resources=tuple(self._resource(self._kids(e)) for e in k.get("resource", ())),
            areas=tuple(self._area(self._kids(e)) for e in k.get("area", ())),
        )

    def _resource(self, k: _Kids) -> CapResource:
        size = k.get("size")
        return CapResource(
            resource_desc=_req(k, "resourceDesc"),
            mime_type=_opt(k, "mimeType"),
            size=_convert(size[0], int) if size else None,
            uri=_opt(k, "uri"),
            deref_uri=_opt(k, "derefUri"),
            digest=_opt(k, "digest"),
        )

    def _area(self, k: _Kids) -> CapArea:
        altitude, ceiling = k.get("altitude"), k.get("ceiling")
        return CapArea(
            area_desc=_req(k, "areaDesc"),
            polygons=tuple(_polygon(e) for e in k.get("polygon", ())),
            circles=tuple(_circle(e) for e in k.get("circle", ())),
            geocodes=self._pairs(k, "geocode"),
            altitude=_convert(altitude[0], float) if altitude else None,
            ceiling=_convert(ceiling[0], float) if ceiling else None,
        )

    def _pairs(self, k: _Kids, name: str) -> tuple[ValuePair, ...]:
        out = []
        for e in k.get(name, ()):
            pair = self._kids(e)
            out.append(ValuePair(_req(pair, "valueName"), _req(pair, "value")))
        return tuple(out)

    def _kids(self, el: etree._Element) -> _Kids:
        kids: _Kids = {}
        n = len(self.prefix)
        for child in el:
            tag = child.tag
            if isinstance(tag, str) and tag.startswith(self.prefix):
                kids.setdefault(tag[n:], []).append(child)
        return kids


def _text(el: etree._Element) -> str:
    # Comments and processing instructions are dropped by the parser and the schema allows
    # no child elements in CAP's text fields, so the element's text is all of it.
    return el.text or ""


def _req(k: _Kids, name: str) -> str:
    return _text(k[name][0])  # the schema requires it


def _opt(k: _Kids, name: str) -> str | None:
    found = k.get(name)
    return _text(found[0]) if found else None


def _opt_time(k: _Kids, name: str) -> datetime | None:
    found = k.get(name)
    return _time(found[0]) if found else None


def _references(k: _Kids) -> tuple[CapReference, ...]:
    found = k.get("references")
    if not found:
        return ()
    ref = found[0]
    out = []
    for triple in _text(ref).split():
        parts = triple.split(",")
        if len(parts) != 3:
            raise CapError(_path(ref), f"{triple!r} is not sender,identifier,sent", ref.sourceline)
        out.append(CapReference(parts[0], parts[1], _datetime(ref, parts[2])))
    return tuple(out)


def _tokens(k: _Kids, name: str) -> tuple[str, ...]:
    """A space-separated list (addresses, incidents); an entry with spaces is quoted."""
    found = k.get(name)
    if not found:
        return ()
    el = found[0]
    text, pos, out = _text(el), 0, []
    end = len(text.rstrip())
    while pos < end:
        m = _TOKEN.match(text, pos)
        if m is None:
            raise CapError(_path(el), "an unbalanced double quote", el.sourceline)
        out.append(m.group(1) if m.group(1) is not None else m.group(2))
        pos = m.end()
    return tuple(out)


def _time(el: etree._Element) -> datetime:
    return _datetime(el, _text(el))


def _datetime(el: etree._Element, text: str) -> datetime:
    value = text.strip()
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise CapError(_path(el), f"{value!r} cannot be read as a time", el.sourceline) from None
    if parsed.utcoffset() is None:
        raise CapError(_path(el), f"{value!r} has no time-zone offset", el.sourceline)
    return parsed


def _convert(el: etree._Element, kind: Callable[[str], _T]) -> _T:
    text = _text(el).strip()
    try:
        return kind(text)
    except ValueError:
        raise CapError(_path(el), f"{text!r} is not a number", el.sourceline) from None


def _polygon(el: etree._Element) -> CapPolygon:
    return CapPolygon(tuple(_pair(el, token) for token in _text(el).split()))


def _circle(el: etree._Element) -> CapCircle:
    parts = _text(el).split()
    if len(parts) != 2 or not _NUMBER.match(parts[1]):
        raise CapError(_path(el), "is not 'lat,lon radius' (radius in km)", el.sourceline)
    lat, lon = _pair(el, parts[0])
    return CapCircle(lat, lon, float(parts[1]))


def _pair(el: etree._Element, token: str) -> tuple[float, float]:
    parts = token.split(",")
    if len(parts) != 2 or not all(_NUMBER.match(p) for p in parts):
        raise CapError(
            _path(el), f"{token!r} is not a 'lat,lon' pair of decimal degrees", el.sourceline
        )
    return float(parts[0]), float(parts[1])
