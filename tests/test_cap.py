"""CAP 1.2 (console/shared/cap): build → validate → parse, hostile XML, the helpers, the CLI.

Each attack test also runs the same document through an ordinary (unhardened) lxml
parser and shows the attack working there: the hardened path is proven to stop an
attack that is real, not merely to raise some exception.
"""

from __future__ import annotations

import itertools
import json
import math
import socket
import string
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from console.bench.cap import escalation_alert, run_cap_bench
from console.cli.main import main
from console.shared import cap
from console.shared.cap import xml as capxml
from console.shared.cap.model import _NOT_XML

DATA = Path(__file__).parent / "data" / "cap"
TYPHOON = DATA / "typhoon-vi-en.xml"
FLOOD_11 = DATA / "flood-1.1.xml"
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
MARKER = "SECRET-7f3a-ONLY-IN-THE-LOCAL-FILE"
T = TypeVar("T")


def alert(**changes: object) -> cap.CapAlert:
    """A small valid escalation; ``changes`` replace alert fields."""
    sent = datetime(2026, 11, 27, 14, 5, tzinfo=HCM)
    base = cap.CapAlert(
        identifier="hai-chau-3f2a9c1e-1",
        sender="hai-chau",
        sent=sent,
        status=cap.Status.EXERCISE,
        msg_type=cap.MsgType.ALERT,
        scope=cap.Scope.PUBLIC,
        infos=(
            cap.CapInfo(
                language="vi-VN",
                categories=(cap.Category.MET,),
                event="Ngập lụt",
                urgency=cap.Urgency.IMMEDIATE,
                severity=cap.Severity.SEVERE,
                certainty=cap.Certainty.OBSERVED,
                areas=(
                    cap.CapArea(
                        area_desc="Phường Hòa Cường Bắc",
                        circles=(cap.CapCircle(16.05, 108.22, 1.5),),
                    ),
                ),
            ),
        ),
    )
    return msgspec.structs.replace(base, **changes)


def with_info(**changes: object) -> cap.CapAlert:
    a = alert()
    return msgspec.structs.replace(a, infos=(msgspec.structs.replace(a.infos[0], **changes),))


def without(xml: bytes, local_name: str) -> bytes:
    """``xml`` with the first element named ``local_name`` removed (a plain lxml edit)."""
    root = etree.fromstring(xml)
    el = next(e for e in root.iter() if etree.QName(e).localname == local_name)
    parent = el.getparent()
    assert parent is not None
    parent.remove(el)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def refused(xml: bytes, **kw: int) -> cap.CapError:
    with pytest.raises(cap.CapError) as info:
        cap.parse(xml, **kw)
    with pytest.raises(cap.CapError) as again:
        cap.validate(xml, **kw)
    assert str(again.value) == str(info.value)  # validate and parse refuse alike
    return info.value


# -- the samples -------------------------------------------------------------------------
def test_a_national_style_typhoon_warning_in_vietnamese_and_english_parses() -> None:
    version, a = cap.parse_versioned(TYPHOON.read_bytes())
    assert version == "1.2"
    assert (a.identifier, a.sender, a.msg_type) == (
        "vn.nchmf.2026.11.0427",
        "cap@nchmf.gov.vn",
        cap.MsgType.UPDATE,
    )
    assert a.sent == datetime(2026, 11, 27, 10, 30, tzinfo=HCM)
    assert a.sent.utcoffset() == timedelta(hours=7)
    assert a.references == (
        cap.CapReference(
            "cap@nchmf.gov.vn", "vn.nchmf.2026.11.0421", datetime(2026, 11, 27, 4, 30, tzinfo=HCM)
        ),
    )
    assert a.incidents == ("BAO-SO-13-2026", "Áp thấp nhiệt đới 27/11")
    vi, en = a.infos
    assert (vi.language, vi.event, en.language, en.event) == (
        "vi-VN",
        "Bão số 13",
        "en-US",
        "Typhoon No. 13",
    )
    assert vi.response_types == (cap.ResponseType.PREPARE, cap.ResponseType.EVACUATE)
    assert vi.parameters[0] == cap.ValuePair("maxWindSpeed_kmh", "133")
    assert vi.event_codes == (cap.ValuePair("VN-DisasterRisk", "4"),)
    land, sea = vi.areas
    assert land.polygons[0].points[0] == land.polygons[0].points[-1] == (16.2, 108.05)
    assert land.geocodes == (cap.ValuePair("VN-ADM1", "48"),)
    assert sea.circles == (cap.CapCircle(15.2, 111.8, 250.0),)
    # and it survives being written again as CAP 1.2
    assert cap.parse(cap.build_xml(a)) == a


def test_cap_1_1_is_accepted_with_what_1_1_allows() -> None:
    version, a = cap.parse_versioned(FLOOD_11.read_bytes())
    assert version == "1.1"
    assert a.sent == datetime(2026, 11, 27, 3, 0, 0, 250_000, tzinfo=UTC)  # Z and a fraction
    (info,) = a.infos
    assert info.language == "en-US"  # CAP's default when <language> is absent
    assert info.resources[0].mime_type is None  # optional in 1.1
    assert info.areas[0].altitude == 0.0 and info.areas[0].ceiling == 30.0
    # what 1.2 does not allow is refused when writing it again, naming the element
    with pytest.raises(cap.CapError) as exc:
        cap.build_xml(a)
    assert exc.value.element == "alert/sent" and "whole seconds" in exc.value.rule


def test_a_cap_1_1_message_is_held_to_the_1_1_schema() -> None:
    # 1.1 has no responseType "AllClear" (added in 1.2)
    xml = FLOOD_11.read_bytes().replace(
        b"<cap:urgency>", b"<cap:responseType>AllClear</cap:responseType><cap:urgency>"
    )
    err = refused(xml)
    assert err.element == "alert/info[1]/responseType[1]"
    assert "'AllClear' is not one of" in err.rule
    assert err.line is not None


def test_an_xml_signature_is_accepted_and_not_kept() -> None:
    xml = cap.build_xml(alert())
    signed = xml.replace(
        b"</alert>",
        b'<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo/></Signature></alert>',
    )
    assert cap.parse(signed) == alert()
    # anything else after the info blocks is not CAP
    other = xml.replace(b"</alert>", b'<x:Extra xmlns:x="urn:example"/></alert>')
    assert refused(other).element == "alert/Extra"


# -- what the builder writes -------------------------------------------------------------
def test_the_builder_writes_canonical_cap_1_2() -> None:
    xml = cap.build_xml(alert())
    root = etree.fromstring(xml)
    assert root.tag == f"{{{cap.NS_12}}}alert" and root.prefix is None
    assert xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    ns = {"c": cap.NS_12}
    assert root.findtext("c:sent", namespaces=ns) == "2026-11-27T14:05:00+07:00"
    assert [etree.QName(e).localname for e in root] == [
        "identifier",
        "sender",
        "sent",
        "status",
        "msgType",
        "scope",
        "info",
    ]
    assert root.findtext("c:info/c:area/c:circle", namespaces=ns) == "16.05,108.22 1.5"
    cap.validate(xml)


@pytest.mark.parametrize(
    ("sent", "text"),
    [
        (datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), "2026-01-02T03:04:05-00:00"),  # CAP's UTC
        (
            datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=-3, minutes=-30))),
            "2026-01-02T03:04:05-03:30",
        ),
        (
            datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=5, minutes=45))),
            "2026-01-02T03:04:05+05:45",
        ),
        (datetime(2026, 1, 2, 3, 4, 5, tzinfo=HCM), "2026-01-02T03:04:05+07:00"),
        # local mean time of old Saigon (+07:06:30 in the tz database) cannot be written
        (datetime(33, 1, 2, 3, 4, 5, tzinfo=HCM), None),
    ],
)
def test_times_are_written_with_an_offset_and_whole_seconds(
    sent: datetime, text: str | None
) -> None:
    if text is None:
        with pytest.raises(cap.CapError, match="whole minutes"):
            cap.build_xml(alert(sent=sent))
        return
    xml = cap.build_xml(alert(sent=sent))
    assert f"<sent>{text}</sent>".encode() in xml
    assert cap.parse(xml).sent == sent


def test_coordinates_are_written_positionally_and_read_back_exactly() -> None:
    tiny = cap.CapPolygon(((1e-05, -0.0), (1e-05, 2e-07), (0.5, 2e-07), (1e-05, -0.0)))
    xml = cap.build_xml(with_info(areas=(cap.CapArea(area_desc="x", polygons=(tiny,)),)))
    assert b"0.00001,-0.0 0.00001,0.0000002 0.5,0.0000002 0.00001,-0.0" in xml
    assert not any(
        "e" in (p.text or "").lower() for p in etree.fromstring(xml).iter(f"{{{cap.NS_12}}}polygon")
    )
    assert cap.parse(xml).infos[0].areas[0].polygons == (tiny,)


@pytest.mark.parametrize(
    ("model", "element", "words"),
    [
        (alert(sent=datetime(2026, 1, 1, 10, 0)), "alert/sent", "time-zone offset"),
        (alert(sent=datetime(2026, 1, 1, 10, 0, 0, 5, tzinfo=UTC)), "alert/sent", "whole seconds"),
        (
            alert(sent=datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=15)))),
            "alert/sent",
            "14:00",
        ),
        (alert(identifier="hai chau 1"), "alert/identifier", "' '"),
        (alert(identifier="a,b"), "alert/identifier", "','"),
        (alert(sender="a<b"), "alert/sender", "'<'"),
        (alert(sender=""), "alert/sender", "empty"),
        (alert(scope=cap.Scope.RESTRICTED), "alert/restriction", "Restricted"),
        (alert(scope=cap.Scope.PRIVATE), "alert/addresses", "Private"),
        (alert(msg_type=cap.MsgType.UPDATE), "alert/references", "Update"),
        (alert(msg_type=cap.MsgType.CANCEL), "alert/references", "Cancel"),
        (alert(note="bell \x07"), "alert/note", "U+0007"),
        (alert(addresses=('say "hi"',)), "alert/addresses", "double quote"),
        (with_info(categories=()), "alert/info[1]/category[1]", "at least one"),
        (with_info(language="vi_VN"), "alert/info[1]/language", "language tag"),
        (with_info(web="nchmf.gov.vn/bao"), "alert/info[1]/web", "absolute URI"),
        (with_info(web="https://a.vn/bão số 13"), "alert/info[1]/web", "white space"),
        (with_info(web="https://a.vn/%zz"), "alert/info[1]/web", "anyURI"),
        (with_info(headline="\ufffe"), "alert/info[1]/headline", "U+FFFE"),
        (
            with_info(resources=(cap.CapResource(resource_desc="map", mime_type=None),)),
            "alert/info[1]/resource[1]/mimeType",
            "required in CAP 1.2",
        ),
        (
            with_info(
                areas=(
                    cap.CapArea(
                        area_desc="x",
                        polygons=(cap.CapPolygon(((1.0, 1.0), (2.0, 2.0), (1.0, 1.0))),),
                    ),
                )
            ),
            "alert/info[1]/area[1]/polygon[1]",
            "at least 4",
        ),
        (
            with_info(
                areas=(
                    cap.CapArea(
                        area_desc="x",
                        polygons=(
                            cap.CapPolygon(((1.0, 1.0), (2.0, 2.0), (3.0, 1.0), (1.0, 1.5))),
                        ),
                    ),
                )
            ),
            "alert/info[1]/area[1]/polygon[1]",
            "not closed",
        ),
        (
            with_info(
                areas=(cap.CapArea(area_desc="x", circles=(cap.CapCircle(91.0, 0.0, 1.0),)),)
            ),
            "alert/info[1]/area[1]/circle[1]",
            "latitude",
        ),
        (
            with_info(
                areas=(cap.CapArea(area_desc="x", circles=(cap.CapCircle(0.0, 0.0, math.nan),)),)
            ),
            "alert/info[1]/area[1]/circle[1]",
            "radius",
        ),
        (
            with_info(areas=(cap.CapArea(area_desc="x", ceiling=100.0),)),
            "alert/info[1]/area[1]/ceiling",
            "altitude",
        ),
    ],
)
def test_the_builder_refuses_what_cap_forbids_naming_the_element(
    model: cap.CapAlert, element: str, words: str
) -> None:
    with pytest.raises(cap.CapError) as exc:
        cap.build_xml(model)
    assert exc.value.element == element
    assert words in exc.value.rule


# -- round trip (hypothesis) -------------------------------------------------------------
_XML_CHAR = st.characters(exclude_categories=("Cs",), exclude_characters="\ufffe\uffff").filter(
    lambda c: not _NOT_XML.match(c)
) | st.sampled_from("\t\n\r ")
TEXT = st.text(_XML_CHAR, max_size=40)
ID = st.text(
    st.sampled_from(string.ascii_letters + string.digits + ".-_@:/#+đệạ"), min_size=1, max_size=30
) | st.text(_XML_CHAR, min_size=1, max_size=20).filter(
    lambda s: not any(c.isspace() or c in ",<&" for c in s)
)
TOKEN = st.text(_XML_CHAR, min_size=1, max_size=15).filter(lambda s: '"' not in s)
OFFSETS = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
TIME = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=OFFSETS
).map(lambda d: d.replace(microsecond=0))
LAT = st.floats(-90, 90)
LON = st.floats(-180, 180)
NUMBER = st.floats(allow_nan=False, allow_infinity=False)
URI = st.builds(
    lambda scheme, host, path: f"{scheme}://{host}{path}",
    st.sampled_from(["http", "https"]),
    st.from_regex(r"[a-z0-9]([a-z0-9.-]{0,20}[a-z0-9])?", fullmatch=True),
    st.from_regex(r"(/[A-Za-z0-9._~!$&'()*+,;=:@-]{0,8}|/%[0-9A-F]{2}){0,3}", fullmatch=True),
)
LANGUAGE = st.sampled_from(["vi-VN", "en-US", "vi"]) | st.from_regex(
    r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8}){0,2}", fullmatch=True
)
PAIRS = st.lists(st.builds(cap.ValuePair, TEXT, TEXT), max_size=3).map(tuple)


def _opt(s: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    return st.none() | s


@st.composite
def polygons(draw: st.DrawFn) -> cap.CapPolygon:
    points = draw(st.lists(st.tuples(LAT, LON), min_size=3, max_size=8))
    return cap.CapPolygon((*points, points[0]))


@st.composite
def areas(draw: st.DrawFn) -> cap.CapArea:
    altitude = draw(_opt(NUMBER))
    return cap.CapArea(
        area_desc=draw(TEXT),
        polygons=tuple(draw(st.lists(polygons(), max_size=2))),
        circles=tuple(
            draw(st.lists(st.builds(cap.CapCircle, LAT, LON, st.floats(0, 20_000)), max_size=2))
        ),
        geocodes=draw(PAIRS),
        altitude=altitude,
        ceiling=draw(_opt(NUMBER)) if altitude is not None else None,
    )


RESOURCES = st.builds(
    cap.CapResource,
    resource_desc=TEXT,
    mime_type=st.sampled_from(["image/png", "application/pdf", "text/plain"]),
    size=_opt(st.integers(0, 2**70)),
    uri=_opt(URI),
    deref_uri=_opt(st.from_regex(r"[A-Za-z0-9+/]{0,12}={0,2}", fullmatch=True)),
    digest=_opt(st.from_regex(r"[0-9a-f]{40}", fullmatch=True)),
)


@st.composite
def infos(draw: st.DrawFn) -> cap.CapInfo:
    return cap.CapInfo(
        language=draw(LANGUAGE),
        categories=tuple(draw(st.lists(st.sampled_from(cap.Category), min_size=1, max_size=3))),
        event=draw(TEXT),
        response_types=tuple(draw(st.lists(st.sampled_from(cap.ResponseType), max_size=2))),
        urgency=draw(st.sampled_from(cap.Urgency)),
        severity=draw(st.sampled_from(cap.Severity)),
        certainty=draw(st.sampled_from(cap.Certainty)),
        audience=draw(_opt(TEXT)),
        event_codes=draw(PAIRS),
        effective=draw(_opt(TIME)),
        onset=draw(_opt(TIME)),
        expires=draw(_opt(TIME)),
        sender_name=draw(_opt(TEXT)),
        headline=draw(_opt(TEXT)),
        description=draw(_opt(TEXT)),
        instruction=draw(_opt(TEXT)),
        web=draw(_opt(URI)),
        contact=draw(_opt(TEXT)),
        parameters=draw(PAIRS),
        resources=tuple(draw(st.lists(RESOURCES, max_size=2))),
        areas=tuple(draw(st.lists(areas(), max_size=2))),
    )


@st.composite
def alerts(draw: st.DrawFn) -> cap.CapAlert:
    """Models the builder should accept: CAP's cross-field rules are respected."""
    msg_type = draw(st.sampled_from(cap.MsgType))
    scope = draw(st.sampled_from(cap.Scope))
    refs = st.builds(cap.CapReference, ID, ID, TIME)
    needs_refs = msg_type is not cap.MsgType.ALERT
    return cap.CapAlert(
        identifier=draw(ID),
        sender=draw(ID),
        sent=draw(TIME),
        status=draw(st.sampled_from(cap.Status)),
        msg_type=msg_type,
        source=draw(_opt(TEXT)),
        scope=scope,
        restriction=draw(TEXT.filter(bool) if scope is cap.Scope.RESTRICTED else _opt(TEXT)),
        addresses=tuple(
            draw(st.lists(TOKEN, min_size=1 if scope is cap.Scope.PRIVATE else 0, max_size=3))
        ),
        codes=tuple(draw(st.lists(TEXT, max_size=2))),
        note=draw(_opt(TEXT)),
        references=tuple(draw(st.lists(refs, min_size=1 if needs_refs else 0, max_size=3))),
        incidents=tuple(draw(st.lists(TOKEN, max_size=3))),
        infos=tuple(draw(st.lists(infos(), max_size=2))),
    )


@settings(
    max_examples=150, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
@given(alerts())
def test_any_model_the_builder_accepts_is_xsd_valid_and_parses_back_equal(
    a: cap.CapAlert,
) -> None:
    xml = cap.build_xml(a)  # these models keep CAP's rules: the builder must accept them
    cap.validate(xml)
    version, back = cap.parse_versioned(xml)
    assert version == "1.2"
    assert back == a
    assert cap.build_xml(back) == xml  # canonical: the same model writes the same bytes


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    alerts(),
    ID | st.text(max_size=12),
    st.text(max_size=12),
    st.sampled_from([None, "", "x y", "a,b"]),
    URI | st.text(max_size=20),
)
def test_the_builder_refuses_with_cap_error_or_writes_valid_cap(
    a: cap.CapAlert, identifier: str, event: str, restriction: str | None, web: str
) -> None:
    """Arbitrary text where CAP has rules: refused with a CapError, never invalid XML."""
    info = cap.CapInfo(
        categories=(cap.Category.OTHER,),
        event=event,
        urgency=cap.Urgency.UNKNOWN,
        severity=cap.Severity.UNKNOWN,
        certainty=cap.Certainty.UNKNOWN,
        web=web,
    )
    model = msgspec.structs.replace(
        a, identifier=identifier, restriction=restriction, infos=(*a.infos, info)
    )
    try:
        xml = cap.build_xml(model)
    except cap.CapError as exc:
        assert exc.element.startswith("alert")
        return
    cap.validate(xml)
    assert cap.parse(xml) == model


# -- hostile XML ---------------------------------------------------------------------------
@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(MARKER)
    return path


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A TCP port on loopback that records connection attempts without a thread: the
    kernel completes the handshake into the backlog, where accept() finds it later."""
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    srv.setblocking(False)
    try:
        yield srv
    finally:
        srv.close()


def connections(srv: socket.socket) -> int:
    n = 0
    while True:
        try:
            conn, _ = srv.accept()
        except BlockingIOError:
            return n
        conn.close()
        n += 1


def cap_with(body_note: str, doctype: str) -> bytes:
    """A valid CAP 1.2 alert with ``doctype`` and ``body_note`` in <note>."""
    xml = cap.build_xml(alert(note="PLACEHOLDER")).decode()
    xml = xml.replace("<note>PLACEHOLDER</note>", f"<note>{body_note}</note>")
    return xml.replace("?>\n", f"?>\n{doctype}\n", 1).encode()


def unhardened() -> etree.XMLParser:
    """What a naive reader would use: entities substituted, DTDs loaded."""
    return etree.XMLParser(resolve_entities=True, load_dtd=True, no_network=False)


def hardened_tree_text(xml: bytes) -> str:
    """The second wall on its own: the hardened parser, skipping the DOCTYPE scan."""
    try:
        return etree.tostring(etree.fromstring(xml, capxml._hardened_parser())).decode()
    except etree.XMLSyntaxError as exc:
        return f"refused: {exc}"


def test_external_entity_cannot_read_a_local_file(secret: Path) -> None:
    xml = cap_with("&xxe;", f'<!DOCTYPE alert [<!ENTITY xxe SYSTEM "file://{secret}">]>')
    # the attack is real: a naive parser puts the file into <note>
    assert MARKER in etree.tostring(etree.fromstring(xml, unhardened())).decode()
    err = refused(xml)
    assert err.element == "DOCTYPE" and "refused" in err.rule
    assert MARKER not in str(err)
    # and the parser behind the scan does not read it either
    assert MARKER not in hardened_tree_text(xml)


def test_external_entity_over_the_network_makes_no_connection(listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    xml = cap_with("&xxe;", f'<!DOCTYPE alert [<!ENTITY xxe SYSTEM "http://127.0.0.1:{port}/x">]>')
    assert refused(xml).element == "DOCTYPE"
    hardened_tree_text(xml)
    assert connections(listener) == 0


def test_billion_laughs_is_refused_before_any_expansion() -> None:
    levels = "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    )  # 10^9 "lol"s at l9
    xml = cap_with("&l9;", f'<!DOCTYPE alert [<!ENTITY l0 "lol">{levels}]>')
    err = refused(xml)
    assert err.element == "DOCTYPE"
    # the second wall substitutes nothing: no "lol" reaches the tree
    assert "lollol" not in hardened_tree_text(xml)
    # the attack is real at a size that is safe to show: a naive parser expands 10^3
    small = cap_with(
        "&l3;", '<!DOCTYPE alert [<!ENTITY l0 "lol">' + levels.split("<!ENTITY l4")[0] + "]>"
    )
    note = etree.fromstring(small, unhardened()).findtext(f"{{{cap.NS_12}}}note")
    assert note == "lol" * 1000
    assert refused(small).element == "DOCTYPE"
    assert "lollol" not in hardened_tree_text(small)


def test_an_external_dtd_is_never_loaded(tmp_path: Path, listener: socket.socket) -> None:
    dtd = tmp_path / "cap.dtd"
    dtd.write_text(f'<!ENTITY leak "{MARKER}">')
    xml = cap_with("&leak;", f'<!DOCTYPE alert SYSTEM "file://{dtd}">')
    assert MARKER in etree.tostring(etree.fromstring(xml, unhardened())).decode()
    err = refused(xml)
    assert err.element == "DOCTYPE" and MARKER not in str(err)
    assert MARKER not in hardened_tree_text(xml)
    port = listener.getsockname()[1]
    remote = cap_with("x", f'<!DOCTYPE alert SYSTEM "http://127.0.0.1:{port}/cap.dtd">')
    assert refused(remote).element == "DOCTYPE"
    hardened_tree_text(remote)
    assert connections(listener) == 0


def test_parameter_entities_are_never_expanded(tmp_path: Path, secret: Path) -> None:
    evil = tmp_path / "evil.dtd"
    evil.write_text(f'<!ENTITY % file SYSTEM "file://{secret}"><!ENTITY leak "%file;">')
    xml = cap_with(
        "&leak;", f'<!DOCTYPE alert [<!ENTITY % remote SYSTEM "file://{evil}"> %remote;]>'
    )
    assert MARKER in etree.tostring(etree.fromstring(xml, unhardened())).decode()
    err = refused(xml)
    assert err.element == "DOCTYPE" and MARKER not in str(err)
    assert MARKER not in hardened_tree_text(xml)


def test_the_scan_stops_at_the_doctype_before_its_subset_is_read() -> None:
    # A broken internal subset would be a syntax error if libxml2 read it; the refusal
    # comes first, so no declaration of a hostile message is ever processed.
    broken = cap_with("x", '<!DOCTYPE alert [ <!ENTITY a "b"> <!GARBAGE ]>')
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(broken, unhardened())
    err = refused(broken)
    assert err.element == "DOCTYPE"


def test_even_an_empty_doctype_is_refused() -> None:
    assert refused(cap_with("x", "<!DOCTYPE alert>")).element == "DOCTYPE"
    # in UTF-16 too: the scan reads the document, not its bytes
    xml = cap_with("x", "<!DOCTYPE alert>").decode().replace("UTF-8", "UTF-16").encode("utf-16")
    assert refused(xml).element == "DOCTYPE"


def test_xinclude_is_not_processed(secret: Path) -> None:
    xml = cap_with(
        f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file://{secret}" parse="text"/>',
        "",
    )
    err = refused(xml)
    assert err.element == "alert/note" and MARKER not in str(err)


def test_oversized_input_is_refused_by_its_size_before_parsing() -> None:
    xml = cap.build_xml(alert())
    cap.validate(xml, max_bytes=len(xml))
    err = refused(xml + b" " * 10, max_bytes=len(xml))
    assert err.element == "input" and f"limit of {len(xml)}" in err.rule
    # the limit applies before anything is read: a document that is not even XML
    assert refused(b"\x00" * (cap.MAX_BYTES + 1)).element == "input"
    assert "over the limit" in refused(b"\x00" * (cap.MAX_BYTES + 1)).rule


def test_deep_nesting_is_refused_cleanly() -> None:
    xml = b"<alert>" + b"<a>" * 100_000 + b"</a>" * 100_000 + b"</alert>"
    err = refused(xml, max_bytes=len(xml))
    assert err.element == "input"


@pytest.mark.parametrize(
    ("root", "words"),
    [
        ('<alert xmlns="urn:oasis:names:tc:emergency:cap:1.0">', "not a CAP alert"),
        ('<alert xmlns="http://www.incident.com/cap/1.0">', "not a CAP alert"),
        ("<alert>", "not a CAP alert"),
        ('<alarm xmlns="urn:oasis:names:tc:emergency:cap:1.2">', "not a CAP alert"),
    ],
)
def test_a_wrong_namespace_or_root_is_refused(root: str, words: str) -> None:
    xml = cap.build_xml(alert()).decode()
    xml = xml.replace('<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">', root)
    xml = xml.replace("</alert>", "</alarm>" if root.startswith("<alarm") else "</alert>")
    err = refused(xml.encode())
    assert words in err.rule and cap.NS_12 in err.rule
    assert err.line == 2


@pytest.mark.parametrize(
    ("name", "element"),
    [
        ("identifier", "alert/identifier"),
        ("sender", "alert/sender"),
        ("sent", "alert/sent"),
        ("status", "alert/status"),
        ("msgType", "alert/msgType"),
        ("scope", "alert/scope"),
        ("category", "alert/info[1]/category"),
        ("event", "alert/info[1]/event"),
        ("urgency", "alert/info[1]/urgency"),
        ("severity", "alert/info[1]/severity"),
        ("certainty", "alert/info[1]/certainty"),
        ("areaDesc", "alert/info[1]/area[1]/areaDesc"),
    ],
)
def test_cap_without_a_required_element_is_refused_naming_it(name: str, element: str) -> None:
    err = refused(without(cap.build_xml(alert()), name))
    assert err.element == element
    assert "required element is missing" in err.rule
    assert err.line is not None and err.line > 1


def test_a_missing_element_at_the_end_is_named_too() -> None:
    xml = b"""<?xml version="1.0"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>x</identifier><sender>s</sender><sent>2026-01-01T00:00:00+07:00</sent>
  <status>Actual</status><msgType>Alert</msgType>
</alert>"""
    err = refused(xml)
    assert (err.element, err.rule, err.line) == ("alert/scope", "required element is missing", 2)


@pytest.mark.parametrize(
    ("old", "new", "element", "words"),
    [
        (
            b"<category>Met</category>",
            b"<category>Weather</category>",
            "alert/info[1]/category[1]",
            "'Weather' is not one of Geo, Met",
        ),
        (b"+07:00</sent>", b"Z</sent>", "alert/sent", "not a CAP 1.2 time"),
        (b"14:05:00+07:00</sent>", b"14:05:00.5+07:00</sent>", "alert/sent", "no fractions"),
        (
            b"<status>Exercise</status>",
            b"<status>exercise</status>",
            "alert/status",
            "not one of Actual",
        ),
        (b"<status>Exercise</status>", b"<status> Exercise</status>", "alert/status", "not one of"),
        (b"16.05,108.22 1.5", b"16.05;108.22 1.5", "alert/info[1]/area[1]/circle[1]", "lat,lon"),
        (b"16.05,108.22 1.5", b"16.05,108.22", "alert/info[1]/area[1]/circle[1]", "radius"),
        (b"16.05,108.22 1.5", b"96.05,108.22 1.5", "alert/info[1]/area[1]/circle[1]", "latitude"),
        (b"<identifier>hai-chau-3f2a9c1e-1", b"<identifier>hai chau", "alert/identifier", "spaces"),
        (b"<scope>Public</scope>", b"<scope>Restricted</scope>", "alert/restriction", "Restricted"),
        (b"<msgType>Alert</msgType>", b"<msgType>Cancel</msgType>", "alert/references", "Cancel"),
        (
            b"<scope>Public</scope>",
            b"<scope>Public</scope><references>a,b</references>",
            "alert/references",
            "sender,identifier,sent",
        ),
        (
            b"<scope>Public</scope>",
            b"<scope>Public</scope><references>a,b,yesterday</references>",
            "alert/references",
            "cannot be read as a time",
        ),
        (
            b"<scope>Public</scope>",
            b'<scope>Public</scope><incidents>a "b c</incidents>',
            "alert/incidents",
            "unbalanced",
        ),
        (
            b"<areaDesc>",
            b"<polygon>1,1 2,2 1,1</polygon><areaDesc>",
            "alert/info[1]/area[1]/polygon[1]",
            "not allowed here (expected <areaDesc>)",
        ),
        (
            b"</areaDesc>",
            b"</areaDesc><polygon>1,1 2,2 3,1 1,1.5</polygon>",
            "alert/info[1]/area[1]/polygon[1]",
            "not closed",
        ),
        (
            b"</areaDesc>",
            b"</areaDesc><polygon>1,1 2,2 1,1</polygon>",
            "alert/info[1]/area[1]/polygon[1]",
            "at least 4",
        ),
        (
            b"</areaDesc>",
            b"</areaDesc><polygon>1,1 2,2 3,1 1e0,1</polygon>",
            "alert/info[1]/area[1]/polygon[1]",
            "decimal degrees",
        ),
        (b"<event>", b"<foo/><event>", "alert/info[1]/foo", "not allowed here (expected one of"),
    ],
)
def test_broken_rules_are_refused_naming_element_rule_and_line(
    old: bytes, new: bytes, element: str, words: str
) -> None:
    xml = cap.build_xml(alert())
    assert old in xml
    err = refused(xml.replace(old, new, 1))
    assert err.element == element
    assert words in err.rule
    assert err.line is not None
    assert str(err).startswith(f"line {err.line}: {element}: ")


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   ",
        b"\xff\xfe\x00g\x00a\x00r\x00b\x00a\x00g\x00e",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"<alert>Hoa Xu\xe2n</alert>",  # "â" in Windows-1258, no encoding declared
        b"<alert",
        b"<alert></alarm>",
        b'<?xml version="1.0" encoding="no-such-encoding"?><alert/>',
    ],
)
def test_garbage_and_non_utf8_bytes_are_refused(data: bytes) -> None:
    err = refused(data)
    assert err.element == "input"
    assert "XML" in err.rule


def test_a_declared_legacy_encoding_is_read_as_declared() -> None:
    xml = cap.build_xml(alert()).decode()
    latin = xml.replace("encoding='UTF-8'", "encoding='ISO-8859-1'")
    latin = latin.replace("Ngập lụt", "Crue").replace("Phường Hòa Cường Bắc", "Rivière")
    expected = with_info(
        event="Crue",
        areas=(cap.CapArea(area_desc="Rivière", circles=(cap.CapCircle(16.05, 108.22, 1.5),)),),
    )
    assert cap.parse(latin.encode("iso-8859-1")) == expected


def test_a_str_is_not_accepted_for_bytes() -> None:
    with pytest.raises(TypeError):
        cap.parse(cap.build_xml(alert()).decode())  # type: ignore[arg-type]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mangled_cap_is_either_a_valid_alert_or_a_cap_error(data: st.DataObject) -> None:
    xml = bytearray(cap.build_xml(alert(note="n", incidents=("a", "b c"))))
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(xml) - 1))
        span = data.draw(st.integers(0, 8))
        xml[at : at + span] = data.draw(st.binary(max_size=8))
    try:
        back = cap.parse(bytes(xml))
    except cap.CapError as exc:
        assert exc.element
        return
    assert isinstance(back, cap.CapAlert)
    cap.validate(bytes(xml))  # what parses also validates


# -- helpers -------------------------------------------------------------------------------
def test_identifiers_are_console_log_and_sequence() -> None:
    log_id = "3f2a9c1e-5b7d-4e0a-9c1e-3f2a9c1e5b7d"
    ident = cap.make_identifier("hai-chau", log_id, 17)
    assert ident == "hai-chau-3f2a9c1e-17"
    assert cap.split_identifier(ident) == ("hai-chau", "3f2a9c1e", 17)
    # a recreated log (new stream id) never repeats an identifier
    assert cap.make_identifier("hai-chau", "0b7d3f2a-9c1e-4e0a-9c1e-3f2a9c1e5b7d", 17) != ident
    cap.validate(cap.build_xml(alert(identifier=ident)))
    with pytest.raises(ValueError, match="console id"):
        cap.make_identifier("Hải Châu", log_id, 1)
    with pytest.raises(ValueError, match="seq"):
        cap.make_identifier("hai-chau", log_id, 0)
    with pytest.raises(ValueError):
        cap.make_identifier("hai-chau", "not-a-uuid", 1)


def test_references_name_earlier_alerts_as_triples() -> None:
    first = alert()
    second = alert(identifier="hai-chau-3f2a9c1e-2", sent=first.sent + timedelta(minutes=9))
    refs = (cap.reference_to(first), cap.reference_to(second))
    assert cap.format_references(refs) == (
        "hai-chau,hai-chau-3f2a9c1e-1,2026-11-27T14:05:00+07:00 "
        "hai-chau,hai-chau-3f2a9c1e-2,2026-11-27T14:14:00+07:00"
    )
    cancel = alert(identifier="hai-chau-3f2a9c1e-3", msg_type=cap.MsgType.CANCEL, references=refs)
    assert cap.parse(cap.build_xml(cancel)).references == refs


FEEDS = [
    (16.0678, 108.2245),
    (16.0544, 108.2260),
    (16.0610, 108.2150),
    (16.0402, 108.2101),
    (16.0170, 108.1990),
]


def test_the_covering_circle_reaches_every_feed_plus_the_margin() -> None:
    c = cap.circle_covering(FEEDS, margin_km=0.5)
    centre = (c.lat, c.lon)
    farthest = max(cap.distance_km(centre, p) for p in FEEDS)
    assert farthest + 0.5 <= c.radius_km < farthest + 0.5 + 0.001
    assert round(c.lat, 6) == c.lat
    one = cap.circle_covering([(16.05, 108.22)], margin_km=0.3)
    assert (one.lat, one.lon, one.radius_km) == (16.05, 108.22, 0.3)


def _inside(poly: cap.CapPolygon, p: tuple[float, float]) -> bool:
    """Ray casting in (lon, lat)."""
    inside = False
    pts = poly.points
    for (y1, x1), (y2, x2) in itertools.pairwise(pts):
        if (y1 > p[0]) != (y2 > p[0]) and p[1] < x1 + (p[0] - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def test_the_hull_polygon_is_closed_and_holds_every_feed_with_a_margin() -> None:
    poly = cap.hull_polygon(FEEDS, margin_km=0.2)
    assert len(poly.points) >= 4 and poly.points[0] == poly.points[-1]
    assert all(_inside(poly, p) for p in FEEDS)
    # every corner lies about 0.2 km beyond the feed it was made from
    corner_gaps = [min(cap.distance_km(c, f) for f in FEEDS) for c in poly.points[:-1]]
    assert all(0.19 < gap < 0.21 for gap in corner_gaps), corner_gaps
    cap.validate(cap.build_xml(with_info(areas=(cap.CapArea(area_desc="x", polygons=(poly,)),))))


def test_feeds_on_a_line_get_a_circle_instead_of_a_polygon() -> None:
    line = [(16.0, 108.0), (16.01, 108.01), (16.02, 108.02)]
    with pytest.raises(ValueError, match="not on one line"):
        cap.hull_polygon(line)
    assert isinstance(cap.covering_shape(line), cap.CapCircle)
    assert isinstance(cap.covering_shape(FEEDS), cap.CapPolygon)
    with pytest.raises(ValueError, match="no feed"):
        cap.circle_covering([])
    with pytest.raises(ValueError, match="WGS 84"):
        cap.circle_covering([(95.0, 0.0)])


@given(st.lists(st.tuples(st.floats(15.9, 16.2), st.floats(108.0, 108.4)), min_size=1, max_size=30))
def test_any_feed_positions_give_a_valid_cap_area(points: list[tuple[float, float]]) -> None:
    shape = cap.covering_shape(points, margin_km=0.1)
    area = (
        cap.CapArea(area_desc="x", polygons=(shape,))
        if isinstance(shape, cap.CapPolygon)
        else cap.CapArea(area_desc="x", circles=(shape,))
    )
    cap.validate(cap.build_xml(with_info(areas=(area,))))
    if isinstance(shape, cap.CapPolygon):
        assert all(_inside(shape, p) for p in points)
    else:
        assert all(cap.distance_km((shape.lat, shape.lon), p) <= shape.radius_km for p in points)


# -- the schemas shipped -------------------------------------------------------------------
def test_the_official_schemas_are_shipped_with_their_headers() -> None:
    from importlib import resources

    xsd12 = resources.files("resources").joinpath("cap", "CAP-v1.2.xsd").read_text()
    xsd11 = resources.files("resources").joinpath("cap", "CAP-v1.1.xsd").read_text()
    assert "<!-- Copyright OASIS Open 2010 All Rights Reserved -->" in xsd12
    assert 'targetNamespace="urn:oasis:names:tc:emergency:cap:1.2"' in xsd12
    assert 'targetNamespace="urn:oasis:names:tc:emergency:cap:1.1"' in xsd11


# -- the command line ----------------------------------------------------------------------
def test_cli_validate_says_valid_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cap", "validate", str(TYPHOON)]) == 0
    assert "valid CAP 1.2" in capsys.readouterr().out
    assert main(["cap", "validate", str(FLOOD_11)]) == 0
    assert "valid CAP 1.1" in capsys.readouterr().out


def test_cli_validate_refuses_with_one_line_and_exit_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], secret: Path
) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_bytes(cap.build_xml(alert()).replace(b"<category>Met", b"<category>Weather"))
    assert main(["cap", "validate", str(bad)]) == 3
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert "alert/info[1]/category[1]" in err and "'Weather' is not one of" in err
    xxe = tmp_path / "xxe.xml"
    xxe.write_bytes(cap_with("&x;", f'<!DOCTYPE alert [<!ENTITY x SYSTEM "file://{secret}">]>'))
    assert main(["cap", "validate", str(xxe)]) == 3
    out = capsys.readouterr()
    assert "DOCTYPE" in out.err and MARKER not in out.err + out.out
    big = tmp_path / "big.xml"
    big.write_bytes(cap.build_xml(alert()))
    assert main(["cap", "validate", "--max-bytes", "100", str(big)]) == 3
    assert "over the limit of 100" in capsys.readouterr().err


def test_cli_a_bad_byte_limit_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["cap", "validate", "--max-bytes", "0", str(TYPHOON)])
    assert exc.value.code == 2
    assert "must be at least 1" in capsys.readouterr().err


def test_cli_an_unreadable_file_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["cap", "validate", str(tmp_path / "nothing.xml")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_cli_show_puts_vietnamese_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = cap.parse(TYPHOON.read_bytes())
    swapped = tmp_path / "en-first.xml"
    swapped.write_bytes(cap.build_xml(msgspec.structs.replace(a, infos=a.infos[::-1])))
    assert main(["cap", "show", str(swapped)]) == 0
    out = capsys.readouterr().out
    assert out.index("[vi-VN] Bão số 13") < out.index("[en-US] Typhoon No. 13")
    assert "sent 2026-11-27T10:30:00+07:00" in out
    assert "polygon of 4 corners" in out and "circle 15.2,111.8 radius 250.0 km" in out


def test_cli_show_json_is_the_parsed_alert(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cap", "show", "--json", str(TYPHOON)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["cap_version"] == "1.2"
    assert msgspec.convert(out["alert"], cap.CapAlert) == cap.parse(TYPHOON.read_bytes())


# -- the benchmark -------------------------------------------------------------------------
def test_the_bench_alert_is_a_valid_escalation_and_the_bench_reports_its_keys() -> None:
    a = escalation_alert()
    assert [i.language for i in a.infos] == ["vi-VN", "en-US"]
    assert cap.parse(cap.build_xml(a)) == a
    out = run_cap_bench(n=5)
    assert out["n"] == 5 and out["bytes"] > 2000
    for key in ("build", "validate", "build_and_validate"):
        assert set(out[key]) == {"median_us", "p99_us"}
        assert 0 < out[key]["median_us"] <= out[key]["p99_us"]
