#!/usr/bin/python3
"""End-to-end: every file of the bad-input corpus (tests/bad_input/) is rejected with its own
counted reason, written to the dead-letter file with its position, and nothing crashes.

Each file (plus two generated here: a 10 MiB line and JSON nested 10,000 deep) goes through
`reach replay FILE --store none` alone: the process exits 0, the summary counts exactly one
rejection with the expected reason, and the dead-letter file holds one record naming the file,
line 1, offset 0 and that reason. Then all bad files interleaved with good tweets go through one
served `reach run`: the good tweets are accepted, /metrics counts every reason, the archive holds
only the good records, and the server still answers.

usage: bad_input_test.py REACH_BINARY
"""
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from harness import Reach, Results  # noqa: E402

CORPUS = os.path.join(os.path.dirname(__file__), "..", "bad_input")
GOOD = ('{"created_at":"Mon Jan 02 03:04:05 +0000 2017","id_str":"%d","id":%d,"text":"fine %d",'
        '"user":{"id_str":"7","id":7,"screen_name":"u"}}')


def corpus(tmp):
    cases = []
    with open(os.path.join(CORPUS, "expected.tsv")) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            name, reason = line.split()
            cases.append((os.path.join(CORPUS, name), reason))
    big = os.path.join(tmp, "too_large.ndjson")
    with open(big, "wb") as f:
        f.write(b'{"text":"' + b"x" * (10 << 20) + b'"}\n')
    deep = os.path.join(tmp, "deep_nesting.ndjson")
    with open(deep, "wb") as f:
        f.write(b'{"a":' + b"[" * 10000 + b"]" * 10000 + b"}\n")
    return cases + [(big, "too_large"), (deep, "too_deep")]


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    binary = argv[1]
    r = Results()
    tmp = tempfile.mkdtemp(prefix="reach-bad-input-")
    cases = corpus(tmp)
    for path, reason in cases:
        name = os.path.basename(path)
        dead = os.path.join(tmp, name + ".dead")
        out = subprocess.run([binary, "replay", path, "--store", "none", "--dead-letter", dead],
                             capture_output=True, text=True, errors="replace", timeout=120, cwd=tmp)
        r.check(out.returncode == 0, f"{name}: exit code {out.returncode}: {out.stderr[-500:]}")
        m = re.search(r"reach: (\d+) records, (\d+) accepted, (\d+) rejected \(([^)]*)\)", out.stderr)
        r.check(m is not None, f"{name}: summary line in {out.stderr[-300:]!r}")
        if m:
            r.check(m.group(4) == f"{reason}=1", f"{name}: rejected as {m.group(4)}, want {reason}=1")
            r.check(m.group(2) == "0", f"{name}: nothing accepted")
        with open(dead, "rb") as f:
            records = [json.loads(l) for l in f if l.strip()]
        r.check(len(records) == 1, f"{name}: one dead-letter record, got {len(records)}")
        if records:
            d = records[0]
            r.check((d["source"], d["line"], d["offset"], d["reason"]) == (path, 1, 0, reason),
                    f"{name}: dead letter names the source, position and reason: {d['source']} "
                    f"{d['line']} {d['offset']} {d['reason']}")

    # All of them at once, between good records, through a served run with the archive on.
    mixed = os.path.join(tmp, "mixed.ndjson")
    with open(mixed, "wb") as out:
        for i, (path, _) in enumerate(cases):
            out.write((GOOD % (i + 1, i + 1, i + 1)).encode() + b"\n")
            with open(path, "rb") as f:
                out.write(f.read())
        out.write((GOOD % (99, 99, 99)).encode() + b"\n")
    app = Reach(binary, ["--source", mixed, "--store", os.path.join(tmp, "mixed.db")], cwd=tmp)
    try:
        m = app.wait_ingested(len(cases) * 2 + 1)
        r.check(m["reach_ingest_accepted_total"] == len(cases) + 1, "every good record accepted")
        want = {}
        for _, reason in cases:
            want[reason] = want.get(reason, 0) + 1
        for reason, n in want.items():
            got = m.get(f'reach_ingest_rejected_total{{reason="{reason}"}}')
            r.check(got == n, f"/metrics counts {n} {reason}, got {got}")
        r.check(m.get("reach_archive_records") == len(cases) + 1,
                f"the archive holds only the good records: {m.get('reach_archive_records')}")
        status, _, _ = app.get("/healthz")
        r.check(status == 200, "the server still answers")
    finally:
        rc = app.stop()
    r.check(rc == 0, f"clean exit after SIGTERM: {rc}")
    return r.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
