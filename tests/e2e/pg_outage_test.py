#!/usr/bin/python3
"""Outage: PostgreSQL stops for 30 s in the middle of ingest; Reach keeps ingesting, merges the
batches it cannot write (bounded, counted in /metrics), retries, and once the server is back every
accepted event's effect is in the database.

1. Generates a stream (originals, retweets, deletes) and runs it through `reach run` into a SQLite
   file at full speed: the reference tables.
2. Starts a throwaway PostgreSQL server and `reach run --source - --store postgres://...`, feeding
   stdin at a steady rate so that ingest lasts about 48 s; at 8 s it stops the server (fast
   shutdown: connections are cut), at 38 s starts it again on the same port.
3. Checks during the outage that ingest goes on and that the failures and merges are counted, then
   after recovery that users, posts, cascades, scores and the engine counters equal the reference
   run's, row for row.

usage: pg_outage_test.py REACH_BINARY
"""
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
sys.path.insert(0, os.path.dirname(__file__))
from harness import Results  # noqa: E402
from pg_cluster import PgCluster  # noqa: E402

T0 = 1_600_000_000
LINES = 19_200
RATE = 400           # lines per second: 48 s of ingest
OUTAGE_AT = 8.0      # seconds after the feed starts
OUTAGE_FOR = 30.0

COMPARED = {
    "users": "user_id, handle, followers, verified",
    "posts": "post_id, kind, author_id, time_us, root_id, depth",
    "cascades": "root_id, author_id, size, depth, max_breadth, last_activity_us",
    "scores": "win, user_id, rank, reshares, likes, followers",
}
STATE_SQL = "SELECT key, value FROM engine_state WHERE key LIKE 'stats.%'"


def created_at(sec):
    return time.strftime("%a %b %d %H:%M:%S +0000 %Y", time.gmtime(sec))


def user(uid):
    return {"id_str": str(uid), "id": uid, "screen_name": f"user{uid}", "name": f"User {uid}",
            "followers_count": uid * 7 % 10_000, "friends_count": 1, "statuses_count": 1,
            "created_at": created_at(T0 - 86_400)}


def generate():
    rng = random.Random(7)
    lines, originals = [], []
    for i in range(LINES):
        sec = T0 + i
        if i % 97 == 96 and originals:
            victim = originals.pop(rng.randrange(len(originals)))
            lines.append(json.dumps({"delete": {"status": {
                "id": victim["id"], "id_str": victim["id_str"], "user_id": victim["user"]["id"],
                "user_id_str": victim["user"]["id_str"]}, "timestamp_ms": str(sec * 1000)}}))
        elif i % 5 == 0 or not originals:
            t = {"created_at": created_at(sec), "id_str": str(10_000_000 + i), "id": 10_000_000 + i,
                 "text": f"post {i}", "user": user(rng.randint(1, 600)),
                 "entities": {"hashtags": [], "user_mentions": [], "urls": []},
                 "favorite_count": rng.randint(0, 5), "retweet_count": 0}
            originals.append(t)
            lines.append(json.dumps(t))
        else:
            parent = rng.choice(originals[-400:])
            t = {"created_at": created_at(sec), "id_str": str(10_000_000 + i), "id": 10_000_000 + i,
                 "text": "RT " + parent["text"], "user": user(rng.randint(1, 4000)),
                 "entities": {"hashtags": [], "user_mentions": [], "urls": []},
                 "favorite_count": 0, "retweet_count": 0, "retweeted_status": parent}
            lines.append(json.dumps(t))
    return [l + "\n" for l in lines]


def metrics(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as r:
        out = {}
        for line in r.read().decode().splitlines():
            if line and not line.startswith("#"):
                name, value = line.rsplit(" ", 1)
                out[name] = float(value)
        return out


def wait_port(log_path, proc, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        with open(log_path) as f:
            m = re.search(r"serving on http://127\.0\.0\.1:(\d+)", f.read())
        if m:
            return int(m.group(1))
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    with open(log_path) as f:
        raise RuntimeError("reach did not start:\n" + f.read()[-3000:])


def text(v):
    if isinstance(v, float):
        r = repr(v)
        return r[:-2] if r.endswith(".0") else r
    return "" if v is None else str(v)


def sqlite_rows(path, sql):
    with sqlite3.connect(path) as db:
        return sorted(tuple(text(v) for v in row) for row in db.execute(sql))


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    binary = argv[1]
    r = Results()
    tmp = tempfile.mkdtemp(prefix="reach-pg-outage-")
    lines = generate()
    source = os.path.join(tmp, "stream.jsonl")
    with open(source, "w") as f:
        f.writelines(lines)

    # 1. Reference run, no outage.
    ref = os.path.join(tmp, "ref.db")
    out = subprocess.run([binary, "run", "--exit-when-done", "--source", source, "--store", ref,
                          "--dead-letter", os.path.join(tmp, "dead-ref.ndjson")],
                         capture_output=True, text=True, timeout=300)
    if out.returncode != 0:
        print(out.stderr[-3000:])
        return 1

    with PgCluster() as pg:
        url = pg.create_database("reach")
        log_path = os.path.join(tmp, "reach.log")
        log = open(log_path, "w")
        proc = subprocess.Popen([binary, "run", "--source", "-", "--store", url,
                                 "--flush-interval", "1s", "--listen", "127.0.0.1:0",
                                 "--dead-letter", os.path.join(tmp, "dead.ndjson")],
                                stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT)
        try:
            port = wait_port(log_path, proc)
            feed_error = []

            def feed():
                try:
                    start = time.time()
                    chunk = RATE // 10
                    for i in range(0, len(lines), chunk):
                        proc.stdin.write("".join(lines[i:i + chunk]).encode())
                        proc.stdin.flush()
                        time.sleep(max(0.0, start + (i + chunk) / RATE - time.time()))
                    proc.stdin.close()
                except Exception as e:  # reported below
                    feed_error.append(e)

            feeder = threading.Thread(target=feed)
            started = time.time()
            feeder.start()
            time.sleep(OUTAGE_AT)
            pg.stop()
            down_at = time.time()
            before = metrics(port)
            time.sleep(OUTAGE_FOR - 2)
            during = metrics(port)
            time.sleep(max(0.0, down_at + OUTAGE_FOR - time.time()))
            pg.start()
            print(f"server down {time.time() - down_at:.1f} s, from {down_at - started:.1f} s "
                  "after the feed started")
            r.check(during["reach_ingest_records_total"] > before["reach_ingest_records_total"]
                    + RATE * 10,
                    f"ingest went on during the outage: {before['reach_ingest_records_total']} "
                    f"-> {during['reach_ingest_records_total']}")
            r.check(during["reach_store_failures_total"] > 0,
                    f"failed writes counted: {during['reach_store_failures_total']}")
            r.check(during["reach_store_merged_batches_total"] >= 5,
                    f"waiting batches merged: {during['reach_store_merged_batches_total']}")
            r.check(during["reach_store_pending_batches"] <= 2,
                    f"at most the retried batch and one more wait: "
                    f"{during['reach_store_pending_batches']}")
            r.check(during["reach_store_pending_rows"] > 0,
                    f"pending rows reported: {during['reach_store_pending_rows']}")
            r.check(during["reach_store_buffer_full"] == 0, "buffer bound not reached")
            feeder.join(timeout=120)
            r.check(not feed_error, f"stdin feed: {feed_error}")
            r.check(time.time() - started > 40, f"ingest lasted {time.time() - started:.1f} s")
            deadline = time.time() + 120
            while time.time() < deadline:
                m = metrics(port)
                if (m["reach_ingest_records_total"] == len(lines)
                        and m["reach_engine_events_applied_total"] == m["reach_ingest_events_total"]
                        and m["reach_store_pending_batches"] == 0):
                    break
                time.sleep(0.5)
            proc.send_signal(signal.SIGTERM)
            rc = proc.wait(timeout=120)
            r.check(rc == 0, f"reach exited cleanly ({rc})")
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            log.close()

        for table, columns in COMPARED.items():
            sql = f"SELECT {columns} FROM {table}"
            want = sqlite_rows(ref, sql)
            got = sorted(tuple(row) for row in pg.query("reach", sql))
            r.check(len(want) > 0, f"{table}: reference has rows")
            r.check(len(got) == len(want), f"{table}: {len(got)} rows after the outage, "
                    f"{len(want)} without")
            r.check(got == want, f"{table}: same rows as without the outage "
                    f"(first difference: {next((a, b) for a, b in zip(got, want) if a != b) if got != want and len(got) == len(want) else '-'})")
        want_state = sqlite_rows(ref, STATE_SQL)
        got_state = sorted(tuple(row) for row in pg.query("reach", STATE_SQL))
        r.check(got_state == want_state, f"engine counters: {got_state} vs {want_state}")
    if r.failed:
        with open(log_path) as f:
            print(f.read()[-4000:])
    return r.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
