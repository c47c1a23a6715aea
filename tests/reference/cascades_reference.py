#!/usr/bin/python3
"""Naive reference computations for the cascade datasets, independent of Reach's C++ code.

Weibo (DeepHawkes/CasFlow format, full retweet paths): the tree is rebuilt from the paths — a
participant's parent is the participant whose path is its own without the last user (the earliest
of several with that path, then the first in the line; when the data skipped that path, the longest
listed ancestor path; the root entry "u:0" is the root). Depth and max breadth come from a
breadth-first search from the root, structural virality (Goel et al. 2016) from a breadth-first
search from *every* node (the mean distance over all unordered pairs, O(n^2)), time to 50 % / 90 %
from the sorted offsets.

SEISMIC (TiDeH format): the size is the header's retweet count + 1 and the growth curve the sorted
row times.

Post ids follow the decoders' documented scheme (ingest/weibo_cascade_decoder.h,
ingest/seismic_decoder.h). Standard library only.
"""
import math
import os
from collections import deque


def weibo_node_id(cascade_id, position):
    return (cascade_id << 24) + position + 1


def read_weibo(path):
    """Yields one dict per cascade: id, root_user, publish, nodes [(path, user, offset)], parent."""
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            cid, root_user, publish, _, parts = line.split("\t")
            entries = []
            for part in parts.split(" "):
                if not part:
                    continue
                p, off = part.rsplit(":", 1)
                entries.append((p, int(p.split("/")[-1]), int(off)))
            root_pos = next(i for i, e in enumerate(entries) if e[0] == root_user)
            # Earliest occurrence of every path.
            best = {}
            for i, (p, _, off) in enumerate(entries):
                if p not in best or off < entries[best[p]][2]:
                    best[p] = i
            parent = {}
            for i, (p, _, _) in enumerate(entries):
                if i == root_pos:
                    continue
                users = p.split("/")
                chosen = root_pos
                for k in range(len(users) - 1, 1, -1):  # proper prefixes longer than the root
                    prefix = "/".join(users[:k])
                    if prefix in best:
                        chosen = best[prefix]
                        break
                parent[i] = chosen
            yield {"id": int(cid), "root_user": int(root_user), "publish": int(publish),
                   "entries": entries, "root": root_pos, "parent": parent}


def tree_metrics(n, root, parent, offsets):
    """Metrics of a tree of nodes 0..n-1 by naive searches."""
    adj = [[] for _ in range(n)]
    for child, par in parent.items():
        adj[child].append(par)
        adj[par].append(child)

    def bfs(src):
        dist = [-1] * n
        dist[src] = 0
        q = deque([src])
        while q:
            u = q.popleft()
            for v in adj[u]:
                if dist[v] < 0:
                    dist[v] = dist[u] + 1
                    q.append(v)
        return dist

    from_root = bfs(root)
    assert min(from_root) >= 0, "tree is not connected"
    levels = {}
    for d in from_root:
        levels[d] = levels.get(d, 0) + 1
    total = 0
    for s in range(n):
        dist = bfs(s)
        total += sum(dist[s + 1:])
    pairs = n * (n - 1) // 2
    rel = sorted(max(0, o - offsets[root]) for o in offsets)

    def t(q):
        k = min(max(math.ceil(q * n), 1), n)
        return rel[k - 1]

    return {"size": n, "depth": max(from_root), "max_breadth": max(levels.values()),
            "structural_virality": total / pairs if pairs else 0.0,
            "t50_seconds": t(0.5), "t90_seconds": t(0.9), "node_depth": from_root}


def weibo_reference(path):
    """{root post id: metrics + 'parents' {post id: parent post id}} for every cascade."""
    out = {}
    for c in read_weibo(path):
        entries = c["entries"]
        m = tree_metrics(len(entries), c["root"], c["parent"], [e[2] for e in entries])
        m["parents"] = {weibo_node_id(c["id"], i): weibo_node_id(c["id"], p)
                        for i, p in c["parent"].items()}
        m["root_user"] = c["root_user"]
        out[weibo_node_id(c["id"], c["root"])] = m
        m["depths"] = {weibo_node_id(c["id"], i): d for i, d in enumerate(m.pop("node_depth"))}
    return out


def seismic_node_id(cascade, row):
    return (1 << 62) + (cascade << 24) + row + 1


def seismic_reference(directory):
    """[(root post id, size, sorted [(offset seconds, followers)])] in the decoder's file order."""
    out = []
    names = sorted(n for n in os.listdir(directory) if os.path.isfile(os.path.join(directory, n)))
    for k, name in enumerate(names, 1):
        with open(os.path.join(directory, name)) as f:
            lines = [ln.split() for ln in f if ln.strip()]
        n = int(lines[0][0])
        rows = [(int(t), int(fl)) for t, fl in lines[1:]]
        assert len(rows) == n + 1, name
        out.append((seismic_node_id(k, 0), n + 1, sorted(rows), name))
    return out


if __name__ == "__main__":
    import sys
    ref = weibo_reference(sys.argv[1])
    for root, m in sorted(ref.items()):
        print(root, m["size"], m["depth"], m["max_breadth"], round(m["structural_virality"], 6))
