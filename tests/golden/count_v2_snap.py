#!/usr/bin/env python3
"""Independent reference counts for the X API v2 and SNAP activity decoders.

Reads the shared sample files with the Python standard library only and writes
tests/golden/expected_counts_v2_snap.tsv, which src/ingest/twitter_v2_decoder_test.cc and
src/ingest/edge_list_decoder_test.cc compare the C++ decoders against. The rules restated here
are the ones documented in src/ingest/twitter_v2_decoder.h and edge_list_decoder.h:

X API v2, per record (one line):
- a page ({"data": ...}) of tweets: every tweet of data, the tweets it references that the record
  carries (includes.tweets; up to 3 levels), each post id once per record, all versions of an
  edited tweet counted as one post (the first id of edit_history_tweet_ids) and decoded from the
  newest version present; a referenced tweet without created_at or author_id gives no post;
  every distinct user of includes.users gives one snapshot;
- twarc's flattened tweet: the same, with the referenced tweets inlined in referenced_tweets[]
  and the users inlined as author, in_reply_to_user and mentions that carry a "name";
- a page of users or a bare user object: one snapshot per distinct user;
- a page of tweet counts, a page with no data, or errors only: a control record, no events;
- anything else (compliance records, lists, wrapped recordings, broken JSON): rejected.
Kinds: retweeted -> reshare, else quoted -> quote, else replied_to -> reply, else original.

SNAP activity ("userA userB unix_time RT|MT|RE"): one post per line; RT reshare, MT original with
one mention, RE reply. '#' lines are control records; other malformed lines are rejected.

Usage: count_v2_snap.py [shared_data_dir] [output_tsv]
"""

import glob
import gzip
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DATA = os.path.join(HERE, "..", "..", "..", "shared", "data")
DEFAULT_OUT = os.path.join(HERE, "expected_counts_v2_snap.tsv")
MAX_DEPTH = 3

COLUMNS = ["file", "records", "accepted", "rejected", "controls", "posts", "originals",
           "reshares", "quotes", "replies", "mentions", "hashtags", "urls", "users",
           "like_sum", "withheld", "edited", "distinct_parents"]


class Counts:
    def __init__(self):
        self.c = {k: 0 for k in COLUMNS[1:]}
        self.parents = set()  # cascade parents of reshares and quotes

    def add(self, key, n=1):
        self.c[key] += n


class Reject(Exception):
    pass


def as_id(v):
    if isinstance(v, str):
        if not v.isdigit():
            raise Reject("id")
        return int(v)
    if isinstance(v, int) and not isinstance(v, bool) and v >= 0:
        return v
    raise Reject("id")


def kind_of(item):
    if not isinstance(item, dict):
        return "other"
    if "text" in item or "author_id" in item:
        return "tweet"
    if "username" in item:
        return "user"
    if "tweet_count" in item and "start" in item:
        return "count"
    return "other"


class Record:
    """One v2 record's index and emission, mirroring the documented rules."""

    def __init__(self):
        self.data = []
        self.tweets = {}
        self.users = {}  # id -> user object, insertion ordered
        self.canonical = {}
        self.newest = {}
        self.emitted_posts = set()
        self.emitted_users = set()
        self.events = []  # ("post", dict) or ("user", id)

    def add_user(self, u):
        uid = as_id(u.get("id")) if u.get("id") is not None else 0
        if uid == 0:
            raise Reject("user id")
        self.users.setdefault(uid, u)

    def add_tweet(self, t):
        tid = as_id(t["id"]) if t.get("id") is not None else 0
        if tid == 0:
            raise Reject("tweet id")
        self.tweets.setdefault(tid, t)
        chain = [as_id(x) for x in (t.get("edit_history_tweet_ids") or [])]
        chain = [x for x in chain if x != 0]
        if len(chain) >= 2:
            for x in chain:
                self.canonical.setdefault(x, chain[0])
            self.newest[chain[0]] = max(self.newest.get(chain[0], 0), chain[-1])
        return tid

    def add_flat(self, t, depth):
        tid = self.add_tweet(t)
        for key in ("author", "in_reply_to_user"):
            if isinstance(t.get(key), dict):
                self.add_user(t[key])
        for m in (t.get("entities") or {}).get("mentions") or []:
            if "id" in m and "name" in m:
                self.add_user(m)
        if depth < MAX_DEPTH:
            for r in t.get("referenced_tweets") or []:
                if "created_at" in r or "text" in r or "author_id" in r:
                    self.add_flat(r, depth + 1)
        return tid

    def canon(self, tid):
        return self.canonical.get(tid, tid)

    def find(self, tid):
        if tid in self.canonical:
            newest = self.newest.get(self.canonical[tid])
            if newest in self.tweets:
                return self.tweets[newest]
        return self.tweets.get(tid)

    def author_of(self, tid):
        t = self.find(tid)
        if t is None:
            return 0
        a = t.get("author_id")
        return int(a) if isinstance(a, str) and a.isdigit() else 0

    def emit_user(self, uid):
        self.emitted_users.add(uid)
        self.events.append(("user", uid))

    def emit_tweet(self, t, is_data, depth):
        tid = self.canon(as_id(t["id"]))
        if tid in self.emitted_posts:
            return
        self.emitted_posts.add(tid)
        author = as_id(t["author_id"]) if t.get("author_id") is not None else 0
        if author == 0 or t.get("created_at") is None:
            if is_data:
                raise Reject("missing author_id or created_at")
            return
        types = {}
        for r in t.get("referenced_tweets") or []:
            types.setdefault(r["type"], as_id(r["id"]))
        if "retweeted" in types:
            kind = "reshare"
        elif "quoted" in types:
            kind = "quote"
        elif "replied_to" in types:
            kind = "reply"
        else:
            kind = "original"
        ent = t.get("entities") or {}
        mentions = [m for m in ent.get("mentions") or []
                    if m.get("username") or (m.get("id") not in (None, "0"))]
        hashtags = [h for h in ent.get("hashtags") or [] if h.get("tag")]
        urls = [u for u in ent.get("urls") or [] if u.get("expanded_url") or u.get("url")]
        likes = (t.get("public_metrics") or {}).get("like_count")
        parent = 0
        if kind in ("reshare", "quote"):
            parent = self.canon(types["retweeted" if kind == "reshare" else "quoted"])
        post = {"kind": kind, "parent": parent, "mentions": len(mentions), "hashtags": len(hashtags),
                "urls": len(urls), "likes": likes, "withheld": "withheld" in t,
                "edited": as_id(t["id"]) in self.canonical}
        if depth < MAX_DEPTH:
            for r in t.get("referenced_tweets") or []:
                ref = self.find(as_id(r["id"]))
                if ref is not None:
                    self.emit_tweet(ref, False, depth + 1)
        if author in self.users and author not in self.emitted_users:
            self.emit_user(author)
        self.events.append(("post", post))

    def emit_all(self):
        for tid in self.data:
            self.emit_tweet(self.find(tid), True, 0)
        self.emit_rest()

    def emit_rest(self):
        for uid in self.users:
            if uid not in self.emitted_users:
                self.emit_user(uid)


def decode_v2(line):
    """Returns ("reject"|"control"|"events", events)."""
    try:
        o = json.loads(line)
    except ValueError:
        return "reject", []
    if not isinstance(o, dict):
        return "reject", []
    rec = Record()
    try:
        if "data" in o:
            data = o["data"]
            items = data if isinstance(data, list) else ([] if data is None else [data])
            if items and not isinstance(data, (list, dict)):
                return "reject", []
            if not items:
                return "control", []
            kind = kind_of(items[0])
            if kind == "other" or any(kind_of(i) != kind for i in items):
                return "reject", []
            if kind == "count":
                return "control", []
            if kind == "user":
                for u in items:
                    rec.add_user(u)
                rec.emit_rest()
                return "events", rec.events
            for t in items:
                rec.data.append(rec.add_tweet(t))
            inc = o.get("includes") or {}
            for u in inc.get("users") or []:
                rec.add_user(u)
            for t in inc.get("tweets") or []:
                rec.add_tweet(t)
            rec.emit_all()
            return "events", rec.events
        if "errors" in o:
            return "control", []
        if "id" in o and ("text" in o or "author_id" in o):
            rec.data.append(rec.add_flat(o, 0))
            rec.emit_all()
            return "events", rec.events
        if "id" in o and "username" in o:
            rec.add_user(o)
            rec.emit_rest()
            return "events", rec.events
        if "meta" in o:
            return "control", []
        return "reject", []
    except Reject:
        return "reject", []


def tally(counts, status, events):
    if status == "reject":
        counts.add("rejected")
        return
    counts.add("accepted")
    if status == "control":
        counts.add("controls")
    for kind, ev in events:
        if kind == "user":
            counts.add("users")
            continue
        counts.add("posts")
        counts.add({"original": "originals", "reshare": "reshares", "quote": "quotes",
                    "reply": "replies"}[ev["kind"]])
        counts.add("mentions", ev["mentions"])
        counts.add("hashtags", ev["hashtags"])
        counts.add("urls", ev["urls"])
        if isinstance(ev["likes"], int):
            counts.add("like_sum", ev["likes"])
        if ev["withheld"]:
            counts.add("withheld")
        if ev["edited"]:
            counts.add("edited")
        if ev["parent"]:
            counts.parents.add(ev["parent"])
    counts.c["distinct_parents"] = len(counts.parents)


def lines_of(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        for raw in f:
            line = raw.rstrip(b"\n").rstrip(b"\r")
            if line:
                yield line.decode("utf-8", errors="surrogateescape")


def count_v2(path):
    counts = Counts()
    for line in lines_of(path):
        counts.add("records")
        status, events = decode_v2(line)
        tally(counts, status, events)
    return counts


def count_snap(path):
    counts = Counts()
    for line in lines_of(path):
        counts.add("records")
        if line.lstrip().startswith("#"):
            counts.add("accepted")
            counts.add("controls")
            continue
        f = line.split()
        ok = (len(f) == 4 and f[0].isdigit() and f[1].isdigit() and f[2].isdigit()
              and int(f[0]) > 0 and int(f[1]) > 0 and 0 < int(f[2]) < 253402300800
              and f[3] in ("RT", "MT", "RE"))
        if not ok:
            counts.add("rejected")
            continue
        counts.add("accepted")
        counts.add("posts")
        if f[3] == "RT":
            counts.add("reshares")
            counts.parents.add((int(f[1]), int(f[2]) // 86400))  # one root per (B, UTC day)
        elif f[3] == "RE":
            counts.add("replies")
        else:
            counts.add("originals")
            counts.add("mentions")
    counts.c["distinct_parents"] = len(counts.parents)
    return counts


def main():
    data = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_DATA)
    out = sys.argv[2] if len(sys.argv) > 2 else DEFAULT_OUT
    rows = []
    for path in sorted(glob.glob(os.path.join(data, "twitter-v2", "*", "*.jsonl"))):
        rows.append((os.path.relpath(path, data), count_v2(path)))
    higgs = os.path.join(data, "higgs", "higgs-activity_time.txt.gz")
    rows.append((os.path.relpath(higgs, data), count_snap(higgs)))
    with open(out, "w", encoding="utf-8") as f:
        f.write("# Generated by tests/golden/count_v2_snap.py from the shared sample data.\n")
        f.write("\t".join(COLUMNS) + "\n")
        for name, counts in rows:
            f.write("\t".join([name] + [str(counts.c[k]) for k in COLUMNS[1:]]) + "\n")


if __name__ == "__main__":
    main()
