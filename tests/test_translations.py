"""Every UI string has a Vietnamese translation, and the shipped .qm matches the .ts."""

from __future__ import annotations

import shutil
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import build_translations  # noqa: E402


def sources(ts: Path) -> set[tuple[str, str]]:
    return {
        (ctx.findtext("name") or "", m.findtext("source") or "")
        for ctx in ET.parse(ts).getroot().iter("context")
        for m in ctx.iter("message")
    }


def test_every_string_is_translated() -> None:
    root = ET.parse(build_translations.TS).getroot()
    for m in root.iter("message"):
        tr = m.find("translation")
        assert tr is not None and tr.text and tr.get("type") != "unfinished", m.findtext("source")


def test_ts_covers_every_tr_string_in_the_code(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.ts"
    build_translations.lupdate(fresh)
    missing = sources(fresh) - sources(build_translations.TS)
    assert not missing, f"run scripts/build_translations.py and translate: {sorted(missing)}"


def test_shipped_qm_is_built_from_the_ts(tmp_path: Path) -> None:
    ts = tmp_path / "opsconsole_vi.ts"
    shutil.copy(build_translations.TS, ts)
    qm = build_translations.lrelease(ts)
    assert qm.read_bytes() == build_translations.TS.with_suffix(".qm").read_bytes()


@pytest.mark.parametrize(("lang", "expected"), [("vi", "&Xem"), ("en", "&View")])
def test_language_switch(lang: str, expected: str) -> None:
    from PySide6.QtCore import QCoreApplication

    from console.district.ui.app import make_app
    from console.district.ui.i18n import install_translator

    app = make_app()
    tr = install_translator(app, lang)
    try:
        assert QCoreApplication.translate("MainWindow", "&View") == expected
    finally:
        if tr is not None:
            app.removeTranslator(tr)
