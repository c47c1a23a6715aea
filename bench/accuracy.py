#!/usr/bin/python3
"""Accuracy where the truth is known: Reach on a simulated world (`reach simulate`) against its
ground truth. Writes docs/accuracy.md (or --out) and prints it.

1. Ranking: Spearman correlation between each account's influence score (`/api/influencers`,
   window=all) and its true expected spread (the ground truth's Monte Carlo mean number of accounts
   a post by the user reaches under the simulation's own cascade model), beside a followers-only
   ranking (the "million follower fallacy" baseline), a reshares-only ranking and PageRank.
2. Parent inference: the share of reshares whose inferred parent is the true parent, with 0 %,
   50 % and 100 % of the follow edges known (`reach run --follow-graph FILE`). The 50 % and 100 %
   cases run only when `reach run --help` lists --follow-graph; the report says which ran.
   Parents come from `GET /api/cascades/{root_id}` (nodes [{"post","user","parent","method",
   "depth"}]) when the server has that route, else from the store's posts.parent_id.

usage: accuracy.py --reach BUILD/reach [--work DIR] [--out docs/accuracy.md] [--quick]
Standard library only.
"""
import argparse
import concurrent.futures
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


def log(msg):
    print(f"[accuracy {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def ranks(values):
    """Average ranks (1-based), ties sharing their mean rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    r = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return r


def pearson(x, y):
    n = len(x)
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    return sxy / (sxx * syy) ** 0.5 if sxx > 0 and syy > 0 else float("nan")


def spearman(x, y):
    return pearson(ranks(x), ranks(y))


def top_overlap(score, truth, k):
    """Share of the true top k (by expected spread) in the top k by score."""
    top_true = set(sorted(range(len(truth)), key=lambda i: -truth[i])[:k])
    top_score = set(sorted(range(len(score)), key=lambda i: -score[i])[:k])
    return len(top_true & top_score) / k


class Server:
    def __init__(self, reach, args, tmp):
        self.log_path = os.path.join(tmp, "reach.log")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [reach, "run", "--listen", "127.0.0.1:0", "--dead-letter",
             os.path.join(tmp, "dead.ndjson")] + args, stdout=self.log, stderr=subprocess.STDOUT,
            cwd=tmp)
        deadline = time.time() + 120
        self.port = None
        while self.port is None:
            m = re.search(r"serving on http://127\.0\.0\.1:(\d+)", open(self.log_path).read())
            if m:
                self.port = int(m.group(1))
            elif self.proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("reach did not start:\n" + open(self.log_path).read()[-2000:])
            else:
                time.sleep(0.05)

    def get(self, path):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=30) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def metrics(self):
        _, body = self.get("/metrics")
        out = {}
        for line in body.decode().splitlines():
            if line and not line.startswith("#"):
                k, v = line.rsplit(" ", 1)
                out[k] = float(v)
        return out

    def wait_ingested(self, records):
        deadline = time.time() + 900
        while time.time() < deadline:
            m = self.metrics()
            if (m.get("reach_ingest_records_total") == records
                    and m.get("reach_engine_events_applied_total") == m.get("reach_ingest_events_total")
                    and m.get("reach_ingest_queue_batches") == 0):
                time.sleep(1.0)  # the next publish carries the last events
                return m
            time.sleep(0.2)
        raise RuntimeError("ingest did not finish")

    def all_rows(self):
        rows, offset = [], 0
        while True:
            _, body = self.get(f"/api/influencers?window=all&limit=1000&offset={offset}")
            page = json.loads(body)
            rows += page["items"]
            offset += len(page["items"])
            if offset >= page["total"] or not page["items"]:
                return rows

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=300)
        self.log.close()


def read_truth(path):
    posts, users = [], {}
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            if r["type"] == "post":
                posts.append(r)
            else:
                users[r["user_id"]] = r
    return posts, users


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reach", required=True)
    ap.add_argument("--work", default=tempfile.mkdtemp(prefix="reach-accuracy-"))
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "accuracy.md"))
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--users", type=int)
    ap.add_argument("--posts", type=int)
    ap.add_argument("--runs", type=int, help="Monte Carlo runs per user")
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args()
    args.reach = os.path.abspath(args.reach)
    args.work = os.path.abspath(args.work)
    users = args.users or (2000 if args.quick else 10000)
    posts = args.posts or (30000 if args.quick else 200000)
    runs = args.runs or (50 if args.quick else 200)
    os.makedirs(args.work, exist_ok=True)
    world = os.path.join(args.work, "world.jsonl")
    truth_path = os.path.join(args.work, "truth.ndjson")
    edges_path = os.path.join(args.work, "follows.txt")
    sim_cmd = [args.reach, "simulate", "--seed", str(args.seed), "--users", str(users), "--posts",
               str(posts), "--monte-carlo", str(runs), "--out", world, "--truth", truth_path,
               "--follow-edges", edges_path]
    log(" ".join(sim_cmd))
    sim = subprocess.run(sim_cmd, capture_output=True, text=True)
    if sim.returncode != 0:
        sys.exit("reach simulate failed: " + sim.stderr)
    truth_posts, truth_users = read_truth(truth_path)
    lines = sum(1 for _ in open(world, "rb"))
    edges = open(edges_path).read().splitlines()

    help_text = subprocess.run([args.reach, "run", "--help"], capture_output=True, text=True).stdout
    has_follow_graph = "--follow-graph" in help_text

    cases = []
    for share in (0.0, 0.5, 1.0):
        if share > 0 and not has_follow_graph:
            cases.append(dict(share=share, ran=False,
                              why="`reach run` has no --follow-graph option in this build"))
            continue
        tmp = tempfile.mkdtemp(dir=args.work, prefix=f"case{int(share * 100)}-")
        extra = []
        if share > 0:
            rng = random.Random(args.seed)
            known = [e for e in edges if rng.random() < share] if share < 1 else edges
            path = os.path.join(tmp, "known_follows.txt")
            with open(path, "w") as f:
                f.write("\n".join(known) + "\n")
            extra = ["--follow-graph", path]
        db = os.path.join(tmp, "acc.db")
        log(f"case {share:.0%}: reach run --source {world} {' '.join(extra)}")
        srv = Server(args.reach, ["--source", world, "--store", db] + extra, tmp)
        try:
            m = srv.wait_ingested(lines)
            rows = srv.all_rows()
            roots = sorted({p["root_id"] for p in truth_posts if p["kind"] in ("reshare", "quote")})
            inferred, methods, source = {}, {}, "api"
            status, _ = srv.get(f"/api/cascades/{roots[0]}") if roots else (404, b"")
            if status == 200:
                # Trees are answered on the engine thread between event batches; asking for
                # several at once lets it answer them together instead of one per wake-up.
                with concurrent.futures.ThreadPoolExecutor(16) as pool:
                    answers = list(pool.map(lambda r: srv.get(f"/api/cascades/{r}"), roots))
                for status, body in answers:
                    if status != 200:
                        continue
                    for n in json.loads(body).get("nodes", []):
                        if n.get("parent") not in (None, 0, "0", ""):
                            inferred[int(n["post"])] = int(n["parent"])
                            methods[n.get("method", "?")] = methods.get(n.get("method", "?"), 0) + 1
        finally:
            srv.stop()
        if not inferred:
            source = "store"
            con = sqlite3.connect(db)
            inferred = {pid: par for pid, par in con.execute(
                "SELECT post_id, parent_id FROM posts WHERE parent_id != 0")}
            con.close()
        rejected = m.get("reach_ingest_accepted_total") != m.get("reach_ingest_records_total")
        by_user = {int(r["user_id"]): r for r in rows}
        ids = sorted(truth_users)
        spread = [truth_users[u]["expected_spread"] for u in ids]
        score = [by_user[u]["score"] if u in by_user else 0.0 for u in ids]
        reshares = [by_user[u]["reshares"] if u in by_user else 0 for u in ids]
        pagerank = [by_user[u].get("pagerank", 0.0) if u in by_user else 0.0 for u in ids]
        followers = [truth_users[u]["followers"] for u in ids]
        adoptions = [p for p in truth_posts if p["kind"] == "reshare"]
        deep = [p for p in adoptions if p["depth"] >= 2]
        right = sum(1 for p in adoptions if inferred.get(p["post_id"]) == p["true_parent_id"])
        right_deep = sum(1 for p in deep if inferred.get(p["post_id"]) == p["true_parent_id"])
        cases.append(dict(
            share=share, ran=True, source=source, methods=methods, rejected=rejected,
            rows=len(rows), n_users=len(ids),
            rho_score=spearman(score, spread), rho_followers=spearman(followers, spread),
            rho_reshares=spearman(reshares, spread), rho_pagerank=spearman(pagerank, spread),
            top_score=top_overlap(score, spread, 100), top_followers=top_overlap(followers, spread, 100),
            top_reshares=top_overlap(reshares, spread, 100),
            reshares=len(adoptions), right=right, deep=len(deep), right_deep=right_deep,
            edges_known=len(edges) if share == 1 else (None if share == 0 else None)))

    n_orig = sum(1 for p in truth_posts if p["kind"] == "original")
    max_depth = max(p["depth"] for p in truth_posts)
    out = ["# Accuracy where the truth is known", "",
           "Recomputed by `make bench` (`bench/accuracy.py`, called from `bench/run_all.py`). "
           f"Generated {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.", "",
           "## The world", "",
           "```sh", " ".join(["reach"] + sim_cmd[1:]).replace(args.work + "/", ""), "```", "",
           f"{users:,} accounts, {len(edges):,} follow edges, {len(truth_posts):,} posts "
           f"({n_orig:,} originals, {sum(1 for p in truth_posts if p['kind'] == 'reshare'):,} "
           f"reshares, deepest cascade {max_depth}), as Twitter v1.1 lines ({lines:,}). The ground "
           f"truth gives each reshare's true parent and each account's expected spread: the mean, "
           f"over {runs} Monte Carlo cascades of the simulator's own independent cascade model, of "
           "the number of other accounts that adopt a post by the account (docs/simulator.md). "
           "Reach reads the lines with `reach run --source world.jsonl` and is asked through its "
           "API, like a user would.", ""]
    out += ["## Ranking against the true expected spread", "",
            "Spearman rank correlation over every account of the world (accounts Reach never saw "
            "score 0), and the share of the true top 100 found in each ranking's top 100:", "",
            "| follow edges known | Reach influence score | followers only | reshares only | "
            "PageRank | top-100 overlap: score / followers / reshares |", "|---|---|---|---|---|---|"]
    for c in cases:
        if c["ran"]:
            out.append(f"| {c['share']:.0%} | {c['rho_score']:.3f} | {c['rho_followers']:.3f} | "
                       f"{c['rho_reshares']:.3f} | {c['rho_pagerank']:.3f} | {c['top_score']:.0%} / "
                       f"{c['top_followers']:.0%} / {c['top_reshares']:.0%} |")
    out += ["", "Followers are the strongest single signal in this model by construction (a post "
            "can only spread through followers); the score's value is in combining them with the "
            "observed reshares, likes and depth.", ""]
    out += ["## Parent inference", "",
            "A v1.1 retweet of a retweet embeds only the original, so the true parent is not in the "
            "data; with follow edges known, the parent can be inferred as the most recent earlier "
            "adopter the resharer follows. Share of reshares whose inferred parent is the true one "
            "(and among reshares at true depth >= 2, where the root is not the parent):", "",
            "| follow edges known | ran | all reshares | depth >= 2 | parents read from |",
            "|---|---|---|---|---|"]
    for c in cases:
        if c["ran"]:
            out.append(f"| {c['share']:.0%} | yes | {c['right'] / max(1, c['reshares']):.1%} "
                       f"({c['right']:,} / {c['reshares']:,}) | "
                       f"{c['right_deep'] / max(1, c['deep']):.1%} ({c['right_deep']:,} / "
                       f"{c['deep']:,}) | {'`/api/cascades/{root}`' if c['source'] == 'api' else 'store posts.parent_id'}"
                       + (f", methods {c['methods']}" if c["methods"] else "") + " |")
        else:
            out.append(f"| {c['share']:.0%} | **not run**: {c['why']} | | | |")
    out += ["", "With 0 % known, Reach hangs every reshare under the original the line shows, which "
            "is right exactly for the reshares made directly from the original (depth 1). With "
            "follow edges known (`reach run --follow-graph FILE`, loaded before the first event; "
            "the edges come from `reach simulate --follow-edges`, one `FOLLOWER FOLLOWEE` pair per "
            "line, and the 50 % case keeps each edge with probability 0.5, seeded), a reshare hangs "
            "under the most recent earlier resharer of the same original that its account follows, "
            "and one placed before such an earlier resharer's post arrived (input out of order) is "
            "moved under it when it does. "
            "That is the true parent unless the account follows several earlier resharers and was "
            "reached through an older one, or the true parent's edge is among the unknown half.",
            ""]
    text = "\n".join(out)
    with open(args.out, "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
