#!/usr/bin/python3
"""Runs one libFuzzer target for a fixed time, seeded with the lines of sample files.

usage: run_fuzzer.py [--stream] FUZZER CORPUS_DIR SECONDS SEED_PATH...

Each SEED_PATH is a file (.gz read through gzip) or a directory of files; the first 300 lines of
each become one seed file each in CORPUS_DIR; with --stream (targets whose decoder keeps state
between lines) the head of each file, up to 8 KB cut at a line end, becomes one seed instead (created when missing; later runs keep what the fuzzer
added). Exits with the fuzzer's status: non-zero when it found a crash, a leak or a sanitizer
report, which libFuzzer writes beside the corpus as crash-*/leak-* files.
"""
import gzip
import hashlib
import os
import subprocess
import sys

LINES_PER_FILE = 300
STREAM_SEED_BYTES = 8 * 1024


def lines_of(path):
    opener = gzip.open if path.endswith(".gz") else open
    try:
        with opener(path, "rb") as f:
            for i, line in enumerate(f):
                if i >= LINES_PER_FILE:
                    break
                line = line.rstrip(b"\n")
                if line and len(line) < 64 * 1024:
                    yield line
    except OSError:
        return


def head_of(path):
    opener = gzip.open if path.endswith(".gz") else open
    try:
        with opener(path, "rb") as f:
            head = f.read(STREAM_SEED_BYTES)
    except OSError:
        return
    if len(head) == STREAM_SEED_BYTES and b"\n" in head:
        head = head[:head.rindex(b"\n") + 1]
    if head:
        yield head


def seed(corpus, paths, stream):
    os.makedirs(corpus, exist_ok=True)
    n = 0
    for root in paths:
        files = [root] if os.path.isfile(root) else sorted(
            os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs)
        for path in files:
            for line in (head_of(path) if stream else lines_of(path)):
                name = hashlib.sha1(line).hexdigest()
                target = os.path.join(corpus, name)
                if not os.path.exists(target):
                    with open(target, "wb") as out:
                        out.write(line)
                    n += 1
    return n


def main(argv):
    stream = len(argv) > 1 and argv[1] == "--stream"
    if stream:
        argv = argv[:1] + argv[2:]
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    fuzzer, corpus, seconds = argv[1], argv[2], int(argv[3])
    added = seed(corpus, argv[4:], stream)
    artifacts = os.path.join(os.path.dirname(corpus), "artifacts", os.path.basename(corpus)) + "/"
    os.makedirs(artifacts, exist_ok=True)
    print(f"{os.path.basename(fuzzer)}: {added} new seeds; running {seconds} s", flush=True)
    cmd = [fuzzer, corpus, f"-max_total_time={seconds}", "-max_len=65536", "-timeout=10",
           "-rss_limit_mb=2048", f"-artifact_prefix={artifacts}", "-print_final_stats=1"]
    return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
