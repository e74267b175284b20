"""The queue an app server's SQLite units of work wait in (storage.db): first come, first
served, one queue per database file, and a unit started inside another on the same thread is
refused at once instead of waiting for itself for ever."""

import threading
import time
from pathlib import Path

import pytest

from storage.db import WriterQueue, make_engine, writer_turn


def _wait_until_queued(queue: WriterQueue, count: int) -> None:
    while len(queue._waiting) < count:
        time.sleep(0.001)


def test_turns_are_served_in_the_order_they_were_asked_for_and_nobody_overtakes():
    queue = WriterQueue()
    served: list[str] = []
    holding = threading.Event()
    let_go = threading.Event()

    def first() -> None:
        with queue.turn():
            holding.set()
            let_go.wait()
            served.append("first")
        # Straight back for another turn: it goes behind everyone already waiting.
        with queue.turn():
            served.append("first again")

    def later(name: str) -> None:
        with queue.turn():
            served.append(name)

    threads = [threading.Thread(target=first)]
    threads[0].start()
    holding.wait()
    for n in range(5):
        t = threading.Thread(target=later, args=(f"waiter {n}",))
        threads.append(t)
        t.start()
        _wait_until_queued(queue, n + 1)
    let_go.set()
    for t in threads:
        t.join(timeout=60)
    assert served == ["first", *(f"waiter {n}" for n in range(5)), "first again"]


def test_a_unit_inside_another_on_the_same_file_is_refused_not_left_waiting(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'one.db'}"
    one, two = make_engine(url), make_engine(url)
    with writer_turn(one), pytest.raises(RuntimeError, match="inside another"), writer_turn(two):
        pass
    with writer_turn(two):  # the refusal left the queue free
        pass
    other = make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    with writer_turn(one), writer_turn(other):  # another file has a queue of its own
        pass
    for engine in (one, two, other):
        engine.dispose()


def test_postgresql_has_no_queue_of_ours():
    engine = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    with writer_turn(engine), writer_turn(engine):  # its row locks queue writers; nothing waits here
        pass
    engine.dispose()
