#!/usr/bin/python3
"""End-to-end tests of the budget planner: `reach plan` on a simulated world and on the shipped
sample (table, JSON, CSV, exact mode, bad input), and POST/GET /api/plans on a live `reach run`:
the plan chosen from observed audiences, saving with the API token, and the "plan" event on the
stream when new engagement changes a saved plan.

usage: plan_test.py REACH_BINARY
"""
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from harness import Reach, Results  # noqa: E402

T0 = 1_600_000_000
GUARANTEE = 0.31606027941427883  # (1 - 1/e) / 2


def created_at(sec):
    return time.strftime("%a %b %d %H:%M:%S +0000 %Y", time.gmtime(sec))


def user(uid, location, followers):
    return {"id_str": str(uid), "id": uid, "screen_name": f"u{uid}", "name": f"U {uid}",
            "location": location, "followers_count": followers, "friends_count": 1,
            "statuses_count": 1, "created_at": created_at(T0 - 86400)}


def original(tid, uid, location, followers, sec):
    return {"created_at": created_at(sec), "id_str": str(tid), "id": tid, "text": f"post {tid} #coffee",
            "user": user(uid, location, followers),
            "entities": {"hashtags": [{"text": "coffee"}], "user_mentions": [], "urls": []},
            "favorite_count": 0, "retweet_count": 0}


def retweet(tid, uid, location, orig, sec):
    return {"created_at": created_at(sec), "id_str": str(tid), "id": tid,
            "text": "RT @u%s: %s" % (orig["user"]["id"], orig["text"]),
            "user": user(uid, location, 5), "retweeted_status": orig,
            "entities": {"hashtags": [], "user_mentions": [], "urls": []},
            "favorite_count": 0, "retweet_count": 0}


def run(binary, *args, env=None):
    p = subprocess.run([binary, *args], capture_output=True, text=True, timeout=300, env=env)
    return p.returncode, p.stdout, p.stderr


def post(port, body, token=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/plans", data=json.dumps(body).encode(),
                                 method="POST", headers={"Content-Type": "application/json"})
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def figures_consistent(plan, budget):
    regions = sum(x["expected_reach"] for x in plan["reach_by_region"])
    spend = sum(x["spend"] for x in plan["influencers"])
    ok = abs(regions - plan["expected_reach"]) < 1e-6 * max(1, regions)
    ok = ok and abs(spend - plan["spend"]) < 1e-6 * max(1, spend) and plan["spend"] <= budget + 1e-9
    ok = ok and all(x["posts"] <= x["max_posts"] for x in plan["influencers"])
    if plan["expected_reach"] > 0:
        ok = ok and abs(plan["cost_per_person"] - plan["spend"] / plan["expected_reach"]) < 1e-6
    return ok


def cli_tests(binary, r, tmp):
    world = os.path.join(tmp, "world.jsonl")
    code, _, err = run(binary, "simulate", "--seed", "11", "--users", "4000", "--posts", "40000",
                       "--out", world)
    r.check(code == 0, f"simulate: {err}")
    code, out, err = run(binary, "plan", "--source", world, "--budget", "10000", "--countries",
                         "US,GB", "--format", "json")
    r.check(code == 0, f"reach plan --format json: {err}")
    doc = json.loads(out)
    plan, naive = doc["plan"], doc["naive"]
    print("simulated world, budget 10000, US+GB: plan %.1f, most followers %.1f, highest score %.1f"
          % (plan["expected_reach"], naive["most_followers"]["expected_reach"],
             naive["highest_score"]["expected_reach"]))
    r.check(plan["expected_reach"] > naive["most_followers"]["expected_reach"]
            and plan["expected_reach"] > naive["highest_score"]["expected_reach"],
            "the plan beats both naive plans on expected unique regional reach")
    r.check([x["country"] for x in plan["reach_by_region"]] == ["US", "GB"], "regions US, GB")
    for name, p in [("plan", plan)] + list(naive.items()):
        r.check(figures_consistent(p, 10000), f"{name}: figures add up: {p['spend']} {p['expected_reach']}")
    r.check(doc["candidates"] == 2000 and doc["people"] > 0, "default pool of 2000 with audiences")

    # Exact mode on a small pool: GLPK's optimum bounds the greedy plan, which keeps its guarantee.
    code, out, err = run(binary, "plan", "--source", world, "--budget", "3000", "--countries", "US",
                         "--pool", "15", "--exact", "--format", "json")
    doc = json.loads(out) if code == 0 else {}
    exact = doc.get("exact") or {}
    r.check(code == 0 and "value" in exact, f"exact plan: {err} {exact}")
    if "value" in exact:
        r.check(exact["value"] + 1e-9 >= doc["plan"]["value"], "optimum >= greedy")
        r.check(GUARANTEE <= exact["greedy_ratio"] <= 1 + 1e-9, f"ratio {exact['greedy_ratio']}")

    code, out, _ = run(binary, "plan", "--source", world, "--budget", "5000", "--format", "csv")
    lines = out.splitlines()
    r.check(code == 0 and lines[0] == "plan,user_id,handle,posts,cost_per_post,spend,expected_reach,cost_source"
            and any(l.startswith("plan,") for l in lines) and any(l.startswith("most_followers,") for l in lines),
            f"csv output: {lines[:3]}")
    code, out, _ = run(binary, "plan", "--budget", "2000", "--countries", "US:2,GB:1")
    r.check(code == 0 and "plan (greedy): expected unique reach" in out and "naive: most followers" in out,
            f"table on the shipped sample: {out[:300]}")

    # Bad input: a clear message and exit status 2.
    card = os.path.join(tmp, "bad_card.csv")
    with open(card, "w") as f:
        f.write("account,cost\n@a,100\n@b,lots\n")
    for args, message in [(["--budget=-5"], "budget: must be >= 0"),
                          (["--budget", "5", "--countries", "US,XX"], 'unknown country code "XX"'),
                          (["--budget", "5", "--rate-card", card], "rate card line 3"),
                          (["--budget", "5", "--pool", "0"], "pool: the pool is empty"),
                          (["--budget", "5", "--format", "xml"], "--format must be table, json or csv")]:
        code, _, err = run(binary, "plan", *args)
        r.check(code == 2 and message in err, f"{args}: exit {code}, {err.strip()}")
    code, out, _ = run(binary, "plan", "--help")
    r.check(code == 0 and "--rate-card" in out and "--server" in out and "(1-1/e)/2" in out, "plan --help")


def server_tests(binary, r, tmp):
    env = dict(os.environ, REACH_API_TOKEN="s3cret")
    reach = Reach(binary, ["--source", "-", "--store", "none"], env=env, stdin=subprocess.PIPE)
    events = []
    try:
        a = original(10, 1, "Lagos, Nigeria", 1_000_000, T0)
        b1 = original(20, 2, "Lagos, Nigeria", 900_000, T0 + 1)
        b2 = original(21, 2, "Lagos, Nigeria", 900_000, T0 + 2)
        c = original(30, 3, "Lagos, Nigeria", 100, T0 + 3)
        lines = [a, b1, b2, c]
        tid = 1000
        for u in range(100, 120):  # 20 people in the US reshare @u1's post and one of @u2's
            for orig in (a, b1):
                lines.append(retweet(tid, u, "New York, NY", orig, T0 + 60))
                tid += 1
        for u in range(200, 205):  # 5 people in Great Britain reshare @u3
            lines.append(retweet(tid, u, "London, England", c, T0 + 70))
            tid += 1
        for t in lines:
            reach.proc.stdin.write((json.dumps(t) + "\n").encode())
        reach.proc.stdin.flush()
        reach.wait_ingested(len(lines))

        card = "account,cost_per_post,max_posts\nu1,100,1\nu2,100,1\nu3,100,1\n"
        body = {"budget": 200, "countries": ["US", "GB"], "rate_card": card, "pool": ["u1", "u2", "@u3"]}
        status, doc = post(reach.port, body)
        r.check(status == 200, f"POST /api/plans: {status} {doc}")
        chosen = sorted(x["handle"] for x in doc["plan"]["influencers"])
        r.check(chosen == ["u1", "u3"], f"plan picks u1 and u3 (25 people): {chosen}")
        r.check(abs(doc["plan"]["expected_reach"] - 25) < 1e-9, f"reach 25: {doc['plan']['expected_reach']}")
        nf = doc["naive"]["most_followers"]
        r.check(sorted(x["handle"] for x in nf["influencers"]) == ["u1", "u2"]
                and abs(nf["expected_reach"] - 20) < 1e-9, f"most-followers plan: {nf['expected_reach']}")
        by_region = {x["country"]: x["expected_reach"] for x in doc["plan"]["reach_by_region"]}
        r.check(by_region == {"US": 20.0, "GB": 5.0}, f"reach by region {by_region}")

        # The CLI asks the server and gets the same plan.
        card_path = os.path.join(tmp, "card.csv")
        with open(card_path, "w") as f:
            f.write(card)
        code, out, err = run(binary, "plan", "--server", f"http://127.0.0.1:{reach.port}", "--budget", "200",
                             "--countries", "US,GB", "--rate-card", card_path, "--pool", "u1,u2,u3",
                             "--format", "json")
        r.check(code == 0 and json.loads(out)["plan"]["expected_reach"] == doc["plan"]["expected_reach"],
                f"reach plan --server: {code} {err}")

        # Bad input -> 400 naming the problem.
        for bad, message in [({"budget": -1}, "budget: must be >= 0"),
                             ({"budget": 5, "countries": ["ZZ"]}, 'unknown country code "ZZ"'),
                             ({"budget": 5, "rate_card": "u1,5\nu2,x\n"}, "rate card line 2"),
                             ({"budget": 5, "pool": []}, "pool: the pool is empty"),
                             ({"budget": 5, "pool": ["nobody"]}, 'no account with handle "@nobody"')]:
            status, err_doc = post(reach.port, bad)
            msg = err_doc.get("error", {}).get("message", "")
            r.check(status == 400 and message in msg, f"{bad}: {status} {msg}")

        # Saving needs the token.
        save = dict(body, save=True, name="launch")
        status, _ = post(reach.port, save)
        r.check(status == 401, f"save without Authorization: {status}")
        status, _ = post(reach.port, save, token="wrong")
        r.check(status == 401, f"save with a wrong token: {status}")
        status, saved = post(reach.port, save, token="s3cret")
        r.check(status == 200 and saved["id"], f"save: {status}")
        plan_id = saved.get("id")
        status, got = reach.get_json(f"/api/plans/{plan_id}")
        r.check(status == 200 and got["plan"]["expected_reach"] == 25, f"GET /api/plans/{plan_id}: {status}")
        status, listing = reach.get_json("/api/plans")
        r.check(status == 200 and [p["id"] for p in listing["plans"]] == [plan_id], f"GET /api/plans: {listing}")
        status, _ = reach.get_json("/api/plans/999")
        r.check(status == 404, f"unknown plan: {status}")

        # New engagement: 40 people in GB reshare both of @u2's posts; the saved plan swaps u3 for u2
        # and the change is announced on the stream.
        stream = urllib.request.urlopen(f"http://127.0.0.1:{reach.port}/api/stream", timeout=30)

        def listen():
            name = None
            try:
                for raw in stream:
                    line = raw.decode().rstrip("\n")
                    if line.startswith("event: "):
                        name = line[7:]
                    elif line.startswith("data: ") and name == "plan":
                        events.append(json.loads(line[6:]))
            except Exception:
                pass
        threading.Thread(target=listen, daemon=True).start()
        time.sleep(0.3)
        more = []
        for u in range(300, 340):
            for orig in (b1, b2):
                more.append(retweet(tid, u, "London, England", orig, T0 + 120))
                tid += 1
        for t in more:
            reach.proc.stdin.write((json.dumps(t) + "\n").encode())
        reach.proc.stdin.flush()
        reach.wait_ingested(len(lines) + len(more))
        deadline = time.time() + 20
        while time.time() < deadline and not events:
            time.sleep(0.1)
        ev = events[0] if events else {}
        r.check([x["handle"] for x in ev.get("added", [])] == ["@u2"]
                and [x["handle"] for x in ev.get("removed", [])] == ["@u3"],
                f"plan event: added u2, removed u3: {ev}")
        r.check(abs(ev.get("reach_delta", 0) - 35) < 1e-9 and "added @u2" in ev.get("reason", ""),
                f"plan event says how much and why: {ev.get('reach_delta')} {ev.get('reason')}")
        status, got = reach.get_json(f"/api/plans/{plan_id}")
        r.check(status == 200 and sorted(x["handle"] for x in got["plan"]["influencers"]) == ["u1", "u2"],
                "the saved plan shows the new choice")
    finally:
        reach.proc.stdin.close()
        code = reach.stop()
        r.check(code == 0, f"reach exits 0 (got {code})")
        if r.failed:
            print(reach.read_log()[-3000:])

    # Without a configured token, saving is refused with 403.
    env = {k: v for k, v in os.environ.items() if k != "REACH_API_TOKEN"}
    reach = Reach(binary, ["--source", "-", "--store", "none"], env=env, stdin=subprocess.PIPE)
    try:
        status, doc = post(reach.port, {"budget": 5, "save": True}, token="anything")
        r.check(status == 403 and "no API token is configured" in doc["error"]["message"],
                f"save without a configured token: {status} {doc}")
    finally:
        reach.proc.stdin.close()
        reach.stop()


def main():
    binary = os.path.abspath(sys.argv[1])
    r = Results()
    with tempfile.TemporaryDirectory(prefix="reach-plan-") as tmp:
        cli_tests(binary, r, tmp)
        server_tests(binary, r, tmp)
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
