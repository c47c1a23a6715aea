#!/usr/bin/python3
"""The Python peer of the ingest benchmark: the seed's per-user table from a Twitter v1.1 NDJSON file
with the standard library's json and pandas (Debian python3-pandas), as a data team would write it.

Per author: tweets, retweets made, retweets received (by the original's author), favourites and
retweet counts reported on their originals, followers, friends and statuses (latest profile), and
the seed's influence score: the four factors (retweets, favourites, followers, depth; depth is 1 for
anyone retweeted, the data shows no more) min-max normalized and weighted like Reach's default
(0.35, 0.2, 0.25, 0.2). Tweets are de-duplicated by id.

usage: peer_pandas.py INPUT.jsonl OUTPUT.csv
"""
import json
import sys

import pandas as pd


def main():
    src, dst = sys.argv[1], sys.argv[2]
    rows = []
    with open(src, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            try:
                t = json.loads(line)
            except ValueError:
                continue
            if "user" not in t or "id" not in t:
                continue
            u = t["user"]
            rt = t.get("retweeted_status")
            rows.append((t["id"], u["id"], u.get("followers_count", 0), u.get("friends_count", 0),
                         u.get("statuses_count", 0), t.get("favorite_count", 0) or 0,
                         t.get("retweet_count", 0) or 0, rt["user"]["id"] if rt else None))
            if rt:  # the embedded original is a tweet of its own
                ru = rt["user"]
                rows.append((rt["id"], ru["id"], ru.get("followers_count", 0),
                             ru.get("friends_count", 0), ru.get("statuses_count", 0),
                             rt.get("favorite_count", 0) or 0, rt.get("retweet_count", 0) or 0,
                             None))
    df = pd.DataFrame(rows, columns=["id", "user", "followers", "friends", "statuses", "favorites",
                                     "retweet_count", "retweet_of_user"])
    # Later copies of an embedded original carry later counts: keep the last one seen.
    df = df.drop_duplicates("id", keep="last")
    originals = df[df.retweet_of_user.isna()]
    retweets = df[df.retweet_of_user.notna()]
    table = df.groupby("user").agg(tweets=("id", "size"), followers=("followers", "last"),
                                   friends=("friends", "last"), statuses=("statuses", "last"))
    table["retweets_made"] = retweets.groupby("user").size()
    table["retweets_received"] = retweets.groupby(retweets.retweet_of_user.astype("int64")).size()
    table["favorites"] = originals.groupby("user").favorites.sum()
    table["retweet_count"] = originals.groupby("user").retweet_count.sum()
    table = table.fillna(0)
    table["depth"] = (table.retweets_received > 0).astype(int)

    def norm(c):
        lo, hi = c.min(), c.max()
        return (c - lo) / (hi - lo) if hi > lo else c * 0

    table["score"] = 100 * (0.35 * norm(table.retweets_received) + 0.2 * norm(table.favorites) +
                            0.25 * norm(table.followers) + 0.2 * norm(table.depth))
    table.sort_values("score", ascending=False).to_csv(dst)


if __name__ == "__main__":
    main()
