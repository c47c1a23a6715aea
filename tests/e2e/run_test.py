#!/usr/bin/python3
"""End-to-end tests of `reach run` as a user runs it: a real process, a real SQLite file, real HTTP.

usage: run_test.py REACH_BINARY
"""
import json
import os
import re
import shutil
import signal
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from harness import Reach, Results  # noqa: E402

T0 = 1_600_000_000  # 2020-09-13


def created_at(sec):
    return time.strftime("%a %b %d %H:%M:%S +0000 %Y", time.gmtime(sec))


def tweet(i, user, sec, retweet_of=None):
    t = {"created_at": created_at(sec), "id_str": str(i), "id": i, "text": f"post {i} #reach",
         "user": {"id_str": str(user), "id": user, "screen_name": f"user{user}", "name": f"User {user}",
                  "followers_count": user * 10, "friends_count": 1, "statuses_count": 1,
                  "created_at": created_at(T0 - 86400)},
         "entities": {"hashtags": [{"text": "reach"}], "user_mentions": [], "urls": []},
         "favorite_count": 0, "retweet_count": 0}
    if retweet_of:
        t["retweeted_status"] = retweet_of
        t["text"] = "RT " + retweet_of["text"]
    return t


def write_lines(path, lines):
    with open(path, "wb") as f:
        for line in lines:
            f.write(line if isinstance(line, bytes) else line.encode())
            f.write(b"\n")


def test_malformed_lines_are_counted_and_good_lines_count(binary, r):
    original = tweet(100, 1, T0)
    good = [json.dumps(original)] + [json.dumps(tweet(200 + k, 10 + k, T0 + 60 + k, original))
                                     for k in range(5)]
    bad = {
        "malformed_json": json.dumps(original)[:-20],
        "invalid_utf8": json.dumps(tweet(300, 3, T0)).encode().replace(b"post 300", b"post \xff\xfe"),
        "wrong_type": json.dumps(tweet(301, 3, T0)).replace('"id_str": "301"', '"id_str": {"x": 1}'),
        "missing_field": json.dumps({k: v for k, v in tweet(302, 3, T0).items() if k != "user"}),
        "bad_timestamp": json.dumps(tweet(303, 3, T0)).replace(created_at(T0), "yesterday"),
        "unknown_format": json.dumps({"hello": "world"}),
        "too_deep": "[" * 5000 + "]" * 5000,
        "too_large": '{"text": "' + "x" * (10 * 1024 * 1024) + '"}',
    }
    lines = []
    for i, g in enumerate(good):
        lines.append(g)
        lines.append(list(bad.values())[i % len(bad)] if i < len(bad) else "")
    lines += list(bad.values())[len(good):]
    src = os.path.join(os.path.dirname(binary), "e2e-malformed.jsonl")
    write_lines(src, lines)
    reach = Reach(binary, ["--source", src, "--store", "none"])
    try:
        m = reach.wait_ingested(len(lines) - lines.count(""))
        for reason in bad:
            got = m.get(f'reach_ingest_rejected_total{{reason="{reason}"}}')
            r.check(got == 1, f"rejected[{reason}] == 1 (got {got})")
        r.check(m.get("reach_ingest_accepted_total") == len(good),
                f"accepted == {len(good)} (got {m.get('reach_ingest_accepted_total')})")
        status, board = reach.get_json("/api/influencers?window=all&limit=10")
        top = board["items"][0] if board["items"] else {}
        r.check(top.get("user_id") == "1" and top.get("reshares") == 5,
                f"the original author leads with 5 reshares despite the bad lines: {top}")
        dead = [json.loads(l) for l in open(os.path.join(reach.tmp, "dead.ndjson"))]
        r.check(sorted(d["reason"] for d in dead) == sorted(bad),
                f"one dead-letter record per bad line: {[d['reason'] for d in dead]}")
        r.check(all(d["line"] >= 1 and d["source"] == src for d in dead),
                "dead-letter records carry the source position")
    finally:
        r.check(reach.stop() == 0, "clean exit")
        os.remove(src)


def test_bad_api_parameters(binary, r):
    sample = os.path.join(os.path.dirname(binary), "data", "sample", "twitter_v1_sample.jsonl")
    reach = Reach(binary, ["--source", sample, "--store", "none"])
    try:
        reach.wait_ingested(546)
        cases = [("/api/influencers?window=2h", "window"), ("/api/influencers?limit=0", "limit"),
                 ("/api/influencers?limit=abc", "limit"), ("/api/influencers?offset=-1", "offset"),
                 ("/api/influencers?colour=red", "colour"),
                 ("/api/influencers?limit=5&limit=6", "limit"), ("/api/users/abc", "id")]
        for path, param in cases:
            status, body = reach.get_json(path)
            err = body.get("error", {})
            r.check(status == 400 and err.get("parameter") == param,
                    f"{path} -> 400 naming '{param}' (got {status} {body})")
        status, body = reach.get_json("/api/users/1")
        r.check(status == 404, f"unknown user -> 404 (got {status})")
        status, board = reach.get_json("/api/influencers?window=all&limit=3")
        r.check(status == 200 and len(board["items"]) == 3 and board["total"] > 300,
                f"leaderboard pages ({status}, total {board.get('total')})")
        keys = {"user_id", "handle", "followers", "reshares", "likes", "depth", "score", "components"}
        r.check(keys <= set(board["items"][0]), f"row has {keys}: {sorted(board['items'][0])}")
        scores = [it["score"] for it in board["items"]]
        r.check(scores == sorted(scores, reverse=True), "sorted by score")
        uid = board["items"][0]["user_id"]
        status, user = reach.get_json(f"/api/users/{uid}")
        r.check(status == 200 and user["windows"]["all"]["rank"] == 1, f"profile of the leader: {status}")
        # The engagement graph: PageRank on every row, communities, the network for drawing.
        r.check(board["items"][0]["pagerank"] > 0 and "community" in board["items"][0],
                f"rows carry pagerank and community: {board['items'][0]}")
        deadline = time.time() + 10
        status, comm = reach.get_json("/api/communities?limit=5")
        while status != 200 and time.time() < deadline:
            time.sleep(0.2)
            status, comm = reach.get_json("/api/communities?limit=5")
        r.check(status == 200 and comm["nodes"] > 100 and 0 < len(comm["communities"]) <= 5
                and comm["communities"][0]["leading"], f"/api/communities: {status} {str(comm)[:300]}")
        status, net = reach.get_json("/api/network?limit=50")
        ids = {n["user_id"] for n in net.get("nodes", [])}
        r.check(status == 200 and 0 < len(ids) <= 50 and net["edges"]
                and all(e["from"] in ids and e["to"] in ids for e in net["edges"]),
                f"/api/network: nodes and the edges among them ({status})")
        status, body = reach.get_json("/api/network?limit=0")
        r.check(status == 400 and body["error"]["parameter"] == "limit", "network limit validated")
        status, _, body = reach.get("/")
        r.check(status == 200 and b"<title>Reach" in body, "dashboard served at /")
        status, health = reach.get_json("/healthz")
        r.check(status == 200 and health.get("status") == "ok", "healthz")
    finally:
        r.check(reach.stop() == 0, "clean exit")


def test_sigterm_during_ingest_loses_nothing(binary, r):
    n = 400_000
    src = os.path.join(os.path.dirname(binary), "e2e-big.jsonl")
    with open(src, "w") as f:
        for i in range(n):
            f.write(json.dumps(tweet(10_000 + i, 1 + i % 5000, T0 + i)) + "\n")
    db = os.path.join(os.path.dirname(binary), "e2e-sigterm.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    # The raw archive beside the store (docs/archive.md) holds an earlier run's records, which a
    # new run would replay first.
    shutil.rmtree(db[:-len(".db")] + "-archive", ignore_errors=True)
    reach = Reach(binary, ["--source", src, "--store", db, "--flush-interval", "1s"])
    try:
        while reach.metrics().get("reach_ingest_records_total", 0) < 20_000:
            time.sleep(0.01)
        reach.proc.send_signal(signal.SIGTERM)
        rc = reach.proc.wait(timeout=120)
        r.check(rc == 0, f"exit 0 after SIGTERM (got {rc})")
        log = reach.read_log()
        m = re.search(r"reach: (\d+) records, (\d+) accepted", log)
        r.check(m is not None, "exit summary printed")
        accepted = int(m.group(2)) if m else -1
        r.check(0 < accepted < n, f"SIGTERM arrived during ingest ({accepted} of {n} accepted)")
        con = sqlite3.connect(db)
        stored = con.execute("SELECT COUNT(*) FROM posts").fetchone()[0]
        users = con.execute("SELECT COUNT(*) FROM users").fetchone()[0]
        con.close()
        r.check(stored == accepted, f"every accepted post is stored ({stored} stored, {accepted} accepted)")
        r.check(users == min(5000, accepted), f"users stored: {users}")
    finally:
        reach.stop()
        os.remove(src)


def main():
    binary = os.path.abspath(sys.argv[1])
    r = Results()
    for test in (test_malformed_lines_are_counted_and_good_lines_count, test_bad_api_parameters,
                 test_sigterm_during_ingest_loses_nothing):
        print("==", test.__name__)
        before = r.failed
        test(binary, r)
        print("   ", "ok" if r.failed == before else "FAILED")
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
