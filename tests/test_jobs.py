"""The job runner (gui/jobs.py): every failure of background work reaches a
person as one line, and nothing waits on work that is already over."""

import threading

from PySide6.QtCore import Qt

from gui.jobs import Job, LatestJobs, wait_all


def test_a_search_that_fails_on_the_worker_says_why_in_the_status_bar(win, qtbot, monkeypatch, capfd):
    from gui import search_jobs

    def broken(*_args):
        raise OSError("disk I/O error\nwhile reading the index")

    monkeypatch.setattr(search_jobs, "SEARCH_SYNC_EVENTS", 0)  # the sample searched as a big file is
    monkeypatch.setattr(search_jobs, "search_mask_in_file", broken)
    win.search.setFocus()
    qtbot.keyClicks(win.search, "Hannity")
    qtbot.waitUntil(lambda: "search failed" in win.statusBar().currentMessage(), timeout=5000)
    assert "search failed: disk I/O error while reading the index" in win.statusBar().currentMessage()
    assert "Traceback" not in capfd.readouterr().err
    # the window still answers: clearing the search shows every event again
    qtbot.keyClick(win.search, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(win.search, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: win.session.selection.search == "", timeout=2000)
    assert "search failed" not in win.statusBar().currentMessage()


def test_a_failure_nobody_listens_for_is_printed_as_one_line(qtbot, capfd):
    def work():
        raise ValueError("the cache beside the file\ncould not be written")

    job = Job(work)
    job.start()
    wait_all()
    err = capfd.readouterr().err
    assert "threadline: background work failed: the cache beside the file could not be written\n" in err
    assert "Traceback" not in err


def test_the_newest_waiting_job_replaces_older_ones_and_wait_all_delivers_them(qtbot):
    release = threading.Event()
    runner = LatestJobs()
    results, failures = [], []
    runner.ready.connect(lambda key, result: results.append((key, result)))
    runner.failed.connect(lambda key, message: failures.append((key, message)))

    def fail():
        raise KeyError("gone")

    runner.submit("first", lambda: release.wait(10) and "first done")
    runner.submit("second", lambda: "second done")  # replaced before it starts
    runner.submit("third", fail)
    assert runner.busy and runner.has("first") and runner.has("third") and not runner.has("second")
    release.set()
    wait_all()
    assert results == [("first", "first done")]
    assert failures == [("third", "'gone'")]
    assert not runner.busy
