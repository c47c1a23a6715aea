#!/usr/bin/python3
"""A throwaway PostgreSQL server for end-to-end tests (standard library only).

    from pg_cluster import PgCluster
    with PgCluster() as pg:              # initdb in a temp dir, start on a free 127.0.0.1 port
        url = pg.create_database("reach")  # postgres://postgres@127.0.0.1:PORT/reach
        pg.stop(); pg.start()              # an outage, same port and data
        rows = pg.query("reach", "SELECT COUNT(*) FROM users")   # [["42"]]

As root, the data directory is chowned to `postgres` and every server command runs through
`runuser -u postgres --` (initdb refuses root); otherwise the commands run directly. Binaries come
from $REACH_PG_BINDIR, `pg_config --bindir`, or the newest /usr/lib/postgresql/*/bin.

Cleanup: a watchdog shell reads a pipe only this process writes to; when the pipe closes (close(),
normal exit, an exception, or the test being killed) it stops the server and removes the directory.

Command line (for shell scripts): `pg_cluster.py start` prints `URL DIR PID_OF_WATCHDOG` and keeps
running until stdin closes or it receives SIGTERM, then cleans up.
"""
import csv
import glob
import io
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time


def find_bindir():
    env = os.environ.get("REACH_PG_BINDIR")
    if env:
        return env
    try:
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True)
        d = out.stdout.strip()
        if os.path.exists(os.path.join(d, "initdb")):
            return d
    except (OSError, subprocess.CalledProcessError):
        pass
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(p.split("/")[-3]) if p.split("/")[-3].isdigit() else 0)
    if not found:
        raise RuntimeError("PostgreSQL server binaries not found (install postgresql)")
    return os.path.dirname(found[-1])


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgCluster:
    def __init__(self, bindir=None):
        self.bindir = bindir or find_bindir()
        self.as_root = os.geteuid() == 0
        self.dir = tempfile.mkdtemp(prefix="reach_pg_")
        self.data = os.path.join(self.dir, "data")
        self.log = os.path.join(self.dir, "commands.log")
        self.port = None
        if self.as_root:
            pw = pwd.getpwnam("postgres")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        self._start_watchdog()
        try:
            self._tool("initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
                       "--locale=C", "--no-sync")
            for attempt in range(5):
                self.port = free_port()
                try:
                    self.start()
                    break
                except RuntimeError:
                    if attempt == 4:
                        raise
        except BaseException:
            self.close()
            raise

    def _prefix(self):
        return ["runuser", "-u", "postgres", "--"] if self.as_root else []

    def _tool(self, name, *args):
        with open(self.log, "a") as log:
            rc = subprocess.run(self._prefix() + [os.path.join(self.bindir, name)] + list(args),
                                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL).returncode
        if rc != 0:
            with open(self.log) as f:
                raise RuntimeError(f"{name} failed ({rc}):\n" + f.read()[-2000:])

    def _start_watchdog(self):
        stop = " ".join(self._prefix() + [os.path.join(self.bindir, "pg_ctl"), "-D", self.data,
                                          "-m", "immediate", "stop"])
        script = (f"cat >/dev/null; if [ -f '{self.data}/postmaster.pid' ]; then {stop} "
                  f">/dev/null 2>&1; fi; rm -rf '{self.dir}'")
        # Own session: a Ctrl-C or a kill of the test's process group must not kill the cleanup.
        self.watchdog = subprocess.Popen(["/bin/sh", "-c", script], stdin=subprocess.PIPE,
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                         start_new_session=True)

    def start(self):
        """Starts (or restarts, after stop()) the server on self.port."""
        self._tool("pg_ctl", "-D", self.data, "-l", os.path.join(self.dir, "server.log"), "-w",
                   "-t", "30", "-o",
                   f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off", "start")

    def stop(self, mode="fast"):
        """Stops the server (connections are closed); the data stays for start()."""
        self._tool("pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")

    def url(self, db):
        return f"postgres://postgres@127.0.0.1:{self.port}/{db}"

    def psql(self, db, sql):
        """Runs SQL with psql; returns stdout rows as lists of strings (unaligned, tab-separated)."""
        out = subprocess.run([os.path.join(self.bindir, "psql"), "-X", "-q", "-A", "-t", "-F", "\t",
                              "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(self.port),
                              "-U", "postgres", "-d", db, "-c", sql],
                             capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError(f"psql failed: {out.stderr}")
        return [line.split("\t") for line in out.stdout.splitlines() if line != ""]

    def query(self, db, sql):
        """Rows of a SELECT as lists of strings (through COPY ... CSV, so any text is safe)."""
        out = subprocess.run([os.path.join(self.bindir, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                              "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", db,
                              "-c", f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"],
                             capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError(f"psql failed: {out.stderr}")
        return list(csv.reader(io.StringIO(out.stdout, newline="")))

    def create_database(self, name):
        self.psql("postgres", f'CREATE DATABASE "{name}" ENCODING \'UTF8\'')
        return self.url(name)

    def close(self):
        """Stops the server and removes its directory (through the watchdog)."""
        if self.watchdog is not None and self.watchdog.poll() is None:
            self.watchdog.stdin.close()
            self.watchdog.wait(timeout=60)
        self.watchdog = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def main(argv):
    if len(argv) != 2 or argv[1] != "start":
        print("usage: pg_cluster.py start", file=sys.stderr)
        return 2
    pg = PgCluster()
    signal.signal(signal.SIGTERM, lambda *_: (pg.close(), sys.exit(0)))
    print(pg.url("postgres"), pg.dir, pg.watchdog.pid, flush=True)
    try:
        sys.stdin.read()
    finally:
        pg.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
