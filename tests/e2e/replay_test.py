#!/usr/bin/python3
"""End-to-end: `reach replay` of the archive a live run wrote gives the same store, row for row.

1. `reach run --exit-when-done` on the Twitter v1.1 fixture with the archive on (the default beside
   a SQLite store), store live.db: every accepted record goes to live-archive/.
2. `reach replay live-archive --store replay.db`: users, posts, cascades and scores equal the live
   run's, row for row; the archive holds exactly the accepted records (the rejected ones are not in
   it); /metrics of a served restart counts the archive.
3. `reach replay FIXTURE` (any input, not only an archive) gives the same rows too.
4. Without a terminal there is no progress line on stderr; with one (a pseudo-terminal), replaying
   a larger input (LARGE, e.g. the Higgs stream) shows events/s, bytes of the total and an ETA.

usage: replay_test.py REACH_BINARY FIXTURE.jsonl [LARGE]
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from harness import Reach, Results  # noqa: E402
from store_compare import compare  # noqa: E402


def reach(binary, args, tmp):
    cmd = [binary] + args + ["--dead-letter", os.path.join(tmp, "dead.ndjson")]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=tmp)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({out.returncode}):\n{out.stderr[-3000:]}")
    return out.stderr


def progress_on_a_terminal(r, binary, large, tmp):
    """Runs `reach replay LARGE` with stderr on a pseudo-terminal until two progress lines show."""
    import pty
    import select
    import signal
    import time
    master, slave = pty.openpty()
    proc = subprocess.Popen([binary, "replay", large, "--store", "none", "--format", "auto",
                             "--dead-letter", os.path.join(tmp, "pty-dead.ndjson")],
                            stdout=subprocess.DEVNULL, stderr=slave, cwd=tmp)
    os.close(slave)
    seen = b""
    deadline = time.time() + 60
    while time.time() < deadline and seen.count(b"ETA") < 2:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                seen += os.read(master, 65536)
            except OSError:
                break
        if proc.poll() is not None:
            break
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=120)
    os.close(master)
    text = seen.decode(errors="replace")
    r.check("events/s" in text and "ETA" in text and " of " in text and "\r" in text,
            f"progress line on a terminal: {text[-300:]!r}")


def main(argv):
    if len(argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    binary, fixture = argv[1], argv[2]
    r = Results()
    tmp = tempfile.mkdtemp(prefix="reach-replay-e2e-")
    live, replayed, direct = (os.path.join(tmp, n) for n in ("live.db", "replay.db", "direct.db"))
    archive = os.path.join(tmp, "live-archive")
    # Two malformed lines are rejected, and must not reach the archive.
    source = os.path.join(tmp, "input.jsonl")
    with open(fixture, "rb") as f:
        lines = [l for l in f.read().split(b"\n") if l.strip()]
    with open(source, "wb") as f:
        f.write(b"\n".join(lines[:10] + [b"{\"truncated\": "] + lines[10:] + [b"not json"]) + b"\n")

    reach(binary, ["run", "--exit-when-done", "--source", source, "--store", live], tmp)
    r.check(os.path.isdir(archive), "the live run wrote its archive beside the store")
    err = reach(binary, ["replay", archive, "--store", replayed], tmp)
    r.check("\r" not in err and "ETA" not in err, "no progress line without a terminal")
    compare(r, live, replayed, ["users", "posts", "cascades", "scores"], "replay of the archive")

    reach(binary, ["replay", source, "--store", direct], tmp)
    counts = compare(r, live, direct, ["users", "posts", "cascades", "scores"], "replay of the file")
    r.check(counts["posts"] > 0 and counts["users"] > 0, f"rows were stored: {counts}")
    r.check(not os.path.exists(os.path.join(tmp, "direct-archive")),
            "replay does not archive unless asked")

    # A served restart on the same source replays the archive and reads nothing twice.
    app = Reach(binary, ["--source", source, "--store", live], cwd=tmp)
    try:
        m = app.metrics()
        # Replaying the archive and then skipping the source up to the checkpoint both happen after
        # start-up; wait for both (a sanitizer build takes seconds).
        for _ in range(600):
            if (m.get("reach_archive_replayed_records_total", 0) == len(lines) and
                    m.get("reach_archive_resume_skipped_lines_total", 0) == len(lines) + 2):
                break
            app.get("/healthz")
            import time
            time.sleep(0.05)
            m = app.metrics()
        r.check(m.get("reach_archive_records") == len(lines),
                f"the archive holds the {len(lines)} accepted records: {m.get('reach_archive_records')}")
        r.check(m.get("reach_archive_replayed_records_total") == len(lines),
                "the restart replayed every archived record")
        r.check(m.get("reach_ingest_accepted_total") == 0,
                f"the restart accepted nothing new: {m.get('reach_ingest_accepted_total')}")
        r.check(m.get("reach_archive_resume_skipped_lines_total") == len(lines) + 2,
                "the restart skipped the source up to the checkpoint")
        r.check(m.get("reach_archive_segments", 0) >= 1, "segments are counted")
        r.check(m.get("reach_archive_fsyncs_total", -1) >= 0, "fsyncs are counted")
    finally:
        app.stop()
    if len(argv) == 4:
        progress_on_a_terminal(r, binary, argv[3], tmp)
    return r.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
