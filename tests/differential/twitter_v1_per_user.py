#!/usr/bin/python3
"""Differential test: per-user reshares, likes and followers of a Twitter v1.1 file, computed here
independently with the standard library, against the all-time values `reach` serves.

Definitions (docs/metrics.md):
- reshares: distinct retweets of the user's posts (a self-retweet does not count);
- likes: for each distinct post of the user, the largest favorite_count seen on any copy of it;
- followers: followers_count of the newest observation of the user, where a user object embedded
  in a retweet or quote was observed when the outer tweet was made; equal times keep the larger.

usage: twitter_v1_per_user.py REACH_BINARY INPUT.jsonl
"""
import json
import os
import sys
from datetime import datetime

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e"))
from harness import Reach, Results  # noqa: E402


def tweet_time_us(t):
    if t.get("timestamp_ms"):
        return int(t["timestamp_ms"]) * 1000
    dt = datetime.strptime(t["created_at"], "%a %b %d %H:%M:%S %z %Y")
    return int(dt.timestamp()) * 1000000


def expected(path):
    posts = {}      # id -> {"author", "reshare_of", "likes"}
    users = {}      # id -> (observed_us, followers)

    def observe_user(u, observed):
        uid = u["id_str"]
        cur = users.get(uid)
        cand = (observed, u.get("followers_count", -1))
        if cur is None or cand > cur:
            users[uid] = cand

    def visit(t, outer_time):
        if "user" not in t or "created_at" not in t:
            return  # a trimmed embedded status: known only by its id
        pid = t["id_str"]
        author = t["user"]["id_str"]
        observe_user(t["user"], outer_time)
        p = posts.setdefault(pid, {"author": author, "reshare_of": None, "likes": 0})
        if "favorite_count" in t and t["favorite_count"] is not None:
            p["likes"] = max(p["likes"], t["favorite_count"])
        if t.get("retweeted_status"):
            rt = t["retweeted_status"]
            visit(rt, outer_time)
            p["reshare_of"] = rt["id_str"]
        if t.get("quoted_status") and not t.get("retweeted_status"):
            visit(t["quoted_status"], outer_time)

    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                t = json.loads(line)
                visit(t, tweet_time_us(t))

    reshares, likes = {}, {}
    for pid, p in posts.items():
        likes[p["author"]] = likes.get(p["author"], 0) + p["likes"]
        if p["reshare_of"]:
            orig = posts.get(p["reshare_of"])
            if orig and orig["author"] != p["author"]:
                reshares[orig["author"]] = reshares.get(orig["author"], 0) + 1
    followers = {uid: f for uid, (_, f) in users.items()}
    return reshares, likes, followers, sum(1 for _ in open(path))


def main():
    binary, source = sys.argv[1], sys.argv[2]
    reshares, likes, followers, lines = expected(source)
    r = Results()
    reach = Reach(binary, ["--source", source, "--store", "none"])
    try:
        reach.wait_ingested(lines)
        rows = reach.all_rows("all")
        served = {row["user_id"]: row for row in rows}
        r.check(len(served) == len(rows), "user ids are unique in the leaderboard")
        for uid, row in served.items():
            r.check(row["reshares"] == reshares.get(uid, 0),
                    f"user {uid} reshares: served {row['reshares']}, expected {reshares.get(uid, 0)}")
            r.check(row["likes"] == likes.get(uid, 0),
                    f"user {uid} likes: served {row['likes']}, expected {likes.get(uid, 0)}")
            r.check(row["followers"] == followers.get(uid, -1),
                    f"user {uid} followers: served {row['followers']}, expected {followers.get(uid, -1)}")
        # Every user the file gives credit to is on the board.
        for uid in set(reshares) | {u for u, v in likes.items() if v > 0}:
            r.check(uid in served, f"user {uid} with reshares/likes is missing from the board")
        r.check(sum(reshares.values()) > 100, "the fixture has retweets to compare")
        print(f"compared {len(served)} users; {sum(reshares.values())} reshares, "
              f"{sum(likes.values())} likes expected in total")
    finally:
        rc = reach.stop()
        r.check(rc == 0, f"reach exits cleanly on SIGTERM (exit {rc})")
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
