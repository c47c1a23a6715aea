#!/usr/bin/python3
"""`make bench`: every named workload of docs/benchmarks.md, each checking its result before it is
timed and each with its baseline in the same run, written as one Markdown report.

usage: bench/run_all.py [--build DIR] [--work DIR] [--out REPORT.md] [--only a,b] [--quick]
                        [--memory-full]

Workloads: ingest, peers, freshness, api, memory, graph, sentiment, accuracy. The report (default
build/bench/report.md) has one table per workload: command, machine, Reach, baseline, ratio,
target; a workload whose check fails says so and is not timed. Standard library plus Debian's
python3-pandas (the Python peer); PostgreSQL server binaries for the PostgreSQL peer (a throwaway
cluster, tests/support/pg_cluster.py); wrk for the API workload.
"""
import argparse
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
SHARED = os.path.abspath(os.path.join(ROOT, "..", "shared", "data"))
FIXTURE = os.path.join(SHARED, "twitter-v1", "all_fixture_tweets_v11.jsonl")
PY = "/usr/bin/python3"
sys.path.insert(0, os.path.join(ROOT, "tests", "support"))

SUMMARY_RE = re.compile(r"reach: (\d+) records, (\d+) accepted, (\d+) rejected.*?; (\d+) events; "
                        r"(\d+) users, (\d+) posts, (\d+) cascades; ([\d.]+) s")


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def fmt_int(x):
    return f"{x:,.0f}"


def count_lines(path):
    n = 0
    with open(path, "rb") as f:
        while True:
            b = f.read(1 << 24)
            if not b:
                return n
            n += b.count(b"\n")


class Failed(Exception):
    """A workload whose result check failed: reported, not timed."""


def run_with_rusage(cmd, stdin=None, cwd=None):
    """Runs cmd to completion; returns (wall seconds, peak RSS bytes, stdout, stderr, code).

    The peak RSS comes from /usr/bin/time, the command's parent: a child forked from this (possibly
    large) Python process would report this process's resident size as its own peak."""
    out_f, err_f = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    rss_f = tempfile.NamedTemporaryFile(mode="r", suffix=".rss")
    start = time.perf_counter()
    proc = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", rss_f.name] + list(cmd),
                            stdout=out_f, stderr=err_f, stdin=stdin, cwd=cwd)
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    try:
        maxrss_kb = int(open(rss_f.name).read().split()[-1])
    except (ValueError, IndexError):
        maxrss_kb = 0
    rss_f.close()
    out_f.seek(0)
    err_f.seek(0)
    run_with_rusage.cpu = ru.ru_utime + ru.ru_stime
    return (wall, maxrss_kb * 1024, out_f.read().decode(errors="replace"),
            err_f.read().decode(errors="replace"), proc.returncode)


def machine():
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores, {cpu}, {mem:.0f} GiB, {platform.system()} {platform.release()}"


def load():
    return "load %.1f" % os.getloadavg()[0]


class Report:
    def __init__(self):
        self.sections = []

    def table(self, title, intro, rows, notes=()):
        """rows: dicts with keys workload, command, reach, baseline, ratio, target, met."""
        lines = [f"## {title}", "", intro, ""]
        lines.append("| workload | command | Reach | baseline | ratio | target | met |")
        lines.append("|---|---|---|---|---|---|---|")
        for r in rows:
            lines.append("| {workload} | `{command}` | {reach} | {baseline} | {ratio} | {target} | "
                         "{met} |".format(**{k: r.get(k, "") for k in
                                             ("workload", "command", "reach", "baseline", "ratio",
                                              "target", "met")}))
        lines.append("")
        for n in notes:
            lines.append(n)
        if notes:
            lines.append("")
        self.sections.append("\n".join(lines))
        print("\n".join(lines), flush=True)

    def failed(self, title, why):
        text = f"## {title}\n\nNOT MEASURED: {why}\n"
        self.sections.append(text)
        print(text, flush=True)


def yes(ok):
    return "yes" if ok else "**no**"


# ---------------------------------------------------------------------------------------------
# Reach helpers


def parse_summary(stderr):
    m = SUMMARY_RE.search(stderr)
    if not m:
        raise Failed("no summary line in reach's output:\n" + stderr[-2000:])
    records, accepted, rejected, events, users, posts, cascades = map(int, m.groups()[:7])
    return dict(records=records, accepted=accepted, rejected=rejected, events=events, users=users,
                posts=posts, cascades=cascades, seconds=float(m.group(8)))


class Served:
    """A serving `reach run` on an ephemeral port."""

    def __init__(self, reach, args, stdin=None, cwd=None):
        self.tmp = tempfile.mkdtemp(prefix="reach-bench-")
        self.log_path = os.path.join(self.tmp, "reach.log")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [reach, "run", "--listen", "127.0.0.1:0", "--dead-letter",
             os.path.join(self.tmp, "dead.ndjson")] + args,
            stdout=self.log, stderr=subprocess.STDOUT, stdin=stdin, cwd=cwd or self.tmp)
        deadline = time.time() + 60
        self.port = None
        while time.time() < deadline and self.port is None:
            m = re.search(r"serving on http://127\.0\.0\.1:(\d+)", open(self.log_path).read())
            if m:
                self.port = int(m.group(1))
            elif self.proc.poll() is not None:
                raise Failed("reach exited early:\n" + open(self.log_path).read()[-2000:])
            else:
                time.sleep(0.05)
        if self.port is None:
            raise Failed("reach did not start serving")

    def get(self, path, timeout=10):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=timeout) as r:
            return r.status, r.read()

    def get_json(self, path):
        status, body = self.get(path)
        return status, json.loads(body)

    def metrics(self):
        _, body = self.get("/metrics")
        out = {}
        for line in body.decode().splitlines():
            if line and not line.startswith("#"):
                k, v = line.rsplit(" ", 1)
                out[k] = float(v)
        return out

    def wait_ingested(self, records, timeout=600):
        deadline = time.time() + timeout
        while time.time() < deadline:
            m = self.metrics()
            if (m.get("reach_ingest_records_total", 0) >= records
                    and m.get("reach_engine_events_applied_total") == m.get("reach_ingest_events_total")
                    and m.get("reach_ingest_queue_batches") == 0):
                time.sleep(0.6)  # one more publish
                return m
            time.sleep(0.2)
        raise Failed("ingest did not finish: %r" % self.metrics())

    def all_rows(self, window="all"):
        rows, offset = [], 0
        while True:
            _, page = self.get_json(f"/api/influencers?window={window}&limit=1000&offset={offset}")
            rows += page["items"]
            offset += len(page["items"])
            if offset >= page["total"] or not page["items"]:
                return rows

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=120)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode


# ---------------------------------------------------------------------------------------------
# Workloads


class Bench:
    def __init__(self, args):
        self.args = args
        self.build = os.path.abspath(args.build)
        self.reach = os.path.join(self.build, "reach")
        self.bare = os.path.join(self.build, "bench", "bare_simdjson")
        self.work = os.path.abspath(args.work)
        os.makedirs(self.work, exist_ok=True)
        self.report = Report()
        self.copies = 20 if args.quick else 100

    def corpus(self, copies):
        path = os.path.join(self.work, f"v1x{copies}.jsonl")
        if not os.path.exists(path):
            log(f"making {path}")
            subprocess.run([PY, os.path.join(ROOT, "bench", "make_v1_corpus.py"), FIXTURE,
                            str(copies), path + ".tmp"], check=True)
            os.rename(path + ".tmp", path)
        return path

    def reach_batch(self, source, store, extra=()):
        dead = os.path.join(self.work, "dead.ndjson")
        if store != "none":
            # A SQLite store keeps its raw archive beside it; a second run would replay it.
            stem = os.path.join(self.work, os.path.splitext(store)[0])
            for path in (stem + ".db", stem + ".db-wal", stem + ".db-shm"):
                if os.path.exists(path):
                    os.remove(path)
            shutil.rmtree(stem + "-archive", ignore_errors=True)
        cmd = [self.reach, "run", "--source", source, "--store", store, "--exit-when-done",
               "--dead-letter", dead] + list(extra)
        wall, rss, out, err, code = run_with_rusage(cmd, cwd=self.work)
        if code != 0:
            raise Failed(f"{' '.join(cmd)} exited {code}: {err[-2000:]}")
        s = parse_summary(err)
        s.update(wall=wall, rss=rss, cpu=run_with_rusage.cpu)
        return s

    # -- ingest ------------------------------------------------------------------------------
    def ingest(self):
        corpus = self.corpus(self.copies)
        lines = count_lines(corpus)
        size = os.path.getsize(corpus)
        reps = 1 if self.args.quick else 3
        bare, bare_cpu, none, sqlite_runs, bare_engine = [], [], [], [], []
        for rep in range(reps):
            _, _, out, err, code = run_with_rusage([self.bare, corpus])
            m = re.match(r"(\d+) lines, (\d+) lines/s", out)
            if code != 0 or not m or int(m.group(1)) != lines:
                raise Failed(f"bare_simdjson read {out.strip()} {err}, the file has {lines} lines")
            bare.append(float(m.group(2)))
            bare_cpu.append(run_with_rusage.cpu)
            s = self.reach_batch(corpus, "none")
            if s["records"] != lines or s["rejected"] != 0:
                raise Failed(f"reach read {s['records']} records ({s['rejected']} rejected) of {lines}")
            none.append(s)
            # Ablation for the cause of the gap: the same run without sentiment, geography and
            # terms (their data directory missing: Reach warns and skips them).
            s = self.reach_batch(corpus, "none", ["--data-dir", os.path.join(self.work, "no-data")])
            if s["records"] != lines or s["rejected"] != 0:
                raise Failed("reach without enrichment: wrong record count")
            bare_engine.append(s)
            db = os.path.join(self.work, "ingest.db")
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(db + suffix):
                    os.remove(db + suffix)
            s = self.reach_batch(corpus, db)
            if s["records"] != lines or s["rejected"] != 0:
                raise Failed("reach with SQLite: wrong record count")
            stored = sqlite3.connect(db).execute("SELECT COUNT(*) FROM posts").fetchone()[0]
            if stored != s["posts"]:
                raise Failed(f"SQLite holds {stored} posts, the engine {s['posts']}")
            sqlite_runs.append(s)
        self.ingest_db = db
        self.ingest_corpus = corpus
        b = statistics.median(bare)
        rn = statistics.median(lines / s["wall"] for s in none)
        rs = statistics.median(lines / s["wall"] for s in sqlite_runs)
        rn_in = statistics.median(lines / s["seconds"] for s in none)
        events = none[0]["events"]
        self.ingest_rates = dict(bare=b, none=rn, sqlite=rs)
        cpu_reach = statistics.median(s["cpu"] for s in none) / lines * 1e6
        cpu_bare = statistics.median(bare_cpu) / lines * 1e6
        self.ingest_cpu_us = cpu_reach
        rel = os.path.relpath(corpus, ROOT)
        rows = [
            dict(workload="full analytics, no store (whole process)",
                 command=f"reach run --source {rel} --store none --exit-when-done",
                 reach=f"{fmt_int(rn)} tweets/s ({fmt_int(rn_in)}/s after start-up; "
                       f"{fmt_int(events / statistics.median(s['wall'] for s in none))} events/s)",
                 baseline=f"bare simdjson {fmt_int(b)} tweets/s ({b * size / lines / 1e9:.2f} GB/s)",
                 ratio=f"{rn / b:.1%}", target=">= 50 %", met=yes(rn / b >= 0.5)),
            dict(workload="decode + engine only: no sentiment, geography or terms (ablation)",
                 command=f"reach run --source {rel} --store none --exit-when-done --data-dir EMPTY",
                 reach=f"{fmt_int(statistics.median(lines / s['wall'] for s in bare_engine))} tweets/s",
                 baseline=f"bare simdjson {fmt_int(b)} tweets/s",
                 ratio=f"{statistics.median(lines / s['wall'] for s in bare_engine) / b:.1%}",
                 target="", met=""),
            dict(workload="CPU time per tweet, no store (all threads, user + system)",
                 command="the runs above (getrusage of the child)",
                 reach=f"{cpu_reach:.1f} µs", baseline=f"bare simdjson {cpu_bare:.1f} µs",
                 ratio=f"{cpu_bare / cpu_reach:.1%}", target="", met=""),
            dict(workload="the same with SQLite persistence",
                 command=f"reach run --source {rel} --store ingest.db --exit-when-done",
                 reach=f"{fmt_int(rs)} tweets/s", baseline=f"bare simdjson {fmt_int(b)} tweets/s",
                 ratio=f"{rs / b:.1%}", target=">= 35 %", met=yes(rs / b >= 0.35)),
        ]
        self.report.table(
            "Ingest", f"{lines:,} Twitter v1.1 tweets ({size / 1e6:.0f} MB, {events:,} normalized "
            f"events): `bench/make_v1_corpus.py` x{self.copies} of the 546-tweet fixture. Median of "
            f"{reps} runs; Reach timed as a whole process (start-up, lexicons and the final store "
            f"write included); baseline `bench/bare_simdjson` (on-demand pass reading the post id and "
            f"follower count). Checks: every line read, none rejected, the SQLite store holds every "
            f"post. {load()}.", rows)

    # -- peers -------------------------------------------------------------------------------
    def peers(self):
        corpus = getattr(self, "ingest_corpus", None) or self.corpus(self.copies)
        lines = count_lines(corpus)
        if not hasattr(self, "ingest_rates"):
            s = self.reach_batch(corpus, "none")
            self.ingest_rates = dict(none=lines / s["wall"])
        reach_rate = self.ingest_rates["none"]
        rel = os.path.relpath(corpus, ROOT)
        rows, notes = [], []
        # Reach's per-user reshares received, from its store, for the checks.
        db = os.path.join(self.work, "peers.db")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
        self.reach_batch(corpus, db)
        con = sqlite3.connect(db)
        reach_rt = dict(con.execute(
            "SELECT p.author_id, COUNT(*) FROM posts r JOIN posts p ON p.post_id = r.parent_id "
            "WHERE r.kind = 'reshare' GROUP BY p.author_id"))
        con.close()

        # Python + pandas.
        out_csv = os.path.join(self.work, "peer_pandas.csv")
        wall, rss, out, err, code = run_with_rusage(
            [PY, os.path.join(ROOT, "bench", "peer_pandas.py"), corpus, out_csv])
        if code != 0:
            self.report.failed("Peers", f"peer_pandas.py failed: {err[-1500:]}")
            return
        import csv
        py_rt = {}
        for row in csv.DictReader(open(out_csv)):
            if float(row["retweets_received"]) > 0:
                py_rt[int(row["user"])] = int(float(row["retweets_received"]))
        ok_py = py_rt == reach_rt
        py_rate = lines / wall
        py_cpu = run_with_rusage.cpu / lines * 1e6
        rows.append(dict(workload="Python json + pandas, the seed's per-user table",
                         command=f"python3 bench/peer_pandas.py {rel} out.csv",
                         reach=f"{fmt_int(reach_rate)} tweets/s", baseline=f"{fmt_int(py_rate)} tweets/s",
                         ratio=f"{reach_rate / py_rate:.1f}x", target=">= 5x",
                         met=yes(reach_rate / py_rate >= 5) if ok_py else "check failed"))
        if hasattr(self, "ingest_cpu_us"):
            rows.append(dict(workload="CPU time per tweet (user + system, all threads)",
                             command="getrusage of each process",
                             reach=f"{self.ingest_cpu_us:.1f} µs", baseline=f"Python {py_cpu:.1f} µs",
                             ratio=f"{py_cpu / self.ingest_cpu_us:.1f}x", target="", met=""))
        notes.append(f"Check: per-user retweets received agree between pandas and Reach's store for "
                     f"{len(reach_rt):,} users: {'yes' if ok_py else 'NO'}"
                     + ("" if ok_py else f" (pandas {len(py_rt)} users, differing: "
                        f"{len(set(py_rt.items()) ^ set(reach_rt.items()))})") + ".")

        # PostgreSQL jsonb.
        try:
            from pg_cluster import PgCluster
        except ImportError as e:
            notes.append(f"PostgreSQL peer not run: {e}")
            self.report.table("Peers on the same file", "", rows, notes)
            return
        try:
            with PgCluster() as pg:
                pg.create_database("peer")
                psql = [os.path.join(pg.bindir, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h",
                        "127.0.0.1", "-p", str(pg.port), "-U", "postgres", "-d", "peer"]
                subprocess.run(psql + ["-c", "CREATE TABLE raw (doc jsonb)"], check=True,
                               capture_output=True)
                # CSV mode with quote and delimiter bytes that never occur in JSON lines, so the
                # lines load verbatim (text mode would interpret the backslashes of JSON escapes).
                copy = ("\\copy raw (doc) FROM '" + corpus + "' WITH (FORMAT csv, QUOTE E'\\x01', "
                        "DELIMITER E'\\x02')")
                t0 = time.perf_counter()
                r1 = subprocess.run(psql + ["-c", copy], capture_output=True, text=True)
                t1 = time.perf_counter()
                r2 = subprocess.run(psql + ["-f", os.path.join(ROOT, "bench", "peer_postgres.sql")],
                                    capture_output=True, text=True)
                t2 = time.perf_counter()
                if r1.returncode or r2.returncode:
                    raise Failed(f"psql: {r1.stderr[-800:]} {r2.stderr[-800:]}")
                got = subprocess.run(psql + ["-A", "-t", "-F", "\t", "-c",
                                             "SELECT uid, retweets_received FROM per_user "
                                             "WHERE retweets_received > 0"],
                                     capture_output=True, text=True, check=True).stdout
                pg_rt = {int(a): int(b) for a, b in (l.split("\t") for l in got.split("\n") if l)}
            ok_pg = pg_rt == reach_rt
            pg_rate = lines / (t2 - t0)
            rows.append(dict(
                workload="PostgreSQL 15: COPY into jsonb, then the per-user table in SQL",
                command="psql -c \"\\copy raw (doc) FROM 'FILE' ...\"; psql -f bench/peer_postgres.sql",
                reach=f"{fmt_int(reach_rate)} tweets/s",
                baseline=f"{fmt_int(pg_rate)} tweets/s (COPY {t1 - t0:.1f} s + SQL {t2 - t1:.1f} s)",
                ratio=f"{reach_rate / pg_rate:.1f}x", target=">= 20x",
                met=yes(reach_rate / pg_rate >= 20) if ok_pg else "check failed"))
            notes.append(f"Check: per-user retweets received agree between PostgreSQL and Reach: "
                         f"{'yes' if ok_pg else 'NO'}.")
        except (Failed, RuntimeError, subprocess.CalledProcessError) as e:
            notes.append(f"PostgreSQL peer not run: {e}")
        self.report.table(
            "Peers on the same file",
            f"The same {lines:,}-tweet file as the ingest workload. Reach: full analytics, whole "
            f"process, no store (median of the ingest runs). Python: `/usr/bin/python3` with Debian's "
            f"pandas {__import__('pandas').__version__}, whole process. PostgreSQL: a throwaway local "
            f"cluster (`tests/support/pg_cluster.py`, fsync off), timed from COPY to the end of the "
            f"SQL (server start-up not counted). {load()}.", rows, notes)

    # -- freshness ---------------------------------------------------------------------------
    def freshness(self):
        # Each interval runs with SQLite and then without a store, back to back, so the pair
        # shares the machine's load.
        rows, notes = [], []
        for publish in self.args.fresh_publish.split(","):
            publish = None if publish == "default" else publish
            for store in (True, False):
                row = self.freshness_run(publish, store=store)
                rows.append(row)
                notes.append(row.pop("note"))
        self.report.table(
            "Freshness",
            f"Background: the v1.1 corpus written to `reach run --source -` at a paced "
            f"{self.args.fresh_rate:,} tweets/s (about three normalized events per tweet), with "
            f"SQLite persistence on (its default raw archive, fsynced per batch, included) or without a store, the two runs of each publish interval back to back. Every 200 ms a marker tweet by a new account is written; a "
            f"poller reads `/api/influencers?window=all&limit=1` every ~2 ms and the latency is the "
            f"time from the marker's write to the first answer whose `total` counts it (an upper "
            f"bound: the poll period and the HTTP round trip are included). Check: the total grew "
            f"by exactly the number of markers (every background account was known before). "
            f"Latency is bounded below by the publish interval (a snapshot every 100 ms by default, "
            f"so a marker waits 0-100 ms for the next one, plus the publish itself). A row meets "
            f"the target only if the paced rate was also reached (at least 95 % of it). {load()}.",
            rows,
            ["Where the engine and store threads spent their time in each run (from /metrics: "
             "`reach_engine_publish_seconds`, `reach_engine_stage_changes_seconds`, "
             "`reach_engine_take_batch_seconds`, `reach_store_write_seconds`, "
             "`reach_archive_commit_seconds`; mean / max per call):", ""] + notes)

    def freshness_run(self, publish, store=True):
        rate = self.args.fresh_rate
        seconds = 8 if self.args.quick else 20
        copies = max(2, int(rate * (seconds + 6) / 546) + 1)
        corpus = self.corpus(copies)
        lines = open(corpus, "rb").read().split(b"\n")
        lines = [l for l in lines if l]
        db = os.path.join(self.work, "fresh.db")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
        shutil.rmtree(os.path.join(self.work, "fresh-archive"), ignore_errors=True)
        extra = ["--publish-interval", publish] if publish else []
        if store and self.args.fresh_archive == "none":
            extra += ["--archive", "none"]
        load_before = os.getloadavg()[0]
        srv = Served(self.reach, ["--source", "-", "--store", db if store else "none"] + extra,
                     stdin=subprocess.PIPE)
        pipe = srv.proc.stdin
        marker_times = []  # wall time each marker was written
        polls = []  # (time the answer arrived, total)
        stop = threading.Event()

        def poller():
            while not stop.is_set():
                try:
                    _, body = srv.get("/api/influencers?window=all&limit=1")
                    polls.append((time.perf_counter(), json.loads(body)["total"]))
                except OSError:
                    pass
                time.sleep(0.002)

        def marker(k, t_s):
            uid = 9_000_000_000 + k
            tid = 8_000_000_000_000_000_000 + k
            ts = time.strftime("%a %b %d %H:%M:%S +0000 %Y", time.gmtime(t_s))
            return json.dumps({"created_at": ts, "id": tid, "id_str": str(tid),
                               "text": f"marker {k}", "user": {
                                   "id": uid, "id_str": str(uid), "screen_name": f"marker{k}",
                                   "name": f"Marker {k}", "followers_count": 1,
                                   "friends_count": 1, "statuses_count": 1,
                                   "created_at": ts}, "entities": {"hashtags": [],
                                                                   "user_mentions": [],
                                                                   "urls": []}}).encode()

        # Warm-up: the first copy of the corpus introduces every background user.
        i = 0
        chunk = max(1, rate // 200)  # every 5 ms
        warm = 546 * 2
        pipe.write(b"\n".join(lines[:warm]) + b"\n")
        pipe.flush()
        i = warm
        srv.wait_ingested(warm, timeout=60)
        time.sleep(1.0)
        _, first = srv.get_json("/api/influencers?window=all&limit=1")
        base = first["total"]
        th = threading.Thread(target=poller, daemon=True)
        th.start()
        t_start = time.perf_counter()
        next_marker = t_start + 0.1
        k = 0
        # The newest tweet time in the corpus for realistic marker times.
        sent = 0
        while time.perf_counter() - t_start < seconds and i < len(lines):
            due = t_start + sent / rate
            now = time.perf_counter()
            if now < due:
                time.sleep(due - now)
            batch = lines[i:i + chunk]
            i += len(batch)
            sent += len(batch)
            data = b"\n".join(batch) + b"\n"
            if time.perf_counter() >= next_marker:
                data += marker(k, 1_700_000_000 + k) + b"\n"
                pipe.write(data)
                pipe.flush()
                marker_times.append(time.perf_counter())
                k += 1
                next_marker += 0.2
            else:
                pipe.write(data)
                pipe.flush()
        elapsed = time.perf_counter() - t_start
        time.sleep(2.0)
        stop.set()
        th.join()
        m = srv.metrics()
        pipe.close()
        srv.stop()
        # Check: the leaderboard grew by exactly the markers (background users were all known).
        final_total = polls[-1][1] if polls else -1
        if final_total != base + len(marker_times):
            raise Failed(f"leaderboard total {final_total}, expected {base} + {len(marker_times)} "
                         "markers: background tweets added accounts, the marker count is unsound")
        lat = []
        for k, t in enumerate(marker_times):
            seen = next((p for p, total in polls if p >= t and total >= base + k + 1), None)
            if seen is None:
                raise Failed(f"marker {k} never appeared")
            lat.append((seen - t) * 1000)
        lat.sort()
        p50 = lat[len(lat) // 2]
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
        achieved = sent / elapsed

        def step(name):
            n = m.get(f"{name}_seconds_count", 0)
            if not n:
                return "none"
            return (f"{n:.0f} x, mean {m[f'{name}_seconds_sum'] / n * 1000:.1f} ms, "
                    f"max {m[f'{name}_seconds_max'] * 1000:.1f} ms")
        note = (f"- {'SQLite' if store else 'no store'}, publish {publish or 'default'}: publish "
                f"{step('reach_engine_publish')}; rows staged between flushes "
                f"{step('reach_engine_stage_changes')}; batch cut {step('reach_engine_take_batch')}; "
                f"store write {step('reach_store_write')}; archive commit (ingest thread) "
                f"{step('reach_archive_commit')}; load {load_before:.1f} at the start, "
                f"{os.getloadavg()[0]:.1f} at the end.")
        events_rate = m.get("reach_ingest_events_total", 0) / max(1, m.get("reach_ingest_records_total", 1)) * achieved
        return dict(
            workload=f"arrival -> /api/influencers, {'SQLite' if store else 'no store'}, publish every "
                     f"{publish or '100ms (default)'}, "
                     f"{'' if '--archive' not in extra else 'no archive, '}"
                     f"{len(lat)} markers, {achieved:,.0f} tweets/s ({events_rate:,.0f} events/s) "
                     f"for {elapsed:.0f} s",
            command="reach run --source - --store " + ("fresh.db" if store else "none") +
                    " ".join([""] + extra),
            reach=f"p50 {p50:.0f} ms, p99 {p99:.0f} ms, max {lat[-1]:.0f} ms",
            baseline="seed: 300 s (Firehose) + 900 s (Spark)",
            ratio=f"{(1200 * 1000) / p99:,.0f}x fresher (p99)",
            target="p99 <= 250 ms", note=note,
            met=yes(p99 <= 250) if achieved >= 0.95 * rate else "**no**: rate not reached")

    # -- api ---------------------------------------------------------------------------------
    def api(self):
        if shutil.which("wrk") is None:
            self.report.failed("API", "wrk is not installed (scripts/setup installs it)")
            return
        rate = self.args.fresh_rate
        srv = Served(self.reach, ["--source", f"sim:users=50000,rate={rate}/s,seed=3",
                                  "--store", "none"])
        try:
            deadline = time.time() + 30
            while time.time() < deadline:
                _, board = srv.get_json("/api/influencers?window=1h&limit=50")
                if len(board["items"]) == 50:
                    break
                time.sleep(0.2)
            if len(board["items"]) != 50:
                raise Failed("the leaderboard did not fill")
            dur = "5s" if self.args.quick else "10s"
            results = {}
            for name, path in (("influencers", "/api/influencers?window=1h&limit=50"),
                               ("healthz", "/healthz")):
                m0 = srv.metrics()["reach_ingest_records_total"]
                t0 = time.perf_counter()
                cmd = ["wrk", "-t1", "-c32", "-d" + dur, "--latency",
                       f"http://127.0.0.1:{srv.port}{path}"]
                out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
                ingested = (srv.metrics()["reach_ingest_records_total"] - m0) / (time.perf_counter() - t0)
                rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
                p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
                p99_ms = float(p99.group(1)) * {"us": 1e-3, "ms": 1, "s": 1000}[p99.group(2)]
                non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
                if non2xx:
                    raise Failed(f"{path}: {non2xx.group(1)} error responses under load")
                results[name] = (rps, p99_ms, ingested, " ".join(cmd[:-1]))
        finally:
            srv.stop()
        rps, p99, ingested, cmd = results["influencers"]
        brps, bp99, _, _ = results["healthz"]
        rows = [dict(workload="GET /api/influencers?window=1h&limit=50 while ingesting",
                     command=cmd + " URL", reach=f"{fmt_int(rps)} req/s, p99 {p99:.1f} ms",
                     baseline=f"/healthz {fmt_int(brps)} req/s, p99 {bp99:.1f} ms",
                     ratio=f"{rps / brps:.0%} of /healthz",
                     target=">= 20k req/s, p99 <= 20 ms", met=yes(rps >= 20000 and p99 <= 20))]
        self.report.table(
            "API", f"`reach run --source sim:users=50000,rate={rate}/s` (ingesting "
            f"{ingested:,.0f} tweets/s during the measurement), `wrk` with 32 connections on one "
            f"thread on the same 2-core machine (wrk and Reach share the cores). Baseline: "
            f"`/healthz` on the same server in the same run (the HTTP floor). Check: the leaderboard "
            f"has 50 rows and no request failed. {load()}.", rows)

    # -- memory ------------------------------------------------------------------------------
    def memory(self):
        if self.args.quick:
            sizes = [(20_000, 200_000), (20_000, 400_000), (80_000, 200_000)]
        else:
            sizes = [(100_000, 500_000), (100_000, 1_000_000), (400_000, 500_000),
                     (1_000_000, 3_000_000)]
        if self.args.memory_full:
            sizes.append((1_000_000, 20_000_000))
        points = []
        for users, posts in sizes:
            spec = f"sim:users={users},posts={posts},rate=0,seed=9,start=1672531200"
            log(f"memory: {users} users, {posts} posts")
            # The simulator alone, same world, to subtract its own memory.
            wall_s, rss_s, _, err_s, code = run_with_rusage(
                [self.reach, "simulate", "--users", str(users), "--posts", str(posts), "--seed", "9",
                 "--out", "/dev/null"])
            if code != 0:
                raise Failed(err_s[-1000:])
            s = self.reach_batch(spec, "none")
            if s["posts"] < posts * 0.99:
                raise Failed(f"engine holds {s['posts']} posts of {posts}")
            points.append(dict(users=users, posts=posts, rss=s["rss"], sim_rss=rss_s,
                               engine_users=s["users"], engine_posts=s["posts"], wall=s["wall"]))
        # Fit reach - simulator = a + b * users + c * posts on the first three points.
        p0, p1, p2 = points[:3]
        net = lambda p: p["rss"] - p["sim_rss"]
        per_post = (net(p1) - net(p0)) / (p1["engine_posts"] - p0["engine_posts"])
        per_user = (net(p2) - net(p0) - per_post * (p2["engine_posts"] - p0["engine_posts"])) / (
            p2["engine_users"] - p0["engine_users"])
        base = net(p0) - per_user * p0["engine_users"] - per_post * p0["engine_posts"]
        rows = []
        for p in points:
            rows.append(dict(
                workload=f"{p['users']:,} users, {p['posts']:,} posts",
                command=f"reach run --source sim:users={p['users']},posts={p['posts']},rate=0 "
                        "--store none --exit-when-done",
                reach=f"peak RSS {p['rss'] / 2**20:,.0f} MiB ({p['engine_users']:,} users, "
                      f"{p['engine_posts']:,} posts, {p['wall']:.0f} s)",
                baseline=f"simulator alone {p['sim_rss'] / 2**20:,.0f} MiB",
                ratio="", target="", met=""))
        full = [p for p in points if p["users"] == 1_000_000 and p["posts"] == 20_000_000]
        est = base + per_user * 1_000_000 + per_post * 20_000_000
        rows.append(dict(
            workload="1M users, 20M posts" + (" (measured)" if full else " (extrapolated)"),
            command="linear fit of the rows above" if not full else "see row above",
            reach=(f"{full[0]['rss'] / 2**30:.2f} GiB peak RSS" if full else
                   f"{est / 2**30:.2f} GiB (+ simulator)"),
            baseline=f"{per_user:,.0f} B/user, {per_post:,.0f} B/post, {base / 2**20:,.0f} MiB fixed",
            ratio="", target="<= 4 GiB",
            met=yes((full[0]["rss"] if full else est) <= 4 * 2**30)))
        self.report.table(
            "Memory",
            "Peak resident memory of `reach run` on in-process simulated worlds (v1.1 lines through "
            "the real decoder), no store; the simulator's own peak (`reach simulate` of the same "
            "world to /dev/null, measured in the same run) is subtracted before fitting "
            "RSS = fixed + a x users + b x posts. Each post that is a reshare, quote or reply adds "
            "one engagement (an edge of the all-time engagement graph, or a weight on an existing "
            "one), so bytes per post bound bytes per engagement edge. " + load() + ".", rows)

    # -- graph, sentiment --------------------------------------------------------------------
    def graph(self):
        gb = os.path.join(self.build, "bench", "graph_bench")
        if not os.path.exists(gb):
            self.report.failed("Graph", f"{gb} not built")
            return
        out = subprocess.run(["sh", os.path.join(ROOT, "bench", "graph_vs_igraph.sh"), gb],
                             capture_output=True, text=True)
        m = re.search(r"reach ([\d.]+) ms, igraph ([\d.]+) ms, igraph/reach = ([\d.]+)x", out.stdout)
        if not m:
            self.report.failed("Graph", out.stdout[-500:] + out.stderr[-1500:])
            return
        ours, ig, ratio = map(float, m.groups())
        self.report.table(
            "Graph", "PageRank on the SNAP Higgs retweet graph (256k nodes, 328k edges); the igraph "
            "reference test (`ctest -R graph_igraph_reference`) checks the result. " + load() + ".",
            [dict(workload="PageRank, full", command="bench/graph_vs_igraph.sh build/bench/bench/graph_bench",
                  reach=f"{ours:.1f} ms", baseline=f"igraph 0.10 {ig:.1f} ms", ratio=f"{ratio:.1f}x",
                  target="faster than igraph", met=yes(ratio >= 1))])

    def sentiment(self):
        if shutil.which("node") is None:
            self.report.failed("Sentiment", "node is not installed")
            return
        env = dict(os.environ, BUILD_DIR=self.build)
        out = subprocess.run(["bash", os.path.join(ROOT, "bench", "sentiment_vs_npm.sh")],
                             capture_output=True, text=True, env=env)
        m = re.search(r"texts/s: C\+\+ (\d+), npm (\d+), ratio ([\d.]+)x", out.stdout)
        if not m:
            self.report.failed("Sentiment", (out.stdout + out.stderr)[-1500:])
            return
        c, n, ratio = int(m.group(1)), int(m.group(2)), float(m.group(3))
        self.report.table(
            "Sentiment", "VADER on the 4,200 rated tweets of Hutto & Gilbert; both scorers are "
            "checked against the reference vaderSentiment 3.3.2 scores first. " + load() + ".",
            [dict(workload="VADER, one thread", command="bench/sentiment_vs_npm.sh",
                  reach=f"{fmt_int(c)} texts/s", baseline=f"npm vader-sentiment 1.1.3 {fmt_int(n)} texts/s",
                  ratio=f"{ratio:.1f}x", target=">= 20x", met=yes(ratio >= 20))])

    def accuracy(self):
        cmd = [PY, os.path.join(ROOT, "bench", "accuracy.py"), "--reach", self.reach, "--work",
               os.path.join(self.work, "accuracy"), "--out", os.path.join(ROOT, "docs", "accuracy.md")]
        if self.args.quick:
            cmd.append("--quick")
        out = subprocess.run(cmd, capture_output=True, text=True)
        if out.returncode != 0:
            self.report.failed("Accuracy", out.stderr[-2000:])
            return
        self.report.sections.append(out.stdout)
        print(out.stdout, flush=True)


WORKLOADS = ["ingest", "peers", "freshness", "api", "memory", "graph", "sentiment", "accuracy"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build", "bench"))
    ap.add_argument("--work", default=os.path.join(ROOT, "build", "bench", "work"))
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "bench", "report.md"))
    ap.add_argument("--only", default=",".join(WORKLOADS))
    ap.add_argument("--quick", action="store_true", help="smaller inputs, one repetition")
    ap.add_argument("--memory-full", action="store_true",
                    help="also run the 1M-user, 20M-post world (long)")
    ap.add_argument("--fresh-rate", type=int, default=10000, help="tweets/s for freshness and API")
    ap.add_argument("--fresh-archive", choices=("default", "none"), default="default",
                    help="none: the SQLite runs of the freshness workload keep no raw archive "
                         "(--archive none), which isolates the store path from the archive's fsyncs")
    ap.add_argument("--fresh-publish", default="default,250ms",
                    help="publish intervals the freshness workload runs, comma-separated "
                         "(default: the binary's own)")
    args = ap.parse_args()
    b = Bench(args)
    header = ["# Reach benchmark report", "",
              f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {machine()}; "
              f"commit {subprocess.run(['git', '-C', ROOT, 'rev-parse', '--short', 'HEAD'], capture_output=True, text=True).stdout.strip()}; "
              f"`{' '.join(['bench/run_all.py'] + sys.argv[1:])}`.", ""]
    failures = 0
    for name in args.only.split(","):
        log(f"workload {name}")
        try:
            getattr(b, name)()
        except Failed as e:
            failures += 1
            b.report.failed(name, str(e))
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        f.write("\n".join(header) + "\n" + "\n".join(b.report.sections))
    log(f"report written to {args.out}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
