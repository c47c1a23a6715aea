#!/usr/bin/python3
"""End-to-end: POST /api/ingest feeds the same pipeline as any source, archive first.

`reach run` with REACH_API_TOKEN set, on a one-tweet source with a SQLite store (archive beside
it). Checks: 401 without a token and with a wrong one, 405 for GET, 413 for a body over the 1 MiB
limit, and a 200 answer counting accepted and rejected records by reason for a body of fixture
tweets with bad lines; /metrics and the archive count the posted records; a restart replays them
from the archive (nothing is lost or counted twice).

usage: http_ingest_test.py REACH_BINARY FIXTURE.jsonl
"""
import json
import os
import sys
import tempfile
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from harness import Reach, Results  # noqa: E402

TOKEN = "e2e-secret-token"


def post(port, body, token=None, method="POST"):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/ingest", data=body, method=method)
    if token is not None:
        req.add_header("Authorization", f"Bearer {token}")
    req.add_header("Content-Type", "application/x-ndjson")
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            return e.code, json.loads(raw)
        except ValueError:
            return e.code, raw
    except (ConnectionResetError, urllib.error.URLError) as e:  # 413 may close the connection
        return 413 if "reset" in str(e).lower() else -1, str(e)


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    binary, fixture = argv[1], argv[2]
    r = Results()
    tmp = tempfile.mkdtemp(prefix="reach-http-ingest-")
    with open(fixture, "rb") as f:
        lines = [l for l in f.read().split(b"\n") if l.strip()]
    source = os.path.join(tmp, "one.jsonl")
    with open(source, "wb") as f:
        f.write(lines[0] + b"\n")
    body_lines = lines[1:101]
    body = b"\n".join(body_lines[:50] + [b"{\"truncated\": ", b"{\"hello\":1}"] + body_lines[50:])
    store = os.path.join(tmp, "h.db")
    env = dict(os.environ, REACH_API_TOKEN=TOKEN)
    args = ["--source", source, "--store", store]

    app = Reach(binary, args, env=env, cwd=tmp)
    try:
        app.wait_ingested(1)
        status, _ = post(app.port, body)
        r.check(status == 401, f"no token: {status}")
        status, err = post(app.port, body, token="wrong")
        r.check(status == 401, f"wrong token: {status}")
        status, _ = post(app.port, None, token=TOKEN, method="GET")
        r.check(status == 405, f"GET: {status}")
        status, _ = post(app.port, b"x" * (2 << 20), token=TOKEN)
        r.check(status == 413, f"2 MiB body: {status}")
        status, reply = post(app.port, body, token=TOKEN)
        r.check(status == 200, f"good token: {status} {reply}")
        if status == 200:
            r.check(reply["records"] == 102, f"records {reply}")
            r.check(reply["rejected"] == 2, f"rejected {reply}")
            r.check(reply["rejected_by_reason"] == {"malformed_json": 1, "unknown_format": 1},
                    f"by reason {reply}")
            accepted = reply["accepted"]
            r.check(accepted == 100, f"accepted {reply}")
        m = app.wait_ingested(103)  # the source's line and the body's 102
        r.check(m.get("reach_ingest_accepted_total") == 101, f"accepted total {m.get('reach_ingest_accepted_total')}")
        r.check(m.get("reach_archive_records") == 101, f"archived {m.get('reach_archive_records')}")
        r.check(m.get('reach_ingest_rejected_total{reason="malformed_json"}') == 1, "malformed counted")
        posts = m.get("reach_engine_posts")
        status, _, _ = app.get("/healthz")
        r.check(status == 200, "still serving")
    finally:
        rc = app.stop()
    r.check(rc == 0, f"clean stop {rc}")

    # Restart: the posted records come back from the archive, the source is not read again.
    app = Reach(binary, args, env=env, cwd=tmp)
    try:
        m = {}
        for _ in range(200):
            m = app.metrics()
            if m.get("reach_engine_posts") == posts and m.get("reach_ingest_queue_batches") == 0:
                break
            import time
            time.sleep(0.05)
        r.check(m.get("reach_archive_replayed_records_total") == 101,
                f"replayed {m.get('reach_archive_replayed_records_total')}")
        r.check(m.get("reach_ingest_accepted_total") == 0, "nothing read twice")
        r.check(m.get("reach_engine_posts") == posts, f"posts {m.get('reach_engine_posts')} == {posts}")
    finally:
        app.stop()
    return r.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
