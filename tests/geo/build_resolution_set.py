#!/usr/bin/python3
"""Builds tests/geo/resolution_set.tsv: real profile locations labelled with a country.

Each row pairs a user's free-text profile location with the country_code of the Twitter `place`
attached to one of that user's posts, taken from the shared samples:
  - twitter-v1/all_fixture_tweets_v11.jsonl: tweet.place + tweet.user (also inside retweeted and
    quoted statuses);
  - twitter-v2/**.jsonl: data tweets with geo.place_id, resolved through includes.places and the
    author through includes.users (any nesting, including JSON embedded in strings).
Rows are deduplicated by (user id, location); when a user posted from several countries the most
frequent place country is the label. Empty locations are skipped.

Standard library only. Usage: tests/geo/build_resolution_set.py [--data DIR] [--out FILE]
"""

import argparse
import collections
import glob
import json
import os
import sys


def v1_pairs(path):
    def walk(t):
        if not isinstance(t, dict):
            return
        place, user = t.get("place"), t.get("user")
        if isinstance(place, dict) and isinstance(user, dict) and place.get("country_code"):
            yield user.get("id_str") or str(user.get("id")), user.get("location"), place["country_code"]
        for k in ("retweeted_status", "quoted_status"):
            yield from walk(t.get(k))

    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield from walk(json.loads(line))


def v2_pairs(paths):
    places, users, tweets = {}, {}, []

    def walk(o):
        if isinstance(o, dict):
            if "country_code" in o and "id" in o and "full_name" in o:
                places[o["id"]] = o
            if "username" in o and "id" in o and (o["id"] not in users or "location" in o):
                users[o["id"]] = o
            geo = o.get("geo")
            if "author_id" in o and isinstance(geo, dict) and geo.get("place_id"):
                tweets.append((o["author_id"], geo["place_id"]))
            for v in o.values():
                walk(v)
        elif isinstance(o, list):
            for v in o:
                walk(v)
        elif isinstance(o, str) and o[:1] in "{[":
            try:
                walk(json.loads(o))
            except ValueError:
                pass

    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                try:
                    walk(json.loads(line))
                except ValueError:
                    continue  # deliberately broken lines in the fixtures
    for author, place_id in tweets:
        place, user = places.get(place_id), users.get(author)
        if place and user and place.get("country_code"):
            yield author, user.get("location"), place["country_code"]


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    p = argparse.ArgumentParser()
    p.add_argument("--data", default=os.path.join(root, "..", "shared", "data"))
    p.add_argument("--out", default=os.path.join(root, "tests", "geo", "resolution_set.tsv"))
    args = p.parse_args()

    labels = collections.defaultdict(collections.Counter)
    pairs = list(v1_pairs(os.path.join(args.data, "twitter-v1", "all_fixture_tweets_v11.jsonl")))
    pairs += list(v2_pairs(sorted(glob.glob(os.path.join(args.data, "twitter-v2", "*", "*.jsonl")))))
    for user, location, cc in pairs:
        location = " ".join((location or "").split())
        if location:
            labels[(user, location)][cc] += 1

    rows = sorted((loc, c.most_common(1)[0][0], user) for (user, loc), c in labels.items())
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write("# Profile location -> country of the Twitter place of the same user's post.\n")
        f.write("# Derived by tests/geo/build_resolution_set.py from the fixture data in\n")
        f.write("# /work/shared/data/twitter-v1 (python-twitter Apache-2.0, tweepy MIT, json-benchmark\n")
        f.write("# MIT/Apache-2.0) and twitter-v2 (twarc-csv MIT, twarc-network MIT, tweepy MIT).\n")
        f.write("# Tweet content belongs to Twitter/X users; test fixture use only.\n")
        f.write("# location\tcountry_code\tuser_id\n")
        for loc, cc, user in rows:
            f.write(f"{loc}\t{cc}\t{user}\n")
    print(f"{len(rows)} rows -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
