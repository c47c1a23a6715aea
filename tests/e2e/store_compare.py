"""Row-for-row comparison of two SQLite stores written by `reach run` / `reach replay`.

Every column of each table is compared as text, so a single changed value shows.
"""
import sqlite3

TABLES = {
    "users": "user_id, handle, name, location, followers, following, posts_reported, verified, "
             "created_at_us, observed_us",
    "posts": "post_id, platform, kind, author_id, time_us, text, lang, parent_id, root_id, "
             "in_reply_to_id, depth, country_code, reported_likes, reported_reshares",
    "cascades": "root_id, author_id, size, depth, max_breadth, started_us, last_activity_us",
    "scores": "win, user_id, rank, score, c_reshares, c_likes, c_followers, c_depth, posts, "
              "reshares, quotes, replies, likes, mentions, depth, followers, handle, name",
}


def rows(path, sql):
    with sqlite3.connect(path) as db:
        return sorted(tuple("" if v is None else repr(v) for v in r) for r in db.execute(sql))


def compare(results, expected_db, actual_db, tables, what):
    """Checks that `tables` hold the same rows in both stores; returns the row counts."""
    counts = {}
    for table in tables:
        sql = f"SELECT {TABLES[table]} FROM {table}"
        a, b = rows(expected_db, sql), rows(actual_db, sql)
        counts[table] = len(b)
        results.check(len(a) == len(b), f"{what}: {table}: {len(a)} rows expected, {len(b)} found")
        if len(a) == len(b):
            diff = [(x, y) for x, y in zip(a, b) if x != y]
            results.check(not diff, f"{what}: {table}: rows differ, first: {diff[:2]}")
    return counts
