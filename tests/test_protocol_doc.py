"""docs/PROTOCOL.md's worked example is real: its bytes decode to what the page says."""

from __future__ import annotations

from pathlib import Path

from transport.feedproto import Decoded, FrameLimits, decode_frame

DOC = Path(__file__).resolve().parent.parent / "docs" / "PROTOCOL.md"


def test_hex_example_decodes_to_the_documented_readings() -> None:
    text = DOC.read_text(encoding="utf-8")
    hex_block = text.split("The exact bytes, in hex")[1].split("```")[1]
    payload = bytes.fromhex(" ".join(hex_block.split()))
    out = Decoded()
    decode_frame(payload, FrameLimits(), 1795768071960, out)
    assert out.rejects == {}
    assert out.readings == [
        ("hc-river-03", 1795768071944, 0.62, 0),
        ("hc-rain-01", 1795768071950, 12.5, 0),
    ]


def test_every_reject_reason_is_documented() -> None:
    from console.district.domain.rejects import ALL_REASONS

    text = DOC.read_text(encoding="utf-8")
    for reason in ALL_REASONS:
        assert f"`{reason}`" in text, reason


def test_every_payload_field_and_record_error_is_documented() -> None:
    import msgspec

    from console.shared import records

    text = DOC.read_text(encoding="utf-8")
    payloads = text.split("### 2.6 Payloads")[1].split("### 2.7")[0]
    for (stream, kind), cls in records.RECORD_TYPES.items():
        assert f'`{stream}` stream, `kind = "{kind}"`' in payloads, (stream, kind)
        for f in msgspec.structs.fields(cls):
            assert f"`{f.encode_name}`" in payloads, (cls.__name__, f.encode_name)
            if isinstance(f.type, type) and issubclass(f.type, msgspec.Struct):
                for sub in msgspec.structs.fields(f.type):
                    assert f"`{sub.encode_name}`" in payloads, (f.type.__name__, sub.encode_name)
    for code in records.ERROR_CODES:
        assert f"`{code}`" in payloads, code


def test_every_uplink_error_code_is_in_the_table_with_its_fatal_flag() -> None:
    from transport import uplinkproto as up

    text = DOC.read_text(encoding="utf-8")
    table = text.split("### 2.7")[1].split("### 2.8")[0]
    for code in up.ERROR_CODES:
        row = next(line for line in table.splitlines() if line.startswith(f"| `{code}` |"))
        fatal = row.split("|")[2].strip()
        assert fatal == ("yes" if code in up.FATAL_CODES else "no"), (code, fatal)


def test_every_quarantine_reason_is_documented() -> None:
    from console.hub.store.store import PAYLOAD_REASONS, QUARANTINE_REASONS

    text = DOC.read_text(encoding="utf-8")
    payloads = text.split("### 2.6 Payloads")[1].split("### 2.7")[0]
    for reason in QUARANTINE_REASONS:
        row = next(line for line in payloads.splitlines() if line.startswith(f"| `{reason}` |"))
        counted = row.rstrip(" |").rsplit("|", 1)[1].strip()
        assert counted == ("yes" if reason in PAYLOAD_REASONS else "no"), reason


def test_the_status_fields_are_documented() -> None:
    import dataclasses

    from console.district.services.app import IngestStats

    text = DOC.read_text(encoding="utf-8")
    section = text.split("### 1.10")[1].split("## Part 2")[0]
    for f in dataclasses.fields(IngestStats):
        assert f"`{f.name}`" in section, f.name
