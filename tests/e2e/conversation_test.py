#!/usr/bin/python3
"""End-to-end tests of the conversation analytics of `reach run`: trending topics, sentiment,
geography, spike alerts on the event stream and to a webhook.

usage: conversation_test.py REACH_BINARY
"""
import http.server
import json
import os
import subprocess
import sys
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from harness import Reach, Results  # noqa: E402

T0 = 1_600_000_000


def created_at(sec):
    return time.strftime("%a %b %d %H:%M:%S +0000 %Y", time.gmtime(sec))


def tweet(i, user, sec, text, tags, location="London, England"):
    return {"created_at": created_at(sec), "id_str": str(i), "id": i, "text": text,
            "user": {"id_str": str(user), "id": user, "screen_name": f"u{user}", "name": f"U {user}",
                     "location": location, "followers_count": 10, "friends_count": 1,
                     "statuses_count": 1, "created_at": created_at(T0 - 86400)},
            "entities": {"hashtags": [{"text": t} for t in tags], "user_mentions": [], "urls": []},
            "favorite_count": 0, "retweet_count": 0}


class Hook(http.server.BaseHTTPRequestHandler):
    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Hook.received.append(json.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def main():
    binary = os.path.abspath(sys.argv[1])
    r = Results()
    hook = http.server.HTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    reach = Reach(binary, ["--source", "-", "--store", "none",
                           "--alert-webhook", f"http://127.0.0.1:{hook.server_port}/alerts"],
                  stdin=subprocess.PIPE)
    events = []
    try:
        # Thirteen quiet hours: one post an hour on each topic, happy in London, sad in Paris.
        lines, i = [], 1
        for h in range(13):
            lines.append(tweet(i, 1, T0 + h * 3600, "What a wonderful happy day #steady", ["steady", "Burst"]))
            i += 1
            lines.append(tweet(i, 2, T0 + h * 3600 + 1, "This is terrible and sad", ["steady"],
                               location="Paris, France"))
            i += 1
        for t in lines:
            reach.proc.stdin.write((json.dumps(t) + "\n").encode())
        reach.proc.stdin.flush()
        reach.wait_ingested(len(lines))
        # Listen on the event stream, then the burst.
        stream = urllib.request.urlopen(f"http://127.0.0.1:{reach.port}/api/stream", timeout=20)

        def listen():
            name = None
            for raw in stream:
                line = raw.decode().rstrip("\n")
                if line.startswith("event: "):
                    name = line[7:]
                elif line.startswith("data: ") and name == "alert":
                    events.append(json.loads(line[6:]))
        threading.Thread(target=listen, daemon=True).start()
        time.sleep(0.5)
        burst = [tweet(1000 + k, 3, T0 + 13 * 3600 + k, "so good #burst", ["burst"]) for k in range(40)]
        for t in burst:
            reach.proc.stdin.write((json.dumps(t) + "\n").encode())
        reach.proc.stdin.flush()
        reach.wait_ingested(len(lines) + len(burst))
        deadline = time.time() + 10
        while time.time() < deadline and (not events or not Hook.received):
            time.sleep(0.1)
        r.check(any(e.get("topic") == "burst" for e in events), f"alert on the event stream: {events}")
        r.check(any(e.get("topic") == "burst" and e.get("ratio", 0) >= 3 for e in Hook.received),
                f"alert POSTed to the webhook: {Hook.received}")
        status, alerts = reach.get_json("/api/alerts")
        r.check(status == 200 and alerts["items"] and alerts["items"][0]["topic"] == "burst",
                f"/api/alerts lists the burst: {status} {alerts}")
        status, trending = reach.get_json("/api/topics/trending?window=1h&limit=5")
        r.check(status == 200 and trending["topics"][0]["topic"] == "burst"
                and trending["topics"][0]["posts"] == 40,
                f"burst leads the last hour with 40 posts: {trending.get('topics')}")
        status, day = reach.get_json("/api/topics/trending?window=24h&limit=10")
        steady = [t for t in day.get("topics", []) if t["topic"] == "steady"]
        r.check(steady and steady[0]["posts"] == 26 and steady[0]["sentiment"] < 0.3,
                f"steady: 26 posts over the day, mixed sentiment: {steady}")
        terms = {t["term"]: t["posts"] for t in day.get("terms", [])}
        r.check(terms.get("good") == 40 and terms.get("wonderful") == 13 and "what" not in terms
                and "steady" not in terms, f"trending terms, stop words and hashtags left out: {terms}")
        status, geo = reach.get_json("/api/geo?window=24h")
        countries = {c["country"]: c for c in geo.get("countries", [])}
        r.check(set(countries) == {"GB", "FR"}, f"countries from profile locations: {list(countries)}")
        r.check(countries.get("GB", {}).get("sentiment", 0) > 0.3 > countries.get("FR", {}).get("sentiment", 1),
                f"London happy, Paris sad: {countries}")
        status, series = reach.get_json("/api/sentiment?window=1h&bucket=5m")
        r.check(status == 200 and sum(p["posts"] for p in series.get("points", [])) == 40,
                f"the last hour's series holds its 40 posts: {series}")
    finally:
        reach.proc.stdin.close()
        r.check(reach.stop() == 0, "clean exit")
        hook.shutdown()
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
