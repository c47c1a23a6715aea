#!/usr/bin/python3
"""End-to-end: `kill -9` during ingest, restart, and the result equals an uninterrupted run.

1. Reference: `reach run --exit-when-done --archive none` on the SNAP Higgs activity stream
   (563k events) into ref.db.
2. Crash run: `reach run --exit-when-done` on the same file into crash.db with the archive on,
   killed with SIGKILL at KILLS random moments (each restart replays the archive and resumes the
   source after the checkpoint), then restarted once more serving HTTP until the source is done.
3. The served API (engine counters in /metrics, the all-time leaderboard) and, after a clean stop,
   the stored users, posts and cascades equal the reference, row for row, and so do the counts of
   every all-time leaderboard row (posts, reshares, quotes, replies, likes, mentions, depth).
   Scores and ranks are not compared exactly: PageRank is refreshed incrementally at moments that
   depend on when the runs published, so it agrees only to about 1e-6.

usage: archive_crash_test.py REACH_BINARY HIGGS_ACTIVITY.txt.gz [KILLS] [SEED]
"""
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from harness import Reach, Results  # noqa: E402
from store_compare import compare, rows  # noqa: E402


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    binary, source = argv[1], argv[2]
    kills = int(argv[3]) if len(argv) > 3 else 3
    seed = int(argv[4]) if len(argv) > 4 else int(time.time())
    rng = random.Random(seed)
    print(f"seed {seed}, {kills} kills")
    r = Results()
    tmp = tempfile.mkdtemp(prefix="reach-crash-e2e-")
    ref, crash = os.path.join(tmp, "ref.db"), os.path.join(tmp, "crash.db")
    common = ["--source", source, "--format", "snap-activity", "--flush-interval", "1s"]
    dead = ["--dead-letter", os.path.join(tmp, "dead.ndjson")]

    out = subprocess.run([binary, "run", "--exit-when-done", "--store", ref, "--archive", "none"]
                         + common + dead, capture_output=True, text=True, timeout=900, cwd=tmp)
    r.check(out.returncode == 0, f"reference run: {out.stderr[-2000:]}")

    killed = 0
    log = open(os.path.join(tmp, "crash.log"), "w")
    for i in range(kills):
        proc = subprocess.Popen([binary, "run", "--exit-when-done", "--store", crash] + common + dead,
                                stdout=log, stderr=subprocess.STDOUT, cwd=tmp)
        time.sleep(rng.uniform(1.0, 8.0))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        proc.wait(timeout=60)
    log.close()
    print(f"killed {killed} of {kills} runs")
    r.check(killed >= 1, "at least one run was killed mid-ingest")

    app = Reach(binary, ["--store", crash] + common, cwd=tmp)
    try:
        deadline = time.time() + 600
        while time.time() < deadline:
            text = app.read_log()
            if "source finished" in text:
                break
            time.sleep(0.2)
        r.check("source finished" in app.read_log(), "the restarted run finished the source")
        want = {k: rows(ref, f"SELECT COUNT(*) FROM {k}")[0][0] for k in ("users", "posts", "cascades")}
        # Wait until the engine has applied every event read (replayed and new) and published.
        m = {}
        deadline = time.time() + 600
        while time.time() < deadline:
            m = app.metrics()
            read = (m.get("reach_archive_replayed_events_total", 0)
                    + m.get("reach_ingest_events_total", 0))
            if (m.get("reach_ingest_queue_batches") == 0
                    and m.get("reach_engine_events_applied_total") == read
                    and repr(int(m.get("reach_engine_posts", -1))) == want["posts"]):
                break
            time.sleep(0.2)
        for name, table in (("reach_engine_posts", "posts"), ("reach_engine_cascades", "cascades")):
            r.check(repr(int(m.get(name, -1))) == want[table],
                    f"API {name} {m.get(name)} equals the reference's {want[table]}")
        r.check(m.get("reach_archive_replayed_records_total", 0) > 0,
                "the restart replayed the archive")
        applied = m.get("reach_engine_events_applied_total", 0)
        duplicates = m.get("reach_engine_duplicates_total", 0)
        total = m.get("reach_archive_replayed_events_total", 0) + m.get("reach_ingest_events_total", 0)
        r.check(applied == total, f"every event applied once: {applied} applied, {total} read")
        _, page = app.get_json("/api/influencers?window=all&limit=20")
        r.check(page["total"] > 0, "the leaderboard is not empty")
        print(f"leaderboard total {page['total']}, duplicates {duplicates}")
        lb_total = page["total"]
        # The first flush after a restart rewrites every row the replay rebuilt; let it finish.
        for _ in range(3000):
            if app.metrics().get("reach_store_pending_batches") == 0:
                break
            time.sleep(0.2)
    finally:
        rc = app.stop(timeout=600)
    r.check(rc == 0, f"clean stop: {rc}")
    compare(r, ref, crash, ["users", "posts", "cascades"], "after kill -9 and restart")
    ref_top = rows(ref, "SELECT COUNT(*) FROM scores WHERE win = 'all'")[0][0]
    r.check(repr(lb_total) == ref_top, f"leaderboard size {lb_total} equals the reference's {ref_top}")
    counts = ("SELECT user_id, posts, reshares, quotes, replies, likes, mentions, depth FROM scores "
              "WHERE win = 'all' ORDER BY user_id")
    ref_rows, crash_rows = rows(ref, counts), rows(crash, counts)
    differing = [a for a, b in zip(ref_rows, crash_rows) if a != b]
    r.check(len(ref_rows) == len(crash_rows) and not differing,
            f"every all-time leaderboard row has the reference's counts ({len(ref_rows)} rows; "
            f"first differences: {differing[:3]})")
    return r.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
