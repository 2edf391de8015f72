"""Standard operating procedures as data: one TOML file per incident type (resources/sops).

A procedure is a list of steps, each with its text in Vietnamese and English,
an optional time limit counted from the incident's opening ("within 10
minutes: notify the ward's People's Committee"), whether it is required
before the incident may close, the role that does it, and the lowest incident
severity it applies to (a flood at alert level I does not evacuate anyone).
The files are declared as msgspec Structs on the configuration mechanism of
the site file (console.shared.configfile), so a mistake is refused at start
with the same one-line errors: file, key path, problem, line.

The shipped files are samples, marked ``sample = true``: a city replaces them
with its own (the site file's ``sops_dir``); docs/INCIDENTS.md says where
their content comes from.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources as importlib_resources
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from console.district.config import Names
from console.shared.configfile import EXPECTED, FIX, ConfigFile, Table
from console.shared.errors import ConfigError
from console.shared.kinds import KINDS
from console.shared.vocab import Role

__all__ = ["Sop", "SopLibrary", "SopStep", "default_sops_dir", "load_sop", "load_sops"]

MAX_STEPS = 40

SopId = Annotated[
    str,
    Meta(
        pattern=r"^[a-z][a-z0-9_]{0,31}$",
        extra={FIX: "use 1-32 characters from a-z 0-9 _, starting with a letter"},
    ),
]
StepId = Annotated[
    str,
    Meta(
        pattern=r"^[a-z][a-z0-9-]{0,39}$",
        extra={FIX: "use 1-40 characters from a-z 0-9 -, starting with a letter"},
    ),
]
Text = Annotated[str, Meta(min_length=1, max_length=300)]
Severity = Annotated[int, Meta(ge=1, le=3)]


class TextTable(Table):
    vi: Text
    en: Text


class StepTable(Table, kw_only=True):
    id: StepId
    text: TextTable
    within_min: Annotated[float, Meta(gt=0, le=7 * 24 * 60)] | None = None
    """Due this many minutes after the incident was opened (absent: no time limit)."""
    required: bool = True
    role: Literal["operator", "supervisor"] = "operator"
    min_severity: Severity = 1
    """The step applies from this incident severity up (1: always)."""


class SopTable(Table, kw_only=True):
    id: SopId
    name: TextTable
    version: Annotated[str, Meta(min_length=1, max_length=32)]
    sample: bool = False
    """True: an illustrative procedure, to be replaced by the city's own."""
    source: Annotated[str, Meta(max_length=2000)] = ""
    """Where the steps come from (documents, practice); shown with the procedure."""
    feed_kinds: list[str] = msgspec.field(default_factory=list)
    """Alarms of feeds of these kinds suggest this type when an incident is opened from them."""
    default_severity: Severity = 2


class SopFile(Table):
    sop: SopTable
    steps: Annotated[
        list[StepTable],
        Meta(
            min_length=1,
            max_length=MAX_STEPS,
            extra={EXPECTED: f"1-{MAX_STEPS} [[steps]] entries"},
        ),
    ]


@dataclass(frozen=True)
class SopStep:
    id: str
    text: Names
    within_s: float | None
    required: bool
    role: Role
    min_severity: int


@dataclass(frozen=True)
class Sop:
    id: str
    """The incident type this procedure is for (``flood``, ``landslide``…)."""
    name: Names
    version: str
    sample: bool
    source: str
    feed_kinds: tuple[str, ...]
    default_severity: int
    steps: tuple[SopStep, ...]
    path: Path

    def steps_for(self, severity: int) -> tuple[SopStep, ...]:
        """The steps an incident of ``severity`` works through."""
        return tuple(s for s in self.steps if s.min_severity <= severity)


def load_sop(path: str | Path) -> Sop:
    """Read and check one procedure file; ConfigError names the file, key and line."""
    file = ConfigFile.read(path, "procedure file")
    doc = file.convert(SopFile)
    head = doc.sop
    if head.id != file.path.stem:
        raise file.error(("sop", "id"), f"{head.id!r} must be the file's name ({file.path.stem!r})")
    for i, kind in enumerate(head.feed_kinds):
        if kind not in KINDS:
            raise file.error(
                ("sop", "feed_kinds", i),
                f"unknown feed kind {kind!r} (known: {', '.join(KINDS)})",
            )
    seen: dict[str, int] = {}
    steps = []
    for i, st in enumerate(doc.steps):
        if st.id in seen:
            raise file.error(("steps", i, "id"), f"{st.id!r} already used by steps[{seen[st.id]}]")
        seen[st.id] = i
        steps.append(
            SopStep(
                id=st.id,
                text=Names(vi=st.text.vi, en=st.text.en),
                within_s=None if st.within_min is None else st.within_min * 60.0,
                required=st.required,
                role=Role(st.role),
                min_severity=st.min_severity,
            )
        )
    if not any(s.min_severity == 1 for s in steps):
        raise file.error(("steps",), "no step applies at severity 1 (set min_severity = 1 on one)")
    return Sop(
        id=head.id,
        name=Names(vi=head.name.vi, en=head.name.en),
        version=head.version,
        sample=head.sample,
        source=head.source.strip(),
        feed_kinds=tuple(head.feed_kinds),
        default_severity=head.default_severity,
        steps=tuple(steps),
        path=file.path,
    )


class SopLibrary:
    """The procedures of a console, by incident type."""

    def __init__(self, sops: Mapping[str, Sop]) -> None:
        self._sops = MappingProxyType(dict(sorted(sops.items())))
        self._by_kind: dict[str, Sop] = {}
        for sop in self._sops.values():
            for kind in sop.feed_kinds:
                other = self._by_kind.get(kind)
                if other is not None:
                    raise ConfigError(
                        f"{sop.path}: sop.feed_kinds: {kind!r} is already suggested by "
                        f"{other.path.name} (one procedure per feed kind)"
                    )
                self._by_kind[kind] = sop

    def __iter__(self) -> Iterator[Sop]:
        return iter(self._sops.values())

    def __len__(self) -> int:
        return len(self._sops)

    def __contains__(self, sop_id: object) -> bool:
        return sop_id in self._sops

    def get(self, sop_id: str) -> Sop:
        try:
            return self._sops[sop_id]
        except KeyError:
            raise KeyError(sop_id) from None

    def for_kind(self, kind: str) -> Sop | None:
        """The procedure alarms of this feed kind suggest (None: no suggestion)."""
        return self._by_kind.get(kind)

    @property
    def types(self) -> tuple[str, ...]:
        return tuple(self._sops)


def default_sops_dir() -> Path:
    """The shipped sample procedures (inside the installed package)."""
    return Path(str(importlib_resources.files("resources") / "sops"))


def load_sops(directory: str | Path | None = None) -> SopLibrary:
    """Every ``*.toml`` in ``directory`` (default: the shipped samples)."""
    d = Path(directory) if directory is not None else default_sops_dir()
    if not d.is_dir():
        raise ConfigError(f"{d}: no procedure directory here")
    files = sorted(d.glob("*.toml"))
    if not files:
        raise ConfigError(f"{d}: no procedure files (*.toml) here")
    return SopLibrary({s.id: s for s in (load_sop(p) for p in files)})
