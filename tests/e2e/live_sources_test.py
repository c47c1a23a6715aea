#!/usr/bin/python3
"""End-to-end tests of the live sources of `reach run` against local replay servers
(tests/support/replay_server.py) that replay the recorded samples and cut the connection in the
middle of a message:

- Jetstream over WebSocket: resumes with cursor= (the server treats a reconnect without a cursor as
  a live tail, so lost events would show), replays are dropped, wantedCollections is honoured;
  once more over wss:// (TLS, self-signed certificate);
- Mastodon streaming over SSE, over TLS with a self-signed certificate made here with the openssl
  CLI (and refused without it): bearer token, update / status.update / delete events;
- X API v2 filtered stream: bearer token, keep-alive lines, an HTTP 503 first (backoff), two cuts.

For each, every message must arrive exactly once: the live run's counts (records, accepted,
events, users, posts, cascades) equal those of `reach run` over the same messages from a file,
the record count equals the number of messages sent, and the posts / reshares / likes the API
reports equal counts computed here from the sample.

usage: live_sources_test.py REACH_BINARY SHARED_DATA_DIR
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from harness import Reach, Results  # noqa: E402
from replay_server import ReplayServer  # noqa: E402

SUMMARY = re.compile(r"reach: (\d+) records, (\d+) accepted, (\d+) rejected.*?; (\d+) events; "
                     r"(\d+) users, (\d+) posts, (\d+) cascades")
FIELDS = ("records", "accepted", "rejected", "events", "users", "posts", "cascades")


def parse_summary(text):
    m = SUMMARY.search(text)
    if not m:
        raise AssertionError("no summary line in:\n" + text[-3000:])
    return dict(zip(FIELDS, map(int, m.groups())))


def file_run(binary, lines):
    """`reach run` over the same messages from a file: the reference counts."""
    tmp = tempfile.mkdtemp(prefix="reach-live-ref-")
    path = os.path.join(tmp, "messages.ndjson")
    with open(path, "w") as f:
        for line in lines:
            f.write(line + "\n")
    out = subprocess.run([binary, "run", "--source", path, "--store", "none", "--exit-when-done",
                          "--dead-letter", os.path.join(tmp, "dead.ndjson")],
                         capture_output=True, text=True, timeout=120, cwd=tmp)
    assert out.returncode == 0, out.stderr
    return parse_summary(out.stderr)


def live_run(binary, source, records, extra=(), env=None):
    """Starts `reach run` on a live source, waits for `records` records; returns the process and
    its metrics."""
    reach = Reach(binary, ["--source", source, "--store", "none"] + list(extra), env=env)
    return reach, reach.wait_ingested(records, timeout=90)


def finish(reach):
    code = reach.stop()
    return code, parse_summary(reach.read_log())


def totals(reach):
    rows = reach.all_rows("all")
    return {k: sum(r[k] for r in rows) for k in ("posts", "reshares", "likes", "replies", "quotes")}


def metric(m, name, source):
    return m.get('%s{source="%s"}' % (name, source))


def check_same(r, live, ref, what):
    for k in FIELDS:
        r.check(live[k] == ref[k], f"{what}: {k} live {live[k]} != file {ref[k]}")


# ---------------------------------------------------------------- Jetstream
def jetstream(r, binary, data):
    path = os.path.join(data, "bluesky-jetstream", "jetstream_expected_v1.jsonl")
    lines = sorted((l.strip() for l in open(path) if l.strip()),
                   key=lambda l: json.loads(l)["time_us"])
    wanted = ["app.bsky.feed.post", "app.bsky.feed.repost", "app.bsky.feed.like",
              "app.bsky.graph.follow"]
    kept = [l for l in lines if json.loads(l)["kind"] != "commit"
            or json.loads(l)["commit"]["collection"] in wanted]
    r.check(len(kept) < len(lines), "the sample has collections to filter out")
    ref = file_run(binary, kept)

    # Independent counts from the sample.
    creates = [json.loads(l)["commit"] for l in kept if json.loads(l)["kind"] == "commit"
               and json.loads(l)["commit"]["operation"] == "create"]
    posts = sum(1 for c in creates if c["collection"] == "app.bsky.feed.post")
    reposts = sum(1 for c in creates if c["collection"] == "app.bsky.feed.repost")
    # Likes of posts by other accounts (docs/metrics.md).
    likes = sum(1 for l in kept if json.loads(l)["kind"] == "commit"
                and json.loads(l)["commit"]["operation"] == "create"
                and json.loads(l)["commit"]["collection"] == "app.bsky.feed.like"
                and "/app.bsky.feed.post/" in json.loads(l)["commit"]["record"]["subject"]["uri"]
                and json.loads(l)["commit"]["record"]["subject"]["uri"].split("/")[2]
                != json.loads(l)["did"])
    r.check(posts > 0 and reposts > 0 and likes > 0, "the sample has posts, reposts and likes")

    # Cut the first connection after 50 messages and the second (a replay) after 30.
    server = ReplayServer("jetstream", lines, drop_after=[50, 30])
    try:
        reach, m = live_run(binary, f"jetstream+ws://127.0.0.1:{server.port}/subscribe", len(kept),
                            ["--wanted-collections", ",".join(wanted)])
        src = "jetstream"
        r.check(metric(m, "reach_source_reconnects_total", src) >= 2, f"reconnected twice: {m}")
        r.check(metric(m, "reach_source_connected", src) == 1, "connected again")
        r.check(metric(m, "reach_source_duplicates_total", src) > 0, "replayed events dropped")
        r.check(metric(m, "reach_source_messages_total", src) == len(kept), "messages handed on")
        newest = max(json.loads(l)["time_us"] for l in kept)
        r.check(metric(m, "reach_source_cursor", src) == newest,
                f"cursor {metric(m, 'reach_source_cursor', src)} == newest time_us {newest}")
        r.check(m["reach_engine_duplicates_total"] == 0, "no duplicate reached the engine")
        t = totals(reach)
        r.check(t["posts"] == posts + reposts, f"API posts {t['posts']} == {posts}+{reposts}")
        r.check(t["reshares"] == reposts, f"API reshares {t['reshares']} == sample {reposts}")
        r.check(t["likes"] == likes, f"API likes {t['likes']} == sample {likes}")
        code, live = finish(reach)
        r.check(code == 0, "reach exits cleanly on SIGTERM")
        check_same(r, live, ref, "jetstream")
        r.check(live["records"] == len(kept), "records == messages sent")
        # What the client asked for: wantedCollections on every request, a cursor on reconnects
        # that lies at or before the newest event it had received.
        reqs = server.requests
        r.check(len(reqs) >= 3, f"three connections, got {len(reqs)}")
        r.check(all(q["query"].get("wantedCollections") == wanted for q in reqs),
                "wantedCollections on every request")
        r.check("cursor" not in reqs[0]["query"], "first connection is a live tail")
        received_first = [json.loads(l)["time_us"] for l in kept[:50]]
        r.check(all("cursor" in q["query"] for q in reqs[1:]), "reconnects carry a cursor")
        r.check(int(reqs[1]["query"]["cursor"][0]) <= max(received_first),
                "resume cursor is not after the last event received")
    finally:
        server.stop()


def jetstream_tls(r, binary, data):
    path = os.path.join(data, "bluesky-jetstream", "jetstream_golden_v1.jsonl")
    lines = sorted((l.strip() for l in open(path) if l.strip()),
                   key=lambda l: json.loads(l)["time_us"])
    ref = file_run(binary, lines)
    tmp = tempfile.mkdtemp(prefix="reach-live-wss-")
    cert, key = make_cert(tmp)
    server = ReplayServer("jetstream", lines, drop_after=[4], certfile=cert, keyfile=key)
    try:
        env = dict(os.environ, SSL_CERT_FILE=cert)
        reach, m = live_run(binary, f"jetstream+wss://localhost:{server.port}/subscribe",
                            len(lines), env=env)
        r.check(metric(m, "reach_source_reconnects_total", "jetstream") >= 1, "wss reconnected")
        r.check(metric(m, "reach_source_duplicates_total", "jetstream") > 0, "wss replay dropped")
        code, live = finish(reach)
        r.check(code == 0, "reach exits cleanly on SIGTERM")
        check_same(r, live, ref, "jetstream wss")
        r.check(len(server.requests) >= 2 and "cursor" in server.requests[1]["query"],
                "wss reconnect carries a cursor")
    finally:
        server.stop()


# ---------------------------------------------------------------- Mastodon over TLS
def make_cert(tmp):
    cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                    "-out", cert, "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


def mastodon(r, binary, data):
    path = os.path.join(data, "mastodon", "mastodon-py", "mastodon_statuses_real_instances.jsonl")
    statuses = [json.loads(l)["status"] for l in open(path) if l.strip()]
    messages = [("update", json.dumps(s, separators=(",", ":"))) for s in statuses]
    edited = dict(statuses[3], content="<p>edited</p>", edited_at=statuses[3]["created_at"])
    deleted = statuses[5]["id"]
    messages += [("status.update", json.dumps(edited)), ("delete", deleted),
                 ("notification", "{}")]
    host = "localhost"
    ref = file_run(binary, [json.dumps({"_source_host": host, "event": e, "payload": d})
                            for e, d in messages])
    # Replies to other accounts (docs/metrics.md).
    replies = sum(1 for s in statuses if s.get("in_reply_to_id") and s["id"] != deleted
                  and s.get("in_reply_to_account_id") != s["account"]["id"])

    tmp = tempfile.mkdtemp(prefix="reach-live-tls-")
    cert, key = make_cert(tmp)
    token = "test-access-token"
    server = ReplayServer("sse", messages, drop_after=[25], token=token, certfile=cert,
                          keyfile=key)
    source = f"mastodon-sse+https://{host}:{server.port}/api/v1/streaming/public"
    try:
        # Without the test CA the certificate is refused: nothing is read.
        env = dict(os.environ, SSL_CERT_FILE="/nonexistent.pem")
        untrusted = Reach(binary, ["--source", source, "--store", "none", "--source-token", token],
                          env=env)
        deadline = time.time() + 20
        while time.time() < deadline:
            m = untrusted.metrics()
            if (m.get('reach_source_connect_errors_total{source="mastodon-sse",kind="network"}')
                    or 0) >= 1:
                break
            time.sleep(0.1)
        r.check((m.get('reach_source_connect_errors_total{source="mastodon-sse",kind="network"}')
                 or 0) >= 1, f"untrusted certificate refused: {m}")
        r.check(m.get("reach_ingest_records_total") == 0, "nothing read over an untrusted TLS")
        r.check(untrusted.stop() == 0, "untrusted run exits cleanly")
        r.check(len(server.requests) == 0, "no request sent before the certificate was checked")

        env = dict(os.environ, SSL_CERT_FILE=cert, REACH_SOURCE_TOKEN=token)
        reach, m = live_run(binary, source, len(messages), env=env)
        src = "mastodon-sse"
        r.check(metric(m, "reach_source_reconnects_total", src) >= 1, f"reconnected: {m}")
        r.check(metric(m, "reach_source_connected", src) == 1, "connected again")
        r.check(metric(m, "reach_source_keepalives_total", src) > 0, "heartbeats counted")
        r.check(metric(m, "reach_source_messages_total", src) == len(messages), "events handed on")
        r.check(m["reach_engine_deletes_applied_total"] == 1, "the delete event removed its post")
        r.check(m['reach_ingest_control_total{kind="status_update"}'] == 1, "the edit was seen")
        r.check(m['reach_ingest_control_total{kind="other_event"}'] == 1, "notification counted")
        t = totals(reach)
        r.check(t["posts"] == len(statuses) - 1, f"API posts {t['posts']} == {len(statuses)} - 1")
        r.check(t["replies"] == replies, f"API replies {t['replies']} == sample {replies}")
        code, live = finish(reach)
        r.check(code == 0, "reach exits cleanly on SIGTERM")
        check_same(r, live, ref, "mastodon")
        r.check(live["records"] == len(messages), "records == events sent")
        r.check(all(q["headers"].get("authorization") == "Bearer " + token
                    for q in server.requests), "bearer token on every request")
        r.check(all(q["headers"].get("accept") == "text/event-stream" for q in server.requests),
                "asks for an event stream")
    finally:
        server.stop()


# ---------------------------------------------------------------- X filtered stream
def x_messages(path):
    """The recorded search pages, one filtered-stream message per tweet (data, its includes)."""
    out, seen = [], {}
    for line in open(path):
        page = json.loads(line)
        users = {u["id"]: u for u in page.get("includes", {}).get("users", [])}
        tweets = {t["id"]: t for t in page.get("includes", {}).get("tweets", [])}
        for t in page["data"]:
            refs = [tweets[x["id"]] for x in t.get("referenced_tweets", []) if x["id"] in tweets]
            ids = {t["author_id"], t.get("in_reply_to_user_id")}
            ids |= {x.get("author_id") for x in refs}
            ids |= {m["id"] for m in t.get("entities", {}).get("mentions", []) if "id" in m}
            inc = {"users": [users[i] for i in ids if i in users]}
            if refs:
                inc["tweets"] = refs
            out.append(json.dumps({"data": t, "includes": inc,
                                   "matching_rules": [{"id": "1", "tag": "blm"}]},
                                  separators=(",", ":")))
            for x in [t] + refs:
                seen[x["id"]] = x
    # Reshares and quotes of other accounts' posts, counted once each, whose parent the stream
    # carries somewhere (docs/metrics.md: credit goes to the parent's author, so it must be known).
    kinds = {"retweeted": 0, "quoted": 0}
    for t in seen.values():
        refs = {x["type"]: x["id"] for x in t.get("referenced_tweets", [])}
        kind = "retweeted" if "retweeted" in refs else "quoted" if "quoted" in refs else None
        parent = seen.get(refs.get(kind))
        if kind and parent and parent["author_id"] != t["author_id"]:
            kinds[kind] += 1
    return out, kinds


def x_stream(r, binary, data):
    messages, kinds = x_messages(os.path.join(
        data, "twitter-v2", "twarc-network", "tweets_blacklivesmatter_2021-06-26.jsonl"))
    ref = file_run(binary, messages)
    token = "test-bearer"
    server = ReplayServer("xstream", messages, drop_after=[200, 150], token=token,
                          refuse_first=503)
    try:
        started = time.time()
        reach, m = live_run(binary, f"x-stream+http://127.0.0.1:{server.port}/2/tweets/search/stream",
                            len(messages), ["--source-token", token])
        src = "x-stream"
        r.check(time.time() - started >= 4.5, "waited 5 s after the HTTP 503 (X backoff)")
        r.check(metric(m, "reach_source_reconnects_total", src) >= 3, f"reconnected: {m}")
        r.check(m['reach_source_connect_errors_total{source="x-stream",kind="http"}'] == 1,
                "the 503 counted as an HTTP error")
        r.check(metric(m, "reach_source_last_http_status", src) == 503, "last status 503")
        # Small reads are handed on as they arrive, not when a buffer fills: the keep-alives the
        # idle stream sends every 0.5 s keep being counted.
        before = metric(m, "reach_source_keepalives_total", src)
        time.sleep(1.6)
        after = metric(reach.metrics(), "reach_source_keepalives_total", src)
        r.check(before > 0 and after >= before + 2, f"keep-alives counted: {before} -> {after}")
        r.check(metric(m, "reach_source_messages_total", src) == len(messages), "lines handed on")
        t = totals(reach)
        r.check(t["reshares"] == kinds["retweeted"],
                f"API reshares {t['reshares']} == retweets {kinds['retweeted']}")
        r.check(t["quotes"] == kinds["quoted"], f"API quotes {t['quotes']} == {kinds['quoted']}")
        code, live = finish(reach)
        r.check(code == 0, "reach exits cleanly on SIGTERM")
        check_same(r, live, ref, "x-stream")
        r.check(live["records"] == len(messages), "records == lines sent")
        q = server.requests
        r.check(all(x["headers"].get("authorization") == "Bearer " + token for x in q),
                "bearer token on every request")
        r.check(all("created_at" in x["query"].get("tweet.fields", [""])[0] for x in q),
                "asks for the tweet fields the decoder reads")
    finally:
        server.stop()


def main():
    binary, data = sys.argv[1], sys.argv[2]
    r = Results()
    for test in (jetstream, jetstream_tls, mastodon, x_stream):
        try:
            test(r, binary, data)
        except Exception as e:  # one broken scenario must not hide the others
            r.check(False, f"{test.__name__}: {type(e).__name__}: {e}")
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
