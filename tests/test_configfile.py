"""The configuration-file mechanism: msgspec's errors become one line a person can act on."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import msgspec
import pytest
from msgspec import Meta

from console.shared.configfile import EXPECTED, FIX, ConfigFile, Table, locate
from console.shared.errors import ConfigError


class Point(Table, kw_only=True):
    id: str = ""
    x: Annotated[float, Meta(gt=0, lt=10)]
    tags: Annotated[list[str], Meta(max_length=2)] = msgspec.field(default_factory=list)


class Settings(Table):
    name: Annotated[str, Meta(min_length=1)]
    code: Annotated[str, Meta(pattern="^[A-Z]{3}$", extra={FIX: "use three capitals"})] = "ABC"
    pair: Annotated[tuple[int, int], Meta(extra={EXPECTED: "[from, to]"})] = (0, 1)
    on: bool = True


class Doc(Table):
    settings: Settings
    points: list[Point] = msgspec.field(default_factory=list)
    groups: dict[str, Point] = msgspec.field(default_factory=dict)
    weights: dict[str, Annotated[int, Meta(ge=0)]] = msgspec.field(default_factory=dict)


GOOD = """\
[settings]
name = "demo"

[[points]]
id = "p1"
x = 1.5

[[points]]
x = 2

[groups.north]
x = 3.0

[weights]
a = 1
"""


def error(tmp_path: Path, text: str) -> str:
    p = tmp_path / "f.toml"
    p.write_text(text, "utf-8")
    with pytest.raises(ConfigError) as err:
        ConfigFile.read(p, "test file").convert(Doc)
    msg = str(err.value)
    assert msg.startswith(f"{p}: ") and "\n" not in msg
    return msg[len(f"{p}: ") :]


def test_a_good_file_converts(tmp_path: Path) -> None:
    p = tmp_path / "f.toml"
    p.write_text(GOOD, "utf-8")
    doc = ConfigFile.read(p, "test file").convert(Doc)
    assert doc.points[1].x == 2.0 and doc.groups["north"].x == 3.0 and doc.weights == {"a": 1}


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('name = "demo"', 'name = ""', "settings.name: must not be empty (line 2)"),
        ('name = "demo"', "name = 5", "settings.name: expected a non-empty string, got 5 (line 2)"),
        (
            'name = "demo"',
            'name = "d"\ncode = "ab"',
            "settings.code: 'ab': use three capitals (line 3)",
        ),
        (
            'name = "demo"',
            'name = "d"\npair = [1]',
            "settings.pair: expected [from, to], got an array of 1 (line 3)",
        ),
        (
            'name = "demo"',
            'name = "d"\non = 1',
            "settings.on: expected true or false, got 1 (line 3)",
        ),
        (
            'name = "demo"',
            'name = "d"\nnme = "x"',
            "settings.nme: unknown key (allowed: code, name, on, pair) (line 3)",
        ),
        ('name = "demo"', "", "settings.name: missing (a non-empty string is required) (line 1)"),
        # A table in an array is named by index, and by id when it has one.
        ("x = 1.5", "x = 10", "points[0] (p1).x: 10 must be below 10 (line 6)"),
        ("x = 2\n", "x = 0\n", "points[1].x: 0 must be above 0 (line 9)"),
        (
            "x = 2\n",
            'x = 2\ntags = ["a", 3]\n',
            "points[1].tags[1]: expected a string, got 3 (line 10)",
        ),
        (
            "x = 2\n",
            'x = 2\ntags = ["a", "b", "c"]\n',
            "points[1].tags: expected up to 2 strings, got an array of 3 (line 10)",
        ),
        (
            'id = "p1"',
            'id = "p1"\ny = 1',
            "points[0] (p1).y: unknown key (allowed: id, tags, x) (line 6)",
        ),
        # msgspec says only "$.groups[...]": the failing key is found.
        ("x = 3.0", "x = -3.0", "groups.north.x: -3.0 must be above 0 (line 12)"),
        (
            "x = 3.0",
            "x = 3.0\nz = 1",
            "groups.north.z: unknown key (allowed: id, tags, x) (line 13)",
        ),
        ("a = 1", "a = 1\nb = -1", "weights.b: -1 is below the minimum 0 (line 16)"),
        (
            "a = 1",
            "a = 1\n'b c' = true",
            'weights."b c": expected a whole number, got true (allowed: >= 0) (line 16)',
        ),
        (
            "[weights]",
            "[weights]\nz = inf",
            "weights.z: expected a finite number, got inf (line 15)",
        ),
    ],
)
def test_errors_name_key_path_problem_and_line(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    assert old in GOOD
    msg = error(tmp_path, GOOD.replace(old, new, 1))
    assert msg == expected


def test_read_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"nope.toml: cannot read test file: No such file"):
        ConfigFile.read(tmp_path / "nope.toml", "test file")
    p = tmp_path / "latin1.toml"
    p.write_bytes(b'name = "Tr\xe1m"\n')
    with pytest.raises(ConfigError, match=r"latin1.toml: not UTF-8 text \(byte 10\)"):
        ConfigFile.read(p, "test file")
    p.write_text('[settings]\nname = "demo\n', "utf-8")
    with pytest.raises(ConfigError, match=r"TOML syntax error: .*\(at line 2, column 13\)"):
        ConfigFile.read(p, "test file")


def test_semantic_errors_read_like_schema_errors(tmp_path: Path) -> None:
    p = tmp_path / "f.toml"
    p.write_text(GOOD, "utf-8")
    f = ConfigFile.read(p, "test file")
    assert str(f.error(("points", 0, "id"), "taken")) == f"{p}: points[0].id: taken (line 5)"
    assert str(f.error(("points", 0), "odd")) == f"{p}: points[0] (p1): odd (line 4)"
    assert str(f.error(("nowhere",), "gone")) == f"{p}: nowhere: gone"


def test_locate_follows_tables_arrays_and_strings() -> None:
    text = """\
top = 1
[a]
b.c = 2                      # a dotted key
"quoted.key" = 3
s = '''
[not_a_table]
x = 1
'''
arr = [
  1,
  2,
]
[[a.items]]
v = 1
[[a.items]]
v = 2
[a.items.sub]
w = 3
[[a.items.sub.deep]]
z = 4
"""
    assert locate(text, ("top",)) == 1
    assert locate(text, ("a", "b", "c")) == 3
    assert locate(text, ("a", "b")) == 2  # no line of its own: the enclosing table
    assert locate(text, ("a", "quoted.key")) == 4
    assert locate(text, ("not_a_table",)) is None  # inside a multi-line string
    assert locate(text, ("a", "x")) == 2
    assert locate(text, ("a", "arr", 1)) == 9
    assert locate(text, ("a", "items", 0, "v")) == 14
    assert locate(text, ("a", "items", 1, "v")) == 16
    assert locate(text, ("a", "items", 1, "sub", "w")) == 18
    assert locate(text, ("a", "items", 1, "sub", "deep", 0, "z")) == 20
    assert locate(text, ("missing",)) is None
