#!/usr/bin/python3
"""End-to-end: `reach run --follow` ingests lines appended to a growing file and stops on SIGTERM.

A file starts with 10 fixture tweets; lines are appended in two bursts, then half a line that is
completed later; /metrics must count each line once, only when it is complete, and SIGTERM must end
the process (exit 0) while it waits for more.

usage: follow_test.py REACH_BINARY FIXTURE.jsonl
"""
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from harness import Reach, Results  # noqa: E402


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    binary, fixture = argv[1], argv[2]
    r = Results()
    tmp = tempfile.mkdtemp(prefix="reach-follow-")
    with open(fixture, "rb") as f:
        lines = [l for l in f.read().split(b"\n") if l.strip()][:40]
    path = os.path.join(tmp, "live.jsonl")
    with open(path, "wb") as f:
        f.write(b"\n".join(lines[:10]) + b"\n")
    app = Reach(binary, ["--source", path, "--follow", "--store", "none"], cwd=tmp)
    try:
        app.wait_ingested(10)
        with open(path, "ab") as f:
            f.write(b"\n".join(lines[10:25]) + b"\n")
        app.wait_ingested(25)
        half = len(lines[0]) // 2
        with open(path, "ab") as f:
            f.write(b"\n".join(lines[25:40]) + b"\n")
        app.wait_ingested(40)
        r.check(app.metrics().get("reach_ingest_accepted_total") == 40, "every appended line once")
        with open(path, "ab") as f:
            f.write(lines[0][:half])
        time.sleep(0.6)
        r.check(app.metrics().get("reach_ingest_records_total") == 40,
                "an incomplete last line waits for its newline")
        with open(path, "ab") as f:
            f.write(lines[0][half:] + b"\n")
        m = app.wait_ingested(41)
        r.check(m.get("reach_ingest_accepted_total") == 41, "the completed line was read whole")
        start = time.time()
        rc = app.stop()
        r.check(rc == 0, f"SIGTERM ends a follow run cleanly: {rc}")
        r.check(time.time() - start < 30, "and promptly")
    finally:
        if app.proc.poll() is None:
            app.stop()
    return r.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
