#!/usr/bin/python3
"""End-to-end tests of `reach run --source sim:...`: the in-process simulated world feeding the real
decoder, engine, store and API.

usage: sim_source_test.py REACH_BINARY
"""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from harness import Reach, Results  # noqa: E402


def test_live_world_fills_the_api(binary, r):
    """A paced, endless world: the API has a moving leaderboard within seconds."""
    rate = 1000
    reach = Reach(binary, ["--source", f"sim:users=3000,seed=5,rate={rate}/s", "--store", "none"])
    try:
        board, first = None, None
        deadline = time.time() + 60
        while time.time() < deadline:
            status, board = reach.get_json("/api/influencers?window=15m&limit=5")
            if status == 200 and board["items"] and any(i["reshares"] > 0 for i in board["items"]):
                break
            time.sleep(0.2)
        r.check(board is not None and len(board["items"]) == 5,
                f"the 15m leaderboard has rows: {board and board.get('items')}")
        r.check(any(i["reshares"] > 0 for i in board["items"]),
                "simulated cascades show up as reshares on the leaderboard")
        m1, t1 = reach.metrics(), time.time()
        time.sleep(2.0)
        m2, t2 = reach.metrics(), time.time()
        got = m2["reach_ingest_records_total"] - m1["reach_ingest_records_total"]
        # Paced: never faster than the rate (a slow sanitizer build may fall behind it).
        r.check(0 < got <= 1.2 * rate * (t2 - t1) + 200,
                f"records keep arriving, no faster than the paced rate ({got} in {t2 - t1:.2f} s "
                f"at {rate}/s)")
        r.check(m2.get("reach_ingest_accepted_total") == m2.get("reach_ingest_records_total"),
                "every simulated line decodes as Twitter v1.1")
        status, board2 = reach.get_json("/api/influencers?window=15m&limit=5")
        r.check(board2["total"] > board["total"], f"the leaderboard grows ({board['total']} -> "
                f"{board2['total']} accounts)")
        # The world's timestamps follow the wall clock (start=now): as_of is within a minute of now.
        as_of = time.mktime(time.strptime(board2["as_of"][:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone
        r.check(abs(as_of - time.time()) < 60, f"as_of {board2['as_of']} is about now")
    finally:
        code = reach.stop()
    r.check(code == 0, f"SIGTERM stops an endless simulated source cleanly (exit {code})")


def test_finite_world_matches_its_ground_truth(binary, r):
    """A finite world as fast as possible, stored, then exits: every simulated post is stored and
    every reshare hangs under the post its line shows."""
    tmp = tempfile.mkdtemp(prefix="reach-e2e-sim-")
    truth, db = os.path.join(tmp, "truth.ndjson"), os.path.join(tmp, "sim.db")
    source = f"sim:users=1000,posts=5000,rate=0,seed=11,start=1672531200,truth={truth}"
    p = subprocess.run([binary, "run", "--source", source, "--store", db, "--exit-when-done",
                        "--dead-letter", os.path.join(tmp, "dead.ndjson")],
                       capture_output=True, text=True, timeout=120, cwd=tmp)
    r.check(p.returncode == 0, f"reach run exits 0: {p.stderr[-500:]}")
    posts = [json.loads(l) for l in open(truth) if '"type":"post"' in l]
    r.check(len(posts) == 5000, f"the ground truth has the 5000 posts ({len(posts)})")
    con = sqlite3.connect(db)
    stored = {row[0]: row[1:] for row in con.execute("SELECT post_id, kind, parent_id FROM posts")}
    r.check(len(stored) == len(posts), f"every simulated post is stored ({len(stored)})")
    wrong = [p for p in posts if p["post_id"] not in stored or stored[p["post_id"]][0] != p["kind"]]
    r.check(not wrong, f"kinds match the truth ({len(wrong)} differ, e.g. {wrong[:1]})")
    reshares = [p for p in posts if p["kind"] == "reshare"]
    r.check(len(reshares) > 100, f"the world has cascades ({len(reshares)} reshares)")
    shown = [p for p in reshares if stored[p["post_id"]][1] == p["shown_parent_id"]]
    r.check(len(shown) == len(reshares),
            f"each reshare hangs under the post its line shows ({len(shown)}/{len(reshares)})")
    con.close()


def main():
    binary = os.path.abspath(sys.argv[1])
    r = Results()
    for test in (test_live_world_fills_the_api, test_finite_world_matches_its_ground_truth):
        print("==", test.__name__)
        test(binary, r)
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
