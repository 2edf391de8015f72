"""The leak guard itself: it must name what a test leaves running, and only that."""

from __future__ import annotations

import os
import threading
import time

import pytest
import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThread, QThreadPool, QTimer
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from tests.threadguard import (
    ROOT,
    leftover_python_threads,
    leftover_qt,
    python_threads,
    watching_qt,
)


def test_a_thread_left_running_is_named_with_where_it_started() -> None:
    before = python_threads()
    release = threading.Event()
    t = threading.Thread(target=release.wait, name="left-behind", daemon=True)
    t.start()
    try:
        left = leftover_python_threads(before, grace_s=0.05)
    finally:
        release.set()
        t.join()
    assert len(left) == 1
    assert "'left-behind'" in left[0]
    assert "tests/test_threadguard.py:" in left[0]
    assert "(test_a_thread_left_running_is_named_with_where_it_started)" in left[0]


def test_a_thread_that_is_finishing_gets_the_grace_period() -> None:
    before = python_threads()
    threading.Thread(target=time.sleep, args=(0.2,), name="finishing").start()
    assert leftover_python_threads(before, grace_s=5.0) == []


def test_threads_that_ran_in_the_qt_pool_are_left_to_the_pool_check(qapp: object) -> None:
    seen: list[threading.Thread] = []

    class Probe(QRunnable):
        def run(self) -> None:
            seen.append(threading.current_thread())  # registers a _DummyThread

    before = python_threads()
    with watching_qt() as qt:
        QThreadPool.globalInstance().start(Probe())
        assert QThreadPool.globalInstance().waitForDone(5000)
        assert qt is not None
        assert leftover_qt(qt) == []
    assert isinstance(seen[0], threading._DummyThread)
    assert leftover_python_threads(before, grace_s=0.05) == []


def test_qt_work_left_running_is_named_and_stopped(qapp: object) -> None:
    release = threading.Event()

    class Slow(QRunnable):
        def run(self) -> None:
            release.wait(10)

    class Sleeper(QThread):
        def run(self) -> None:
            self.exec()  # an event loop: runs until quit()

    fired: list[str] = []
    context = QObject()
    with watching_qt() as qt:
        assert qt is not None
        timer = QTimer()
        timer.start(50)
        QTimer.singleShot(60_000, context, lambda: fired.append("late"))
        QThreadPool.globalInstance().start(Slow())
        sleeper = Sleeper()
        sleeper.setObjectName("sleeper")
        sleeper.start()
        threading.Timer(0.3, release.set).start()  # ends Slow after the pool check gave up
        left = leftover_qt(qt, grace_s=0.1)
    text = "\n".join(left)
    assert len(left) == 4, text
    assert "QThread 'sleeper' started at tests/test_threadguard.py:" in text
    assert "QThreadPool.globalInstance() still has 1 active thread(s)" in text
    assert (
        "tests.test_threadguard.test_qt_work_left_running_is_named_and_stopped.<locals>.Slow"
        in text
    )
    assert "QTimer (unnamed) (every 50 ms) started at tests/test_threadguard.py:" in text
    assert "QTimer.singleShot not yet fired" in text
    # ...and stopped, so they cannot reach into the next test.
    assert not timer.isActive()
    assert sleeper.isFinished()
    assert QThreadPool.globalInstance().activeThreadCount() == 0
    shiboken6.delete(context)  # cancels the shot for good (this test's own guard watches it too)
    assert fired == []


def test_timers_that_die_with_their_widget_and_shots_that_fired_are_not_leaks(qtbot: QtBot) -> None:
    with watching_qt() as qt:
        assert qt is not None
        w = QWidget()
        child = QTimer(w)
        child.start(50)
        fired: list[int] = []
        QTimer.singleShot(0, lambda: fired.append(1))
        qtbot.waitUntil(lambda: fired == [1])
        assert child.isActive()
        w.close()
        w.deleteLater()  # as pytest-qt does with the widgets a test registered
        assert leftover_qt(qt) == []
        assert not shiboken6.isValid(child)


def test_the_autouse_fixture_fails_a_leaking_test(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makeconftest(
        "from tests.conftest import (  # noqa: F401\n"
        "    _no_dangling_threads, _no_dangling_threads_in_module, _record_thread_starts,\n"
        "    pytest_configure,\n"
        ")\n"
    )
    pytester.makepyfile(
        test_leaky="""
        import threading

        import pytest

        stop = threading.Event()

        def test_leaks():
            threading.Thread(target=stop.wait, name="leaky-worker", daemon=True).start()

        def test_cleans_up():
            stop.set()

        @pytest.mark.allow_dangling_threads
        def test_opts_out_without_a_reason():
            pass
        """
    )
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=2, errors=2)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_leaks*",
            "*the test left 1 thread(s)/timer(s) running:",
            "*daemon thread 'leaky-worker' started at *test_leaky.py:* (test_leaks)",
            "*allow_dangling_threads needs a reason*",
        ]
    )
