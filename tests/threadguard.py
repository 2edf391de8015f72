"""Find threads, Qt thread-pool work, QThreads and QTimers that a test leaves running.

A thread that outlives its test keeps sockets, SQLite connections and Qt objects
alive into the next test, which then fails (or crashes) far from the cause. The
autouse fixtures in ``tests/conftest.py`` use this module the way napari's
``dangling_qthreads`` / ``dangling_qthread_pool`` / ``dangling_qtimers`` do:
record where each thread, runnable and timer is started, and after the test
name what is still running and where it came from.

Python threads are found with ``threading.enumerate()`` before and after (every
``Thread.start`` is wrapped only to remember its call site). Qt is looked at
only once something has imported ``PySide6.QtCore``.
"""

from __future__ import annotations

import sys
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
_HERE = Path(__file__).resolve()
_CONFTEST = _HERE.parent / "conftest.py"

# How long a thread that is on its way out (stop() was called, the loop is
# finishing its last poll) may take before it counts as left running.
GRACE_S = 2.0

# Threads that belong to the test tools, not to the code under test.
_TOOL_MODULES = ("pytest_timeout", "hypothesis", "_pytest", "pytestqt")


def _site(frame: FrameType | None, depth: int = 4) -> str:
    """Where in this project something was started: the innermost project frames,
    outermost last (``a.py:10 (f) <- b.py:20 (g)``); the first frame if none is ours."""
    first = frame
    out: list[str] = []
    while frame is not None and len(out) < depth:
        path = Path(frame.f_code.co_filename)
        if (
            path.is_relative_to(ROOT)
            and ".venv" not in path.parts
            and path not in (_HERE, _CONFTEST)
        ):
            out.append(f"{path.relative_to(ROOT)}:{frame.f_lineno} ({frame.f_code.co_name})")
        frame = frame.f_back
    if not out and first is not None:
        out.append(f"{first.f_code.co_filename}:{first.f_lineno} ({first.f_code.co_name})")
    return " <- ".join(out) or "unknown"


# Call sites of Python threads, kept as long as the thread object lives.
_thread_sites: weakref.WeakKeyDictionary[threading.Thread, str] = weakref.WeakKeyDictionary()
_original_thread_start = threading.Thread.start


def _recording_thread_start(self: threading.Thread) -> None:
    _thread_sites[self] = _site(sys._getframe(1))
    _original_thread_start(self)


@contextmanager
def recording_thread_starts() -> Iterator[None]:
    """Remember where every Python thread is started (for the failure message)."""
    threading.Thread.start = _recording_thread_start  # type: ignore[method-assign]
    try:
        yield
    finally:
        threading.Thread.start = _original_thread_start  # type: ignore[method-assign]


def _is_tool_thread(t: threading.Thread) -> bool:
    if isinstance(t, threading._DummyThread):
        # A foreign (Qt pool, zmq) thread that once ran Python code: threading
        # keeps its entry after the thread is gone; the pool itself is checked below.
        return True
    target: Any = getattr(t, "_target", None) or getattr(t, "function", None)
    module = getattr(target, "__module__", "") or ""
    return module.startswith(_TOOL_MODULES)


def python_threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if not _is_tool_thread(t)}


def describe_thread(t: threading.Thread) -> str:
    kind = "daemon thread" if t.daemon else "thread"
    return f"{kind} {t.name!r} started at {_thread_sites.get(t, 'an unknown place')}"


# Threads already reported (by a test): a module-level check does not report them again.
_reported: weakref.WeakSet[threading.Thread] = weakref.WeakSet()


def leftover_python_threads(before: set[threading.Thread], grace_s: float = GRACE_S) -> list[str]:
    """Threads started since ``before`` still alive after ``grace_s``."""
    deadline = time.monotonic() + grace_s
    new = python_threads() - before - set(_reported)
    for t in new:
        t.join(max(0.0, deadline - time.monotonic()))
    left = [t for t in new if t.is_alive()]
    _reported.update(left)
    return sorted(describe_thread(t) for t in left)


@dataclass
class _SingleShot:
    site: str
    context: Any  # the QObject whose destruction cancels the shot, or None
    fired: bool = False
    cancelled: bool = False


@dataclass
class QtWatch:
    """What a test started in Qt: QThreads, QThreadPool runnables, QTimers, single shots."""

    qthreads: weakref.WeakKeyDictionary[Any, str] = field(default_factory=weakref.WeakKeyDictionary)
    timers: weakref.WeakKeyDictionary[Any, str] = field(default_factory=weakref.WeakKeyDictionary)
    # Each pool used -> its runnables and where they were started. Held strongly: the
    # wrapper of QThreadPool.globalInstance() is dropped as soon as the caller lets go.
    pools: dict[Any, list[str]] = field(default_factory=dict)
    single_shots: list[_SingleShot] = field(default_factory=list)


@contextmanager
def watching_qt() -> Iterator[QtWatch | None]:
    """Record Qt thread and timer starts while the block runs (None if Qt is not imported)."""
    if "PySide6.QtCore" not in sys.modules:
        yield None
        return
    from PySide6.QtCore import QObject, QThread, QThreadPool, QTimer

    watch = QtWatch()
    patched = [
        (QThread, "start"),
        (QThreadPool, "start"),
        (QThreadPool, "tryStart"),
        (QTimer, "start"),
        (QTimer, "singleShot"),
    ]
    originals = {(cls, name): cls.__dict__[name] for cls, name in patched}
    thread_start = QThread.start
    pool_start = QThreadPool.start
    pool_try_start = QThreadPool.tryStart
    timer_start = QTimer.start
    single_shot = QTimer.singleShot

    def qthread_start(self: QThread, *args: Any) -> None:
        watch.qthreads[self] = _site(sys._getframe(1))
        thread_start(self, *args)

    def record_runnable(pool: QThreadPool, runnable: object) -> None:
        label = f"{type(runnable).__module__}.{type(runnable).__qualname__}"
        watch.pools.setdefault(pool, []).append(f"{label} from {_site(sys._getframe(2))}")

    def qpool_start(self: QThreadPool, runnable: Any, *args: Any) -> None:
        record_runnable(self, runnable)
        pool_start(self, runnable, *args)

    def qpool_try_start(self: QThreadPool, runnable: Any) -> bool:
        started = pool_try_start(self, runnable)
        if started:
            record_runnable(self, runnable)
        return started

    def qtimer_start(self: QTimer, *args: Any) -> None:
        watch.timers[self] = _site(sys._getframe(1))
        # Connected to a signal (``textChanged.connect(timer.start)``) this wrapper gets the
        # signal's arguments, which Qt would drop for the start() overload: keep only a msec.
        timer_start(self, *(a for a in args[:1] if isinstance(a, int)))

    def qtimer_single_shot(msec: int, *args: Any) -> None:
        # Only the functor forms can be observed; the (receiver, b"member") forms pass through.
        if len(args) == 1 and callable(args[0]):
            functor = args[0]
            owner = getattr(functor, "__self__", None)
            context = owner if isinstance(owner, QObject) else None
        elif len(args) == 2 and isinstance(args[0], QObject) and callable(args[1]):
            context, functor = args
        else:
            single_shot(msec, *args)
            return
        shot = _SingleShot(_site(sys._getframe(1)), context)
        watch.single_shots.append(shot)

        def fire() -> None:
            if not shot.cancelled:  # a shot left by an earlier test must not fire in this one
                shot.fired = True
                functor()

        if context is None:
            single_shot(msec, fire)
        else:
            single_shot(msec, context, fire)

    wrappers: list[object] = [
        qthread_start,
        qpool_start,
        qpool_try_start,
        qtimer_start,
        staticmethod(qtimer_single_shot),
    ]
    for (cls, name), wrapper in zip(patched, wrappers, strict=True):
        setattr(cls, name, wrapper)
    try:
        yield watch
    finally:
        for (cls, name), value in originals.items():
            setattr(cls, name, value)


def _alive(obj: Any, check: Callable[[], bool]) -> bool:
    """``check()`` for a Qt object, False once its C++ side is gone."""
    import shiboken6

    if not shiboken6.isValid(obj):
        return False
    with suppress(RuntimeError):
        return check()
    return False


def _running(qthread: Any, grace_ms: int) -> bool:
    return not qthread.wait(grace_ms)


def _busy(pool: Any, grace_ms: int) -> bool:
    return not pool.waitForDone(grace_ms)


def leftover_qt(watch: QtWatch, grace_s: float = GRACE_S) -> list[str]:
    """What ``watch`` saw started and is still running; stops the leftovers so the
    next test starts clean."""
    from PySide6.QtCore import QCoreApplication, QEvent, QThreadPool

    app = QCoreApplication.instance()
    if app is not None:
        # Widgets pytest-qt closed were only deleteLater()ed: delete them now, with
        # their timers, so a timer that died with its widget does not count.
        app.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    found: list[str] = []
    grace_ms = int(grace_s * 1000)

    for qthread, site in list(watch.qthreads.items()):
        if _alive(qthread, partial(_running, qthread, grace_ms)):
            found.append(
                f"QThread {qthread.objectName() or type(qthread).__name__!r} started at {site}"
            )
            qthread.quit()
            qthread.wait(grace_ms)

    global_pool = QThreadPool.globalInstance()
    pools: dict[Any, list[str]] = {global_pool: [], **watch.pools}
    for pool, runnables in pools.items():
        if not _alive(pool, partial(_busy, pool, grace_ms)):
            continue
        name = "QThreadPool.globalInstance()" if pool is global_pool else "a QThreadPool"
        found.append(
            f"{name} still has {pool.activeThreadCount()} active thread(s); runnables "
            "started in this test: " + ("; ".join(runnables) or "none")
        )
        pool.clear()  # drop queued work; wait longer for the running work so it
        pool.waitForDone(30_000)  # does not spill into (and fail) the next test

    for timer, site in list(watch.timers.items()):
        if _alive(timer, timer.isActive):
            every = "single shot in" if timer.isSingleShot() else "every"
            found.append(
                f"QTimer {timer.objectName() or '(unnamed)'} ({every} {timer.interval()} ms) "
                f"started at {site}"
            )
            timer.stop()

    for shot in watch.single_shots:
        if shot.fired or (shot.context is not None and not _alive(shot.context, lambda: True)):
            continue
        found.append(f"QTimer.singleShot not yet fired, scheduled at {shot.site}")
        shot.cancelled = True
    return found
