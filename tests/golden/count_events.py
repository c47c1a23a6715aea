#!/usr/bin/python3
"""Expected event counts of the shared Bluesky Jetstream and Mastodon samples.

An independent computation for the decoder golden tests (src/ingest/*_decoder_test.cc): it reads
each sample with Python's json module and applies the mapping rules of the decoders' header
comments, without any of their code. Writes tests/golden/expected_counts.tsv.

    /usr/bin/python3 tests/golden/count_events.py [SHARED_DATA_DIR]

Columns (counts over the whole file):
  records    lines that are not empty
  accepted   records the decoder accepts
  posts      Post events of any kind (embedded statuses included)
  originals / reshares / quotes / replies   Post events by kind
  via        Bluesky reposts whose parent is the `via` repost
  likes, follows (follow = true), unfollows (follow = false), deletes (Delete events)
  users      UserSnapshot events
  controls   records whose DecodeResult names a control kind
  hashtags, mentions   totals over all Post events
"""

import json
import os
import sys
from urllib.parse import urlsplit

COLUMNS = ["records", "accepted", "posts", "originals", "reshares", "quotes", "replies", "via",
           "likes", "follows", "unfollows", "deletes", "users", "controls", "hashtags",
           "mentions"]

FILES = [
    ("bluesky-jetstream/jetstream_expected_v1.jsonl", "bluesky-jetstream"),
    ("bluesky-jetstream/jetstream_golden_v1.jsonl", "bluesky-jetstream"),
    ("mastodon/mastodon-py/mastodon_statuses_real_instances.jsonl", "mastodon"),
]


def new_counts():
    return {c: 0 for c in COLUMNS}


def at_collection(uri):
    # at://AUTHORITY/COLLECTION/RKEY
    if not uri.startswith("at://"):
        return ""
    parts = uri[len("at://"):].split("/")
    return parts[1] if len(parts) > 1 else ""


def jetstream_record(d, c):
    kind = d["kind"]
    if kind in ("identity", "account"):
        c["controls"] += 1
        return
    commit = d["commit"]
    op, coll = commit["operation"], commit["collection"]
    if op == "delete":
        if coll in ("app.bsky.feed.post", "app.bsky.feed.repost"):
            c["deletes"] += 1
            c["controls"] += 1
        elif coll == "app.bsky.graph.follow":
            c["unfollows"] += 1
        else:  # un-like, other collections
            c["controls"] += 1
        return
    rec = commit["record"]
    if coll == "app.bsky.feed.post":
        c["posts"] += 1
        embed = rec.get("embed") or {}
        quoted = None
        if embed.get("$type") == "app.bsky.embed.record":
            quoted = embed["record"]["uri"]
        elif embed.get("$type") == "app.bsky.embed.recordWithMedia":
            quoted = embed["record"]["record"]["uri"]
        if quoted is not None and at_collection(quoted) == "app.bsky.feed.post":
            c["quotes"] += 1
        elif rec.get("reply"):
            c["replies"] += 1
        else:
            c["originals"] += 1
        for facet in rec.get("facets") or []:
            for feature in facet.get("features") or []:
                t = feature.get("$type")
                if t == "app.bsky.richtext.facet#tag" and feature.get("tag"):
                    c["hashtags"] += 1
                elif t == "app.bsky.richtext.facet#mention" and feature.get("did"):
                    c["mentions"] += 1
    elif coll == "app.bsky.feed.repost":
        c["posts"] += 1
        c["reshares"] += 1
        if rec.get("via"):
            c["via"] += 1
    elif coll == "app.bsky.feed.like":
        if at_collection(rec["subject"]["uri"]) == "app.bsky.feed.post":
            c["likes"] += 1
        else:
            c["controls"] += 1
    elif coll == "app.bsky.graph.follow":
        c["follows"] += 1
    elif coll == "app.bsky.actor.profile":
        c["users"] += 1
    else:
        c["controls"] += 1


def mastodon_status(s, c):
    c["posts"] += 1
    c["users"] += 1
    c["hashtags"] += len([t for t in s.get("tags") or [] if t.get("name")])
    c["mentions"] += len(s.get("mentions") or [])
    if s.get("reblog") is not None:
        mastodon_status(s["reblog"], c)
        c["reshares"] += 1
        return
    q = s.get("quote")
    if q is not None and q.get("state", "accepted") == "accepted" and (
            q.get("quoted_status") is not None or q.get("quoted_status_id")):
        if q.get("quoted_status") is not None:
            mastodon_status(q["quoted_status"], c)
        c["quotes"] += 1
    elif s.get("in_reply_to_id") is not None:
        c["replies"] += 1
    else:
        c["originals"] += 1


def mastodon_record(d, c):
    if "event" in d:
        ev = d["event"]
        if ev == "delete":
            c["controls"] += 1
            if d.get("_source_host"):
                c["deletes"] += 1
        elif ev in ("update", "status.update"):
            p = d["payload"]
            mastodon_status(json.loads(p) if isinstance(p, str) else p, c)
            if ev == "status.update":
                c["controls"] += 1
        else:
            c["controls"] += 1
        return
    mastodon_status(d["status"] if "status" in d and "account" not in d else d, c)


def count(path, fmt):
    c = new_counts()
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            c["records"] += 1
            d = json.loads(line)
            if fmt == "bluesky-jetstream":
                jetstream_record(d, c)
            else:
                mastodon_record(d, c)
            c["accepted"] += 1
    return c


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "..", "shared",
                                                               "data")
    rows = ["\t".join(["file", "format"] + COLUMNS)]
    for rel, fmt in FILES:
        c = count(os.path.join(data, rel), fmt)
        rows.append("\t".join([rel, fmt] + [str(c[k]) for k in COLUMNS]))
    with open(os.path.join(here, "expected_counts.tsv"), "w", encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
