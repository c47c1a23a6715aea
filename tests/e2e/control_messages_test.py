#!/usr/bin/python3
"""End-to-end test of the Twitter v1.1 stream's control messages through `reach run`: scrub_geo
moves earlier posts out of their tagged country, user_withheld and status_withheld mark accounts
and posts (and take a withheld account out of that country's ranking), and limit notices add up
to the coverage gap in /metrics across a reconnect.

usage: control_messages_test.py REACH_BINARY
"""
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from harness import Reach, Results  # noqa: E402

T0 = 1_600_000_000


def created_at(sec):
    return time.strftime("%a %b %d %H:%M:%S +0000 %Y", time.gmtime(sec))


def tweet(i, user, sec, location, place=None, retweeted=None):
    t = {"created_at": created_at(sec), "id_str": str(i), "id": i, "text": f"post {i}",
         "timestamp_ms": str(sec * 1000),
         "user": {"id_str": str(user), "id": user, "screen_name": f"u{user}", "name": f"U {user}",
                  "location": location, "followers_count": 10 * user, "friends_count": 1,
                  "statuses_count": 1, "created_at": created_at(T0 - 86400)},
         "entities": {"hashtags": [], "user_mentions": [], "urls": []}}
    if place:
        t["place"] = {"country_code": place[0], "full_name": place[1]}
    if retweeted:
        t["retweeted_status"] = retweeted
    return t


def eventually(check, timeout=15):
    """Polls check() until it returns a true value (returned) or the timeout (the last value)."""
    deadline = time.time() + timeout
    while True:
        value = check()
        if value or time.time() > deadline:
            return value
        time.sleep(0.1)


def main():
    binary = os.path.abspath(sys.argv[1])
    r = Results()
    reach = Reach(binary, ["--source", "-", "--store", "none", "--format", "twitter-v1"],
                  stdin=subprocess.PIPE)
    try:
        paris = ("FR", "Paris, France")
        original = tweet(5, 9, T0, "Madrid, Spain")
        lines = [
            original,
            tweet(10, 1, T0 + 10, "London, England", place=paris),
            tweet(11, 1, T0 + 20, "London, England", place=paris, retweeted=original),
            {"limit": {"track": 7, "timestamp_ms": str((T0 + 25) * 1000)}},
            tweet(20, 2, T0 + 30, "Berlin, Germany"),
            tweet(21, 3, T0 + 40, "Berlin, Germany"),
            tweet(30, 1, T0 + 50, "London, England", place=paris),
            {"limit": {"track": 19, "timestamp_ms": str((T0 + 55) * 1000)}},
            {"limit": {"track": 3, "timestamp_ms": str((T0 + 56) * 1000)}},  # a new connection
            {"scrub_geo": {"user_id": 1, "user_id_str": "1", "up_to_status_id": 15,
                           "up_to_status_id_str": "15"}},
            {"user_withheld": {"id": 3, "withheld_in_countries": ["DE"]}},
            {"status_withheld": {"id": 20, "user_id": 2, "withheld_in_countries": ["tr"]}},
            {"disconnect": {"code": 7, "stream_name": "x", "reason": "admin logout"}},
        ]
        for t in lines:
            reach.proc.stdin.write((json.dumps(t) + "\n").encode())
        reach.proc.stdin.flush()
        m = reach.wait_ingested(len(lines))
        r.check(m.get("reach_ingest_accepted_total") == len(lines), f"every line accepted: {m}")
        r.check(m.get("reach_ingest_undelivered_total") == 22,
                f"coverage gap 7 -> 19, then 3 on a new connection: 22 ({m.get('reach_ingest_undelivered_total')})")
        for kind, n in [("limit", 3), ("scrub_geo", 1), ("user_withheld", 1),
                        ("status_withheld", 1), ("disconnect", 1)]:
            got = m.get(f'reach_ingest_control_total{{kind="{kind}"}}')
            r.check(got == n, f"{kind} counted {n}: {got}")

        def geo():
            status, body = reach.get_json("/api/geo?window=24h")
            countries = {c["country"]: c["posts"] for c in body.get("countries", [])}
            return countries if countries.get("GB") == 2 else None
        countries = eventually(geo)
        r.check(countries == {"GB": 2, "FR": 1, "DE": 2, "ES": 1},
                f"posts 10 and 11 moved from FR to the profile's GB, 30 (after up_to) stays FR: {countries}")
        metrics = reach.metrics()
        r.check(metrics.get("reach_engine_geo_scrubbed_posts_total") == 2,
                f"two posts scrubbed: {metrics.get('reach_engine_geo_scrubbed_posts_total')}")
        r.check(metrics.get("reach_engine_withheld_users") == 1
                and metrics.get("reach_engine_withheld_posts") == 1,
                f"one account and one post withheld: {metrics.get('reach_engine_withheld_users')} "
                f"{metrics.get('reach_engine_withheld_posts')}")

        status, profile = reach.get_json("/api/users/3")
        r.check(status == 200 and profile.get("withheld_in") == ["DE"],
                f"the profile says where the account is withheld: {status} {profile.get('withheld_in')}")
        status, other = reach.get_json("/api/users/2")
        r.check(status == 200 and other.get("withheld_in") == [], f"others are not: {other.get('withheld_in')}")

        def germany():
            status, body = reach.get_json("/api/influencers?window=all&country=DE")
            return body if status == 200 and body.get("total") == 1 else None
        board = eventually(germany)
        r.check(board is not None and [row["user_id"] for row in board["items"]] == ["2"],
                f"the ranking for DE leaves out the account withheld there: {board}")
        status, tree = reach.get_json("/api/cascades/20")
        nodes = tree.get("nodes", [])
        r.check(status == 200 and nodes and nodes[0].get("withheld_in") == ["TR"],
                f"the withheld post is marked in its cascade: {status} {nodes}")
    finally:
        reach.proc.stdin.close()
        r.check(reach.stop() == 0, "clean exit")
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
