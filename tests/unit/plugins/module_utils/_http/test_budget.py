# SPDX-License-Identifier: GPL-3.0-or-later
"""The concurrency budget (budget.py): machine-wide slots shared by processes and freed by a crash, the private
directory they live in, the adaptive cap, and that a place is given back whatever happens to the request."""

import multiprocessing
import os
import stat
import threading
import time

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import DeadlineError, TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._http import budget as budget_module
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.budget import (
    AdaptiveCap,
    Budget,
    MachineSlots,
)

KEY = "AC" + "7" * 32


def _hold(directory, want, taken, go, crash):
    """In another process: hold ``want`` slots of 3, say which, and on ``go`` end without giving them back
    (``crash``: as a killed fork ends) or give them back."""
    slots = MachineSlots(KEY, 3, directory)
    held = [slots.acquire(5) for dummy in range(want)]
    taken.put([slot[0] for slot in held])
    go.wait(30)
    if crash:
        os._exit(3)
    for slot in held:
        slots.release(slot)


@pytest.fixture
def spawn():
    context = multiprocessing.get_context("spawn")
    started = []

    def start(*args):
        proc = context.Process(target=_hold, args=args)
        proc.start()
        started.append(proc)
        return proc
    start.context = context
    yield start
    for proc in started:
        proc.join(10)
        if proc.is_alive():
            proc.terminate()


def test_slots_are_shared_by_processes_and_a_crashed_holder_frees_its_own(tmp_path, spawn):
    directory = str(tmp_path / "slots")
    taken, go_first, go_second = spawn.context.Queue(), spawn.context.Event(), spawn.context.Event()
    first = spawn(directory, 2, taken, go_first, True)
    crashed = set(taken.get(timeout=30))
    second = spawn(directory, 1, taken, go_second, False)
    held = set(taken.get(timeout=30))
    assert crashed | held == {0, 1, 2}
    here = MachineSlots(KEY, 3, directory)
    assert here.acquire(0.2) is None  # all three are held, by two other processes
    go_first.set()
    first.join(10)
    assert first.exitcode == 3
    # The crashed process gave nothing back; the kernel dropped its locks with it.
    slots = [here.acquire(2), here.acquire(2)]
    assert set(slot[0] for slot in slots) == crashed and here.acquire(0.1) is None
    go_second.set()
    second.join(10)
    assert second.exitcode == 0
    slots.append(here.acquire(2))
    assert sorted(slot[0] for slot in slots) == [0, 1, 2]
    for slot in slots:
        here.release(slot)


def test_threads_of_one_process_share_the_slots(tmp_path):
    """A second flock of a file this process already locked would succeed: the slots held here are skipped."""
    slots = MachineSlots(KEY, 2, str(tmp_path))
    other = MachineSlots(KEY, 2, str(tmp_path))  # another client of the same process
    held, peak, lock = [0], [0], threading.Lock()

    def work():
        for dummy in range(20):
            mine = slots if threading.current_thread().name.endswith("a") else other
            slot = mine.acquire(10)
            with lock:
                held[0] += 1
                peak[0] = max(peak[0], held[0])
            time.sleep(0.002)
            with lock:
                held[0] -= 1
            mine.release(slot)
    threads = [threading.Thread(target=work, name="t%d%s" % (n, "ab"[n % 2])) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak[0] == 2


def test_the_directory_is_private_and_holds_no_secret(tmp_path, monkeypatch):
    monkeypatch.setattr(budget_module.tempfile, "tempdir", str(tmp_path))
    slots = MachineSlots(KEY, 4)
    slot = slots.acquire(1)
    slots.release(slot)
    directory = str(tmp_path / ("ansible-twilio-serverless-%d" % os.geteuid()))
    assert slots.directory == directory
    assert stat.S_IMODE(os.stat(directory).st_mode) == 0o700
    assert os.listdir(directory) == ["%s.%d" % (KEY, slot[0])]
    assert os.path.getsize(os.path.join(directory, os.listdir(directory)[0])) == 0
    os.chmod(directory, 0o755)
    MachineSlots(KEY, 4).release(MachineSlots(KEY, 4).acquire(1))
    assert stat.S_IMODE(os.stat(directory).st_mode) == 0o700


def test_a_directory_not_ours_is_refused(tmp_path):
    a_file = tmp_path / "file"
    a_file.write_text("x")
    with pytest.raises(TwilioError, match="Cannot keep the request slots of max_concurrent_requests in .*file: it is "
                                          "not a directory. Set TMPDIR to a directory of your own, or "
                                          "max_concurrent_requests to 0"):
        MachineSlots(KEY, 2, str(a_file)).acquire(1)
    link = tmp_path / "link"
    link.symlink_to(tmp_path)
    with pytest.raises(TwilioError, match="it is not a directory"):
        MachineSlots(KEY, 2, str(link)).acquire(1)
    if os.geteuid() == 0:
        theirs = tmp_path / "theirs"
        theirs.mkdir(mode=0o700)
        os.chown(str(theirs), 4242, 4242)
        with pytest.raises(TwilioError, match=r"it belongs to another user \(uid 4242\)"):
            MachineSlots(KEY, 2, str(theirs)).acquire(1)


def test_a_429_halves_the_cap_once_a_round_and_successes_raise_it():
    cap = AdaptiveCap(10)
    rounds = [cap.acquire(1) for dummy in range(10)]
    assert cap.acquire(0.01) is None  # ten in flight: the eleventh waits
    for sent_in in rounds[:6]:
        cap.answered(sent_in, 429)  # six refused together: one halving, not six
        cap.release()
    assert (cap.cap, cap.throttled, cap.round) == (5, 6, 1)
    for dummy in rounds[6:]:
        cap.release()
    sent_in = cap.acquire(1)
    cap.answered(sent_in, 429)
    cap.release()
    assert cap.cap == 2
    for dummy in range(5):
        sent_in = cap.acquire(1)
        cap.answered(sent_in, 429)
        cap.release()
    assert (cap.cap, cap.lowest) == (1, 1)  # never below one
    for expected in (2, 2, 3, 3, 3):  # a round of successes (as many as the cap) raises it by one
        sent_in = cap.acquire(1)
        cap.answered(sent_in, 200)
        cap.release()
        assert cap.cap == expected
    for dummy in range(100):
        cap.answered(cap.round, 201)
    assert cap.cap == 10  # never above the client's threads


def test_twilio_concurrent_requests_stops_the_cap_at_the_account_limit():
    cap = AdaptiveCap(10)
    cap.answered(0, 429, concurrent=4)  # Twilio served 3 and refused a fourth
    assert (cap.cap, cap.account_limit) == (5, 3)
    cap.cap = 2
    for dummy in range(10):
        cap.answered(cap.round, 200, concurrent=3)  # the account is at its limit: no more
    assert cap.cap == 2
    for dummy in range(2):
        cap.answered(cap.round, 200, concurrent=2)
    assert cap.cap == 3
    for dummy in range(10):
        cap.answered(cap.round, 200)  # no header: the cap grows as without one
    assert cap.cap > 3


def test_a_place_is_given_back_whatever_happens(tmp_path):
    spent = Budget(KEY, 1, 2, directory=str(tmp_path))
    spent.slot_wait = 0.5
    with pytest.raises(RuntimeError):
        with spent.request():
            raise RuntimeError("the request failed")
    assert spent.cap.in_flight == 0
    with spent.request() as place:  # the one slot is free again
        place.answered(200, {"Twilio-Concurrent-Requests": "1"})
    other = MachineSlots(KEY, 1, str(tmp_path))
    other.release(other.acquire(0.5))


def test_no_free_slot_fails_naming_the_option(tmp_path):
    holder = MachineSlots(KEY, 1, str(tmp_path))
    slot = holder.acquire(1)
    waiting = Budget(KEY, 1, 10, directory=str(tmp_path))
    with pytest.raises(DeadlineError, match=r"Waited 0.2 seconds for one of the 1 request slots of account %s on "
                                            r"this machine \(max_concurrent_requests\)" % KEY):
        waiting.request(0.2).__enter__()  # the caller's deadline
    waiting.slot_wait = 0.2
    with pytest.raises(TwilioError, match="Lower forks or throttle, or raise max_concurrent_requests") as caught:
        waiting.request().__enter__()
    assert not isinstance(caught.value, DeadlineError) and waiting.cap.in_flight == 0
    holder.release(slot)


def test_a_retry_after_holds_the_other_threads_back():
    now, slept = [100.0], []
    paused = Budget(KEY, 0, 10, clock=lambda: now[0], sleep=slept.append)
    paused.throttled(3.0)
    with paused.request():
        pass
    assert slept == []  # the thread that got the 429 waits in the client's retry loop, not here too
    other = threading.Thread(target=lambda: paused.request().__enter__().__exit__(None, None, None))
    other.start()
    other.join()
    assert slept == [3.0]
    assert Budget(KEY, 0, 10).slots is None  # 0: no machine-wide slots
