#!/usr/bin/python3
"""Acceptance tests of cascade trees, end to end through `reach run` and the HTTP API.

- Weibo cascades (full retweet paths): every cascade's size, depth, max breadth, structural
  virality, growth times, and every node's parent and depth equal the naive reference computation
  (tests/reference/cascades_reference.py: all-pairs breadth-first search).
- SEISMIC cascades: sizes and growth curves (every node's time, with its follower count) equal the
  files'.
- --follow-graph: a retweet's parent is inferred as the most recent earlier retweeter it follows.
- Simulated Bluesky world with ground truth (`reach simulate --follows`): reposts with `via` get
  their true parents exactly; with `via` removed, parents inferred from the follow events recover
  most true parents of reshares below depth 1.

usage: cascades_test.py REACH_BINARY SHARED_DATA_DIR
"""
import bisect
import calendar
import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "reference"))
from harness import Reach, Results  # noqa: E402
import cascades_reference as ref  # noqa: E402


def iso_seconds(text):
    """'2016-06-01T00:00:03.000Z' -> Unix seconds (float)."""
    base, frac = text.rstrip("Z").split(".")
    return calendar.timegm(time.strptime(base, "%Y-%m-%dT%H:%M:%S")) + int(frac) / 1000


def fetch_all(reach, paths):
    """GETs the paths concurrently (questions to the engine thread are answered in batches)."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(reach.get_json, paths))


def check_weibo(binary, data, r):
    path = os.path.join(data, "cascades-weibo", "weibo_sample_dataset.txt")
    expected = ref.weibo_reference(path)
    reach = Reach(binary, ["--format", "weibo-cascades", "--source", path, "--store", "none"])
    try:
        reach.wait_ingested(len(expected))
        for root, m in sorted(expected.items()):
            status, c = reach.get_json(f"/api/cascades/{root}?limit=100000")
            r.check(status == 200, f"weibo {root}: status {status} {c}")
            if status != 200:
                continue
            for key in ("size", "depth", "max_breadth", "t50_seconds", "t90_seconds"):
                r.check(c[key] == m[key], f"weibo {root} {key}: {c[key]} != {m[key]}")
            r.check(abs(c["structural_virality"] - m["structural_virality"]) < 1e-9,
                    f"weibo {root} structural virality {c['structural_virality']} != "
                    f"{m['structural_virality']}")
            r.check(c["methods"] == {"exact": m["size"] - 1, "inferred_follow": 0, "root": 0},
                    f"weibo {root} methods {c['methods']}")
            r.check(not c["truncated"] and len(c["nodes"]) == m["size"], f"weibo {root} nodes")
            parents = {int(n["post"]): n["parent"] for n in c["nodes"]}
            wrong = [p for p, par in m["parents"].items() if parents.get(p) != str(par)]
            r.check(not wrong, f"weibo {root}: {len(wrong)} nodes with another parent, e.g. "
                               f"{wrong[:3]}")
            depths = {int(n["post"]): n["depth"] for n in c["nodes"]}
            r.check(depths == m["depths"], f"weibo {root}: node depths differ")
        # A reshare answers with its root's cascade; unknown posts are 404.
        root, m = max(expected.items(), key=lambda kv: kv[1]["size"])
        some = next(iter(m["parents"]))
        status, c = reach.get_json(f"/api/cascades/{some}?limit=0")
        r.check(status == 200 and c["root"] == str(root) and not c["requested_is_root"]
                and c["nodes"] == [] and c["truncated"], f"weibo non-root request {status}")
        status, _ = reach.get_json("/api/cascades/12345")
        r.check(status == 404, f"unknown post: {status}")
        status, u = reach.get_json(f"/api/users/{m['root_user']}/cascades?limit=5")
        r.check(status == 200 and u["largest"] and u["largest"][0]["root"] == str(root)
                and u["largest"][0]["size"] == m["size"], f"user cascades {status} {u}")
        deepest = max(v["depth"] for v in expected.values())
        print(f"weibo: {len(expected)} cascades, {sum(v['size'] for v in expected.values())} "
              f"nodes, max depth {deepest}")
    finally:
        reach.stop()


def check_seismic(binary, data, r):
    directory = os.path.join(data, "cascades-seismic", "data", "training")
    expected = ref.seismic_reference(directory)
    records = 0
    for name in os.listdir(directory):
        with open(os.path.join(directory, name)) as f:
            records += sum(1 for ln in f if ln.strip())
    reach = Reach(binary, ["--format", "seismic", "--source", directory, "--store", "none"])
    try:
        reach.wait_ingested(records, timeout=120)
        answers = fetch_all(reach, [f"/api/cascades/{root}?limit=100000"
                                    for root, _, _, _ in expected])
        for (root, size, rows, name), (status, c) in zip(expected, answers):
            r.check(status == 200, f"seismic {name}: status {status}")
            if status != 200:
                continue
            r.check(c["size"] == size and len(c["nodes"]) == size,
                    f"seismic {name}: size {c['size']} != {size}")
            t0 = iso_seconds(c["started"])
            got = sorted((round(iso_seconds(n["time"]) - t0), n["followers"]) for n in c["nodes"])
            r.check(got == rows, f"seismic {name}: growth curve differs")
            # The growth curve as cumulative counts per hour, and the growth times.
            horizon = rows[-1][0] // 3600 + 1
            times, got_times = [t for t, _ in rows], [t for t, _ in got]
            curve = [bisect.bisect_left(times, h * 3600) for h in range(1, horizon + 1)]
            got_curve = [bisect.bisect_left(got_times, h * 3600) for h in range(1, horizon + 1)]
            r.check(got_curve == curve, f"seismic {name}: hourly curve differs")
            times = [t for t, _ in rows]
            for q, key in ((0.5, "t50_seconds"), (0.9, "t90_seconds")):
                k = min(max(-(-size * q // 1), 1), size)
                r.check(c[key] == times[int(k) - 1], f"seismic {name} {key}")
        print(f"seismic: {len(expected)} cascades, {sum(s for _, s, _, _ in expected)} nodes")
    finally:
        reach.stop()


def v1_tweet(i, user, sec, retweet_of=None):
    created = time.strftime("%a %b %d %H:%M:%S +0000 %Y", time.gmtime(sec))
    t = {"created_at": created, "id_str": str(i), "id": i, "text": f"post {i}",
         "user": {"id_str": str(user), "id": user, "screen_name": f"u{user}", "name": f"U{user}",
                  "followers_count": 10, "friends_count": 1, "statuses_count": 1,
                  "created_at": created},
         "entities": {"hashtags": [], "user_mentions": [], "urls": []},
         "favorite_count": 0, "retweet_count": 0}
    if retweet_of is not None:
        t["retweeted_status"] = retweet_of
        t["text"] = "RT " + retweet_of["text"]
    return t


def check_follow_graph(binary, r):
    tmp = tempfile.mkdtemp(prefix="reach-cascades-")
    t0 = 1_600_000_000
    original = v1_tweet(100, 1, t0)
    tweets = [original, v1_tweet(101, 2, t0 + 10, original), v1_tweet(102, 3, t0 + 20, original),
              v1_tweet(103, 4, t0 + 30, original)]
    source = os.path.join(tmp, "tweets.jsonl")
    with open(source, "w") as f:
        for t in tweets:
            f.write(json.dumps(t) + "\n")
    follows = os.path.join(tmp, "follows.txt")
    with open(follows, "w") as f:
        f.write("# follower followee\n4 2\n3 1\n")
    reach = Reach(binary, ["--source", source, "--store", "none", "--follow-graph", follows])
    try:
        reach.wait_ingested(len(tweets))
        status, c = reach.get_json("/api/cascades/103")
        r.check(status == 200, f"follow graph cascade: {status}")
        nodes = {n["post"]: n for n in c.get("nodes", [])}
        r.check(nodes.get("103", {}).get("parent") == "101"
                and nodes["103"]["method"] == "inferred_follow" and nodes["103"]["depth"] == 2,
                f"user 4 follows user 2: {nodes.get('103')}")
        r.check(nodes.get("102", {}).get("parent") == "100" and nodes["102"]["method"] == "root",
                f"user 3 follows only the author: {nodes.get('102')}")
        r.check(c.get("methods") == {"exact": 0, "inferred_follow": 1, "root": 2} and
                c.get("depth") == 2, f"methods {c.get('methods')}")
        r.check("follow graph" in reach.read_log() and "2 distinct" in reach.read_log(),
                "the log reports the follow graph")
    finally:
        reach.stop()
    bad = subprocess.run([binary, "run", "--source", source, "--store", "none", "--exit-when-done",
                          "--follow-graph", os.path.join(tmp, "missing.txt")],
                         capture_output=True, text=True, cwd=tmp, timeout=60)
    r.check(bad.returncode != 0 and "missing.txt" in bad.stderr + bad.stdout,
            f"a missing follow graph is an error: {bad.returncode}")


def simulated_accuracy(binary, world, posts, roots):
    """Runs reach on a Jetstream world; returns {method: [edges, true parent, true depth]}."""
    reach = Reach(binary, ["--source", world, "--store", "none", "--format", "bluesky-jetstream"])
    try:
        with open(world) as f:
            reach.wait_ingested(sum(1 for _ in f), timeout=120)
        got = {}
        for status, c in fetch_all(reach, [f"/api/cascades/{root}?limit=100000" for root in roots]):
            if status == 200:
                for node in c["nodes"]:
                    got[int(node["post"])] = node
    finally:
        reach.stop()
    stats = {}
    for pid, t in posts.items():
        if t["kind"] != "reshare":
            continue
        node = got.get(pid)
        s = stats.setdefault(node["method"] if node else "missing", [0, 0, 0])
        s[0] += 1
        s[1] += node is not None and node["parent"] == str(t["true_parent_id"])
        s[2] += node is not None and node["depth"] == t["depth"]
    return stats


def check_simulated_inference(binary, r):
    tmp = tempfile.mkdtemp(prefix="reach-cascades-sim-")
    world = os.path.join(tmp, "world.ndjson")
    truth_path = os.path.join(tmp, "truth.ndjson")
    subprocess.run([binary, "simulate", "--format", "jetstream", "--follows", "--seed", "1",
                    "--users", "1000", "--posts", "6000", "--out", world, "--truth", truth_path],
                   check=True, capture_output=True, timeout=120)
    with open(truth_path) as f:
        posts = {t["post_id"]: t for t in map(json.loads, f) if t.get("type") == "post"}
    roots = {t["root_id"] for t in posts.values() if t["kind"] in ("reshare", "quote")}
    deep = sum(1 for t in posts.values() if t["kind"] == "reshare" and t["depth"] > 1)
    r.check(deep >= 20, f"the simulated world has reshares below depth 1: {deep}")
    # With `via`: every repost of a repost names its parent exactly.
    exact = simulated_accuracy(binary, world, posts, roots)
    print("simulated, with via:", exact)
    e = exact.get("exact", [0, 0, 0])
    r.check(e[0] >= 0.8 * deep and e[1] == e[0] and e[2] == e[0],
            f"exact parents equal the truth: {e} of {deep}")
    # Without `via`, parents are inferred from the follow events.
    stripped = os.path.join(tmp, "novia.ndjson")
    with open(world) as f, open(stripped, "w") as g:
        for line in f:
            ev = json.loads(line)
            commit = ev.get("commit", {})
            if commit.get("collection") == "app.bsky.feed.repost":
                commit["record"].pop("via", None)
            g.write(json.dumps(ev) + "\n")
    inferred = simulated_accuracy(binary, stripped, posts, roots)
    print("simulated, via removed:", inferred)
    i = inferred.get("inferred_follow", [0, 0, 0])
    root = inferred.get("root", [0, 0, 0])
    r.check("exact" not in inferred, "no exact reposts without via")
    r.check(i[1] >= 0.8 * i[0], f"inferred parents mostly true: {i}")
    r.check(i[1] >= 0.8 * deep, f"most deep reshares recovered: {i[1]} of {deep}")
    r.check(root[1] >= 0.95 * root[0], f"root fallbacks mostly true: {root}")


def main():
    binary = os.path.abspath(sys.argv[1])
    data = os.path.abspath(sys.argv[2])
    r = Results()
    check_weibo(binary, data, r)
    check_seismic(binary, data, r)
    check_follow_graph(binary, r)
    check_simulated_inference(binary, r)
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
