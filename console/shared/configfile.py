"""Configuration files: TOML declared as msgspec Structs, errors a person can act on.

Each file (site file, hub file, key registry) declares its tables as
:class:`Table` subclasses: unknown keys are refused, bounds are ``Annotated``
``Meta`` constraints. :meth:`ConfigFile.convert` validates the parsed TOML and
turns msgspec's ``ValidationError`` ("Expected `float` <= 90.0 - at
`$.feeds[1].lat`") into one line for people::

    site.toml: feeds[1] (rain-1).lat: 116.07 is above the maximum 90 (line 31)

Key paths are written as the TOML reads: a table in an array is named by its
index and, when it has one, its ``id``. The line is found in the source text
(best effort: the key's own line, else the nearest enclosing table or inline
table). A file's semantic pass (what a schema cannot say) raises through
:meth:`ConfigFile.error`, so its messages look the same.

Two ``Meta(extra=...)`` keys refine the wording: ``FIX`` ("use 1-64 characters
from a-z 0-9 - _ .") follows the bad value; ``EXPECTED`` ("[lat, lon]")
replaces the generic description of the expected shape.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, TypeVar

import msgspec
from msgspec import inspect as mi

from console.shared.errors import ConfigError

T = TypeVar("T")

KeyPath = tuple[str | int, ...]
"""Where a value is in the file: table keys and array indices, e.g. ("feeds", 1, "lat")."""

FIX = "fix"
EXPECTED = "expected"


class Table(msgspec.Struct, forbid_unknown_fields=True):
    """Base of every configuration table: unknown keys are errors (a typo must not
    silently fall back to a default). A subclass that declares required keys after
    optional ones (its own or its base's) says ``kw_only=True``."""


@dataclass(frozen=True)
class ConfigFile:
    """One parsed TOML file and what is needed to explain an error in it."""

    path: Path
    text: str
    data: dict[str, Any]

    @classmethod
    def read(cls, path: str | Path, what: str) -> ConfigFile:
        """Read and parse ``path``; ``what`` ("site file") names it in a read error."""
        p = Path(path)
        try:
            raw = p.read_bytes()
        except OSError as exc:
            raise ConfigError(f"{p}: cannot read {what}: {exc.strerror or exc}") from exc
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ConfigError(f"{p}: not UTF-8 text (byte {exc.start})") from exc
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{p}: TOML syntax error: {exc}") from exc
        return cls(p, text, data)

    def convert(self, type_: type[T], at: KeyPath = ()) -> T:
        """The value at ``at`` (default: the whole file) as ``type_``, or a ConfigError."""
        value = self.value(at)
        bad = _first_non_finite(value, at)
        if bad is not None:
            raise self.error(bad, f"expected a finite number, got {_show(self.value(bad))}")
        try:
            return msgspec.convert(value, type_)
        except msgspec.ValidationError as exc:
            where, problem = _explain(str(exc), value, mi.type_info(type_))
            raise self.error(at + where, problem) from exc

    def value(self, at: KeyPath) -> Any:
        """The parsed value at ``at`` (None where there is none)."""
        node: Any = self.data
        for seg in at:
            node = _child(node, seg)
        return node

    def error(self, at: KeyPath, problem: str) -> ConfigError:
        """The error for the key at ``at``: "<file>: <key path>: <problem> (line N)"."""
        line = locate(self.text, at)
        suffix = f" (line {line})" if line is not None else ""
        return ConfigError(f"{self.path}: {self.where(at)}: {problem}{suffix}")

    def where(self, at: KeyPath) -> str:
        """``at`` as people read it: ``feeds[1] (rain-1).alarms.high``."""
        out = ""
        node: Any = self.data
        for i, seg in enumerate(at):
            node = _child(node, seg)
            if isinstance(seg, int):
                out += f"[{seg}]"
                ident = node.get("id") if isinstance(node, dict) else None
                if isinstance(ident, str) and ident and at[i + 1 : i + 2] != ("id",):
                    out += f" ({ident})"
            else:
                out += ("." if out else "") + _key(seg)
        return out or "(file)"


def _child(node: Any, seg: str | int) -> Any:
    if isinstance(seg, int):
        return node[seg] if isinstance(node, list) and 0 <= seg < len(node) else None
    return node.get(seg) if isinstance(node, dict) else None


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def _first_non_finite(value: Any, at: KeyPath) -> KeyPath | None:
    """TOML allows ``nan`` and ``inf``; no setting of ours means either."""
    if isinstance(value, float) and not math.isfinite(value):
        return at
    items: Any = ()
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    for k, v in items:
        bad = _first_non_finite(v, (*at, k))
        if bad is not None:
            return bad
    return None


# --- msgspec's error text → key path and problem -------------------------------------------

_AT = re.compile(r"^(?P<msg>.*?) - at `(?P<path>\$[^`]*)`$", re.S)
_SEG = re.compile(r"\.([^.\[]+)|\[(\d+|\.\.\.)\]")
_UNKNOWN = re.compile(r"^Object contains unknown field `(?P<key>.*)`$", re.S)
_MISSING = re.compile(r"^Object missing required field `(?P<key>.*)`$", re.S)


def _explain(message: str, value: Any, info: mi.Type) -> tuple[KeyPath, str]:
    """Key path (relative to ``value``) and a problem statement for one msgspec error."""
    m = _AT.match(message)
    msg, raw_path = (m["msg"], m["path"]) if m else (message, "$")
    at: KeyPath = ()
    node = value
    for sm in _SEG.finditer(raw_path):
        name, index = sm.group(1), sm.group(2)
        if name is not None:
            seg: str | int = name
        elif index != "...":
            seg = int(index)
        else:
            # msgspec does not say which key of a dict failed: find it by checking each.
            found = _failing_entry(node, info)
            if found is None:
                break
            return (*at, *found[0]), found[1]
        info = _descend(info, seg, node)
        node = _child(node, seg)
        at = (*at, seg)
    table = _struct(info, node)
    if (um := _UNKNOWN.match(msg)) and table is not None:
        allowed = sorted(f.encode_name for f in table.fields)
        return (*at, um["key"]), f"unknown key (allowed: {', '.join(allowed)})"
    if (mm := _MISSING.match(msg)) and table is not None:
        fields = {f.encode_name: f.type for f in table.fields}
        wanted = fields.get(mm["key"])
        noun = _noun(wanted) if wanted is not None else "a value"
        return (*at, mm["key"]), f"missing ({noun} is required)"
    return at, _problem(node, info) or msg[:1].lower() + msg[1:]


def _failing_entry(node: Any, info: mi.Type) -> tuple[KeyPath, str] | None:
    """Key path (relative to the dict) and problem of the first entry that fails."""
    base, _ = _unwrap(_members(info, node))
    if not isinstance(node, dict) or not isinstance(base, mi.DictType):
        return None
    value_type, _ = _unwrap(base.value_type)
    for key, v in node.items():
        if isinstance(value_type, mi.StructType):
            try:
                msgspec.convert(v, value_type.cls)
            except msgspec.ValidationError as exc:
                sub_at, sub_problem = _explain(str(exc), v, base.value_type)
                return (key, *sub_at), sub_problem
        elif (problem := _problem(v, base.value_type)) is not None:
            return (key,), problem
    return None


def _unwrap(info: mi.Type) -> tuple[mi.Type, dict[str, Any]]:
    extra: dict[str, Any] = {}
    while isinstance(info, mi.Metadata):
        extra |= info.extra or {}
        info = info.type
    return info, extra


def _members(info: mi.Type, value: Any) -> mi.Type:
    """The member of a union that ``value``'s shape selects (itself if not a union).

    TOML has no null, so an optional key (``X | None``) is simply ``X``."""
    base, _ = _unwrap(info)
    if not isinstance(base, mi.UnionType):
        return info
    members = [t for t in base.types if not isinstance(t, mi.NoneType)]
    fits = [t for t in members if _fits(value, t)]
    if len(fits) == 1:
        return fits[0]
    return members[0] if len(members) == 1 else info


def _descend(info: mi.Type, seg: str | int, node: Any) -> mi.Type:
    base, _ = _unwrap(_members(info, node))
    if isinstance(base, mi.StructType) and isinstance(seg, str):
        return next((f.type for f in base.fields if f.encode_name == seg), mi.AnyType())
    if isinstance(base, mi.DictType):
        return base.value_type
    if isinstance(base, mi.ListType):
        return base.item_type
    if isinstance(base, mi.TupleType) and isinstance(seg, int) and seg < len(base.item_types):
        return base.item_types[seg]
    return mi.AnyType()


def _struct(info: mi.Type, node: Any) -> mi.StructType | None:
    base, _ = _unwrap(_members(info, node))
    return base if isinstance(base, mi.StructType) else None


def _fits(value: Any, info: mi.Type) -> bool:
    """Whether ``value`` has the shape ``info`` asks for (constraints aside)."""
    base, _ = _unwrap(info)
    if isinstance(base, mi.FloatType):
        return isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(base, mi.IntType):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(base, mi.BoolType):
        return isinstance(value, bool)
    if isinstance(base, mi.StrType):
        return isinstance(value, str)
    if isinstance(base, mi.LiteralType):
        return value in base.values
    if isinstance(base, mi.ListType | mi.TupleType):
        return isinstance(value, list)
    if isinstance(base, mi.StructType | mi.DictType):
        return isinstance(value, dict)
    if isinstance(base, mi.NoneType):
        return value is None
    if isinstance(base, mi.UnionType):
        return any(_fits(value, t) for t in base.types)
    return True


def _problem(value: Any, info: mi.Type) -> str | None:
    """What is wrong with ``value`` as ``info`` in words, or None if nothing is."""
    info = _members(info, value)
    base, extra = _unwrap(info)
    if not _fits(value, base):
        expected = extra.get(EXPECTED) or _noun(base, for_mismatch=True)
        allowed = _range(base)
        return f"expected {expected}, got {_show(value)}" + (
            f" (allowed: {allowed})" if allowed else ""
        )
    if isinstance(base, mi.UnionType):
        return None  # fits more than one member: nothing more specific to say
    wrong = _violation(value, base, extra)
    if wrong is None:
        return None
    return f"{_show(value)}: {extra[FIX]}" if FIX in extra else wrong


def _violation(value: Any, base: mi.Type, extra: Mapping[str, Any]) -> str | None:
    if isinstance(base, mi.FloatType | mi.IntType):
        if base.ge is not None and value < base.ge:
            return f"{value} is below the minimum {base.ge}"
        if base.gt is not None and value <= base.gt:
            return f"{value} must be above {base.gt}"
        if base.le is not None and value > base.le:
            return f"{value} is above the maximum {base.le}"
        if base.lt is not None and value >= base.lt:
            return f"{value} must be below {base.lt}"
    if isinstance(base, mi.StrType):
        if base.min_length and len(value) < base.min_length:
            return "must not be empty" if base.min_length == 1 else f"{value!r} is too short"
        if base.max_length is not None and len(value) > base.max_length:
            return f"{value!r} is longer than {base.max_length} characters"
        if base.pattern is not None and not re.search(base.pattern, value):
            return f"{value!r} does not match {base.pattern}"
    if isinstance(base, mi.ListType):
        n = len(value)
        if (base.min_length is not None and n < base.min_length) or (
            base.max_length is not None and n > base.max_length
        ):
            return f"expected {extra.get(EXPECTED) or _noun(base)}, got an array of {n}"
    if isinstance(base, mi.TupleType) and len(value) != len(base.item_types):
        return f"expected {extra.get(EXPECTED) or _noun(base)}, got an array of {len(value)}"
    return None


def _noun(info: mi.Type, for_mismatch: bool = False) -> str:
    """What ``info`` asks for, as a phrase: "a number", "up to 3 numbers", "a table"."""
    base, extra = _unwrap(info)
    if EXPECTED in extra:
        return str(extra[EXPECTED])
    if isinstance(base, mi.FloatType):
        return "a finite number" if for_mismatch else "a number"
    if isinstance(base, mi.IntType):
        return "a whole number"
    if isinstance(base, mi.BoolType):
        return "true or false"
    if isinstance(base, mi.StrType):
        return "a non-empty string" if base.min_length else "a string"
    if isinstance(base, mi.LiteralType):
        return " or ".join(json.dumps(v, ensure_ascii=False) for v in base.values)
    if isinstance(base, mi.StructType | mi.DictType):
        return "a table"
    if isinstance(base, mi.TupleType):
        return f"[{', '.join(_noun(t) for t in base.item_types)}]"
    if isinstance(base, mi.ListType):
        items = _plural(base.item_type)
        lo, hi = base.min_length or 0, base.max_length
        if hi is None:
            return f"at least {lo} {items}" if lo else f"a list of {items}"
        return f"up to {hi} {items}" if not lo else f"{lo}-{hi} {items}"
    if isinstance(base, mi.UnionType):
        return " or ".join(_noun(t) for t in base.types if not isinstance(t, mi.NoneType))
    return "a value"


def _plural(info: mi.Type) -> str:
    noun = _noun(info)
    for article in ("a ", "an "):
        if noun.startswith(article):
            return noun[len(article) :] + "s"
    return f"values ({noun})"


def _range(info: mi.Type) -> str:
    if not isinstance(info, mi.FloatType | mi.IntType):
        return ""
    lo = info.ge if info.ge is not None else info.gt
    hi = info.le if info.le is not None else info.lt
    if lo is not None and hi is not None:
        return f"{lo} .. {hi}"
    if lo is not None:
        return f"{'>=' if info.ge is not None else '>'} {lo}"
    if hi is not None:
        return f"{'<=' if info.le is not None else '<'} {hi}"
    return ""


def _show(value: Any) -> str:
    """A parsed TOML value as the file spells it (short for arrays and tables)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, datetime | date | time):
        return f"the date/time {value.isoformat()}"
    return repr(value)


# --- key path → line in the source text (best effort) ----------------------------------------

_BARE = r"[A-Za-z0-9_-]+"
_ONE_KEY = rf"""(?:{_BARE}|"(?:[^"\\]|\\.)*"|'[^']*')"""
_DOTTED = rf"{_ONE_KEY}(?:\s*\.\s*{_ONE_KEY})*"
_HEADER = re.compile(rf"^\s*(\[\[|\[)\s*({_DOTTED})\s*\]")
_ASSIGN = re.compile(rf"^\s*({_DOTTED})\s*=")


def locate(text: str, at: KeyPath) -> int | None:
    """The line (1-based) that defines ``at``, else its nearest enclosing table; None if none."""
    best: tuple[int, int] | None = None  # (depth, line)
    for path, line in _lines(text):
        if path == at[: len(path)] and (best is None or len(path) > best[0]):
            best = (len(path), line)
    return best[1] if best is not None else None


def _lines(text: str) -> Iterator[tuple[KeyPath, int]]:
    """Every table header and key line with the full key path it defines."""
    arrays: dict[KeyPath, int] = {}  # array-of-tables path -> its last index
    table: KeyPath = ()
    closing = ""  # the quotes that end a multi-line string we are inside

    def resolve(keys: list[str]) -> KeyPath:
        out: KeyPath = ()
        for k in keys:
            out = (*out, k)
            if out in arrays:
                out = (*out, arrays[out])
        return out

    for n, line in enumerate(text.splitlines(), 1):
        if closing:
            if closing in line:
                closing = ""
            continue
        if h := _HEADER.match(line):
            keys = _split(h[2])
            if h[1] == "[[":
                parent = (*resolve(keys[:-1]), keys[-1])
                arrays[parent] = arrays.get(parent, -1) + 1
                table = (*parent, arrays[parent])
            else:
                table = resolve(keys)
            yield table, n
        elif a := _ASSIGN.match(line):
            yield (*table, *_split(a[1])), n
            rest = line[a.end() :]
            for quotes in ('"""', "'''"):
                if rest.count(quotes) % 2 == 1:
                    closing = quotes


def _split(dotted: str) -> list[str]:
    keys = []
    for token in re.findall(_ONE_KEY, dotted):
        if token.startswith('"'):
            keys.append(json.loads(token))
        elif token.startswith("'"):
            keys.append(token[1:-1])
        else:
            keys.append(token)
    return keys
