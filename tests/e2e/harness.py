"""Test harness for end-to-end tests: starts a real `reach` process, finds its port, talks HTTP.

Standard library only, so the tests run with Debian's /usr/bin/python3 and nothing else.
"""
import json
import os
import re
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request


class Reach:
    """A running `reach run` process on an ephemeral port, with its own temp directory."""

    def __init__(self, binary, args, env=None, cwd=None, stdin=subprocess.DEVNULL):
        self.tmp = tempfile.mkdtemp(prefix="reach-e2e-")
        self.log_path = os.path.join(self.tmp, "reach.log")
        self.log = open(self.log_path, "w+")
        cmd = [binary, "run", "--listen", "127.0.0.1:0",
               "--dead-letter", os.path.join(self.tmp, "dead.ndjson")] + list(args)
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT,
                                     stdin=stdin, cwd=cwd or self.tmp, env=env)
        self.port = self._wait_for_port()

    def _wait_for_port(self, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            text = self.read_log()
            m = re.search(r"serving on http://127\.0\.0\.1:(\d+)", text)
            if m:
                return int(m.group(1))
            if self.proc.poll() is not None:
                raise RuntimeError("reach exited early:\n" + text)
            time.sleep(0.05)
        raise RuntimeError("reach did not start serving:\n" + self.read_log())

    def read_log(self):
        with open(self.log_path) as f:
            return f.read()

    def get(self, path):
        """Returns (status, headers, body bytes)."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=10) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def get_json(self, path):
        status, _, body = self.get(path)
        return status, json.loads(body)

    def metrics(self):
        _, _, body = self.get("/metrics")
        out = {}
        for line in body.decode().splitlines():
            if line.startswith("#") or not line.strip():
                continue
            name, value = line.rsplit(" ", 1)
            out[name] = float(value)
        return out

    def wait_ingested(self, records, timeout=60):
        """Waits until `records` input lines were read and their effect is published.

        Fails when nothing moved (records read, events applied) for `timeout` seconds, or after
        ten times that in all: a slow machine (sanitizers, a shared CPU) gets longer while ingest
        is still progressing, a stuck one fails as before.
        """
        start = time.time()
        last_change, last = start, None
        while time.time() - last_change < timeout and time.time() - start < 10 * timeout:
            m = self.metrics()
            if (m.get("reach_ingest_records_total") == records
                    and m.get("reach_engine_events_applied_total") == m.get("reach_ingest_events_total")
                    and m.get("reach_ingest_queue_batches") == 0):
                return m
            progress = (m.get("reach_ingest_records_total"), m.get("reach_engine_events_applied_total"))
            if progress != last:
                last, last_change = progress, time.time()
            time.sleep(0.1)
        raise AssertionError("ingest did not finish; metrics: %r" % self.metrics())

    def all_rows(self, window="all"):
        rows, offset = [], 0
        while True:
            status, page = self.get_json(f"/api/influencers?window={window}&limit=1000&offset={offset}")
            assert status == 200, page
            rows += page["items"]
            offset += len(page["items"])
            if offset >= page["total"] or not page["items"]:
                return rows

    def stop(self, sig=signal.SIGTERM, timeout=60):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout=timeout)
        self.log.close()
        return self.proc.returncode


class Results:
    """Counts checks and prints the plain closing line."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL:", what)

    def finish(self):
        print(f"checks ok: {self.passed}, checks failed: {self.failed}")
        return 1 if self.failed else 0
