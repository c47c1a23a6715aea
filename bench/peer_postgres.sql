-- The PostgreSQL peer of the ingest benchmark: the seed's per-user table with jsonb SQL after the
-- raw lines were loaded with COPY into raw(doc jsonb). Same columns and score as bench/peer_pandas.py.
CREATE TABLE tweets AS
WITH all_tweets AS (
  SELECT 0 AS ord, doc FROM raw
  UNION ALL
  SELECT -1 AS ord, doc->'retweeted_status' FROM raw WHERE doc ? 'retweeted_status'
)
SELECT DISTINCT ON ((doc->>'id')::bigint)
  (doc->>'id')::bigint AS id,
  (doc->'user'->>'id')::bigint AS uid,
  COALESCE((doc->'user'->>'followers_count')::bigint, 0) AS followers,
  COALESCE((doc->'user'->>'friends_count')::bigint, 0) AS friends,
  COALESCE((doc->'user'->>'statuses_count')::bigint, 0) AS statuses,
  COALESCE((doc->>'favorite_count')::bigint, 0) AS favorites,
  COALESCE((doc->>'retweet_count')::bigint, 0) AS retweet_count,
  (doc->'retweeted_status'->'user'->>'id')::bigint AS rt_uid
FROM all_tweets
WHERE doc ? 'user' AND doc ? 'id'
ORDER BY (doc->>'id')::bigint, ord DESC;

CREATE TABLE per_user AS
WITH base AS (
  SELECT uid, COUNT(*) AS tweets, MAX(followers) AS followers, MAX(friends) AS friends,
         MAX(statuses) AS statuses,
         COUNT(*) FILTER (WHERE rt_uid IS NOT NULL) AS retweets_made,
         SUM(favorites) FILTER (WHERE rt_uid IS NULL) AS favorites,
         SUM(retweet_count) FILTER (WHERE rt_uid IS NULL) AS retweet_count
  FROM tweets GROUP BY uid
), received AS (
  SELECT rt_uid AS uid, COUNT(*) AS retweets_received FROM tweets WHERE rt_uid IS NOT NULL
  GROUP BY rt_uid
), t AS (
  SELECT b.*, COALESCE(r.retweets_received, 0) AS retweets_received,
         CASE WHEN r.retweets_received > 0 THEN 1 ELSE 0 END AS depth
  FROM base b LEFT JOIN received r USING (uid)
), m AS (
  SELECT MIN(retweets_received) lr, MAX(retweets_received) hr, MIN(favorites) lf,
         MAX(favorites) hf, MIN(followers) lo, MAX(followers) ho FROM t
)
SELECT t.*, 100 * (
    0.35 * (t.retweets_received - m.lr) / NULLIF(m.hr - m.lr, 0)::float8 +
    0.2 * COALESCE((t.favorites - m.lf) / NULLIF(m.hf - m.lf, 0)::float8, 0) +
    0.25 * (t.followers - m.lo) / NULLIF(m.ho - m.lo, 0)::float8 + 0.2 * t.depth) AS score
FROM t, m;
