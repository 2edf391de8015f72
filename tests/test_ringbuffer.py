"""Ring buffers: wrap-around, ordering, change tracking; checked against a plain model."""

from __future__ import annotations

from collections import deque

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.district.domain.ringbuffer import RingBuffers


def test_empty_feeds_report_nothing() -> None:
    rb = RingBuffers(3, 8)
    latest = rb.latest()
    assert latest.count.tolist() == [0, 0, 0]
    assert np.isnan(latest.value).all()
    t, v, q = rb.window(1)
    assert t.size == v.size == q.size == 0


def test_wraps_and_keeps_the_newest_in_order() -> None:
    rb = RingBuffers(2, 4)
    for k in range(10):
        rb.extend([0], [float(k)], [k * 10.0], [0])
    t, v, _ = rb.window(0)
    assert t.tolist() == [6.0, 7.0, 8.0, 9.0]
    assert v.tolist() == [60.0, 70.0, 80.0, 90.0]
    assert rb.latest().value[0] == 90.0


def test_changed_since_names_only_written_feeds() -> None:
    rb = RingBuffers(5, 8)
    seq0 = rb.seq
    s1 = rb.extend([1, 3, 1], [1.0, 1.0, 2.0], [1, 2, 3], [0, 0, 0])
    seq, changed = rb.changed_since(seq0)
    assert seq == s1
    assert changed.tolist() == [1, 3]
    rb.extend([4], [3.0], [9], [1])
    assert rb.changed_since(s1)[1].tolist() == [4]
    assert rb.changed_since(rb.seq)[1].tolist() == []


def test_window_since_timestamp() -> None:
    rb = RingBuffers(1, 16)
    rb.extend([0] * 6, [1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6], [0] * 6)
    assert rb.window(0, since_ts=4.0)[0].tolist() == [4.0, 5.0, 6.0]


def test_one_batch_larger_than_capacity() -> None:
    rb = RingBuffers(2, 4)
    rb.extend([*[0] * 9, 1], [*range(9), 0], [*range(9), 5], [0] * 10)
    assert rb.window(0)[1].tolist() == [5.0, 6.0, 7.0, 8.0]
    assert rb.window(1)[1].tolist() == [5.0]
    assert rb.latest().count.tolist() == [9, 1]


def test_rejects_degenerate_sizes() -> None:
    with pytest.raises(ValueError):
        RingBuffers(0, 8)


@settings(max_examples=200, deadline=None)
@given(
    cap=st.integers(2, 12),
    batches=st.lists(st.lists(st.integers(0, 3), max_size=30), max_size=15),
)
def test_matches_a_deque_model(cap: int, batches: list[list[int]]) -> None:
    rb = RingBuffers(4, cap)
    model = [deque(maxlen=cap) for _ in range(4)]
    t = 0
    for batch in batches:
        ts = []
        for f in batch:
            t += 1
            ts.append(float(t))
            model[f].append(float(t))
        rb.extend(batch, ts, ts, [0] * len(batch))
    for f in range(4):
        assert rb.window(f)[0].tolist() == list(model[f])
        assert rb.latest().count[f] == sum(b.count(f) for b in batches)
