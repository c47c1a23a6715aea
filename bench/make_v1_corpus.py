#!/usr/bin/python3
"""Makes a larger Twitter v1.1 corpus from a real one by repeating it with fresh post ids.

Copy k of every tweet gets ids shifted by k * 10^15 (in id, id_str and every embedded status and
reference), so each copy is a distinct set of posts with the same shape, users and text; event times
are shifted by k * SPAN so copies follow each other in time. Used by benchmarks that need more than
the 546 fixture tweets.

usage: make_v1_corpus.py INPUT.jsonl COPIES OUTPUT.jsonl
"""
import json
import sys
import time
from datetime import datetime, timezone

SHIFT = 10**15
ID_KEYS = ("id", "in_reply_to_status_id", "quoted_status_id")
FMT = "%a %b %d %H:%M:%S +0000 %Y"


def shift_status(t, k, seconds):
    for key in ID_KEYS:
        if isinstance(t.get(key), int):
            t[key] += k * SHIFT
        if isinstance(t.get(key + "_str"), str):
            t[key + "_str"] = str(int(t[key + "_str"]) + k * SHIFT)
    if "created_at" in t:
        dt = datetime.strptime(t["created_at"], FMT).replace(tzinfo=timezone.utc)
        t["created_at"] = time.strftime(FMT, time.gmtime(dt.timestamp() + seconds))
    if t.get("timestamp_ms"):
        t["timestamp_ms"] = str(int(t["timestamp_ms"]) + seconds * 1000)
    for key in ("retweeted_status", "quoted_status"):
        if isinstance(t.get(key), dict):
            shift_status(t[key], k, seconds)


def main():
    src, copies, dst = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    tweets = [json.loads(l) for l in open(src) if l.strip()]
    span = 86400 * 30  # copies follow each other a month apart
    with open(dst, "w") as out:
        for k in range(copies):
            for t in tweets:
                c = json.loads(json.dumps(t)) if k else t
                if k:
                    shift_status(c, k, k * span)
                out.write(json.dumps(c, ensure_ascii=False, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
