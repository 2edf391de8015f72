"""The notes the console writes itself (the disk check's, the alarm engine's) are kept in
the journal as written and shown in the UI language; a person's words never change."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from console.district.config import SiteConfig
from console.district.services.disk import MB, DiskView, describe
from widgets.alarm_words import note_text, system_note_text

GB = 1024 * MB


def test_the_disk_checks_note_in_vietnamese(vietnamese_ui: QApplication) -> None:
    v = DiskView(free_bytes=3 * GB // 2, total_bytes=100 * GB, log_bytes=700 * MB)
    assert describe(v) == "free 1.5 GB of 100 GB; log 700.0 MB"
    assert system_note_text(describe(v)) == "còn trống 1.5 GB trên 100 GB; nhật ký 700.0 MB"


def test_a_failing_disk_with_lost_readings_in_vietnamese(vietnamese_ui: QApplication) -> None:
    v = DiskView(
        free_bytes=0, total_bytes=20 * GB, log_bytes=19 * GB,
        error="database or disk is full; (13)", readings_dropped=12_345,
    )  # fmt: skip
    assert system_note_text(describe(v)) == (
        "còn trống 0.0 MB trên 20 GB; nhật ký 19 GB; "
        "không ghi được: database or disk is full; (13); 12,345 số đo không được lưu"
    )


def test_the_engines_note_and_a_persons_words(vietnamese_ui: QApplication) -> None:
    assert note_text("shelving expired", "system") == "hết thời hạn tạm gác"
    disk = describe(DiskView(free_bytes=GB, total_bytes=2 * GB, log_bytes=MB))
    assert note_text(disk, "ha") == disk, "a person's note is shown as written"
    assert system_note_text("đã gọi đội cứu hộ") == "đã gọi đội cứu hộ"
    assert system_note_text("free space of the river") == "free space of the river"


def test_the_district_journal_shows_the_disk_note_in_vietnamese(
    vietnamese_ui: QApplication, small_site: SiteConfig
) -> None:
    from zoneinfo import ZoneInfo

    from console.district.ui.alarm_models import JournalModel

    note = describe(DiskView(free_bytes=12 * MB, total_bytes=50 * GB, log_bytes=40 * GB))
    row = {
        "ts_ms": 1_790_000_000_000, "feed_key": "system", "rule": "disk", "event": "activate",
        "state": "active_unack", "severity": 3, "value": 12.0, "user": "system",
        "workstation": "", "note": note,
    }  # fmt: skip
    model = JournalModel(small_site.feeds, ZoneInfo("Asia/Ho_Chi_Minh"), "vi")
    model.setRows([row, row | {"user": "ha", "workstation": "oc-2", "event": "acknowledge"}])
    col = model.COLUMNS.index("note")
    assert model.data(model.index(0, col)) == "còn trống 12.0 MB trên 50 GB; nhật ký 40 GB"
    assert model.data(model.index(1, col)) == note, "a person's note: as written"
    user, value = model.COLUMNS.index("user"), model.COLUMNS.index("value")
    assert [model.data(model.index(r, user)) for r in (0, 1)] == ["Hệ thống", "ha@oc-2"]
    assert model.data(model.index(0, value)) == "12 MB"
    tip = Qt.ItemDataRole.ToolTipRole
    for c in range(len(model.COLUMNS)):  # an elided cell reads whole on hover
        assert model.data(model.index(0, c), tip) == model.data(model.index(0, c))
