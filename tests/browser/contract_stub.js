// A proxy in front of a running reach that answers the cascade and planner routes with
// contract-shaped JSON built from reach's own leaderboard, for servers that lack those routes.
// Used only by `dashboard_test.js --stub` to check the pages against the agreed shapes; every
// other request goes to reach unchanged (including /api/stream, streamed through).
//   GET  /api/influencers?topic=&country= rows with components {value, raw, weight, why} and `metrics`
//   GET  /api/cascades/{post}            {root, author, size, depth, max_breadth, structural_virality,
//                                         t50_seconds, t90_seconds, started, last_activity, methods,
//                                         nodes: [{post, user, handle, followers, time, parent, method, depth}], truncated}
//   GET  /api/users/{id}/cascades        {user, window, largest: [summary], deepest: [summary]}
//   POST /api/plans                      {id, plan: {expected_reach, spend, budget, cost_per_person,
//                                         reach_by_region, overlap, influencers}, naive, solver, warnings};
//                                         with "save": true (and the token) 1.5 s later an SSE `plan` event
//                                         {id, expected_reach_before, expected_reach_after, reason, ...}
//   GET  /api/plans/{id}                 the saved plan as last computed
'use strict';

const http = require('node:http');

const TOKEN = 'browser-test-token';  // the token dashboard_test.js starts reach with

function start(reachPort) {
  const streams = new Set();  // open /api/stream responses, for the `plan` event
  const upstream = (path) => new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: reachPort, path }, (r) => {
      let body = '';
      r.on('data', (d) => { body += d; });
      r.on('end', () => resolve(JSON.parse(body)));
    }).on('error', reject);
  });
  const json = (res, status, obj) => { res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }); res.end(JSON.stringify(obj)); };

  async function cascade(root) {
    const board = (await upstream('/api/influencers?limit=40')).items;
    const t0 = Date.parse('2023-01-01T00:00:00Z');
    const nodes = [{ post: root, user: board[0].user_id, handle: board[0].handle, followers: board[0].followers, time: new Date(t0).toISOString(), parent: null, method: null, depth: 0 }];
    for (let i = 1; i < board.length; i++) {
      const parent = nodes[Math.floor((i - 1) / 3)];
      nodes.push({ post: String(BigInt(root) + BigInt(i)), user: board[i].user_id, handle: board[i].handle, followers: board[i].followers,
        time: new Date(t0 + 60000 * i).toISOString(), parent: parent.post, method: i % 7 === 0 ? 'root' : i % 4 === 0 ? 'inferred_follow' : 'exact', depth: parent.depth + 1 });
    }
    const depth = Math.max(...nodes.map((n) => n.depth));
    const breadth = Math.max(...[...Array(depth + 1).keys()].map((d) => nodes.filter((n) => n.depth === d).length));
    return { root, author: { id: board[0].user_id, handle: board[0].handle, followers: board[0].followers }, size: nodes.length, depth, max_breadth: breadth,
      structural_virality: 3.41, t50_seconds: 1200, t90_seconds: 2160, started: nodes[0].time, last_activity: nodes[nodes.length - 1].time,
      methods: { exact: nodes.filter((n) => n.method === 'exact').length, inferred_follow: nodes.filter((n) => n.method === 'inferred_follow').length, root: nodes.filter((n) => n.method === 'root').length },
      root_known: true, requested: root, requested_is_root: true, nodes, truncated: false };
  }

  // The planner's answer: {id, request, as_of, sequence, candidates, people, engagements,
  // plan: figures, naive: {most_followers: figures, highest_score: figures}, solver, exact, warnings}.
  async function plan(body, id) {
    const board = (await upstream(`/api/influencers?limit=${Math.min(200, body.pool || 200)}`)).items;
    const cost = (r) => 50 + r.followers * 2;
    const countries = Object.keys(body.countries || {});
    const figures = (rows) => {
      let spend = 0;
      const chosen = [];
      for (const r of rows) {
        if (spend + cost(r) > body.budget) continue;
        spend += cost(r);
        chosen.push({ user_id: r.user_id, handle: r.handle, posts: 1, max_posts: 3, cost_per_post: cost(r), cost_source: 'cpm', spend: cost(r),
          expected_reach: 20 * r.reshares + r.likes, value: 20 * r.reshares + r.likes, marginal_value: r.reshares, audience: r.reshares, followers: r.followers, score: r.score });
      }
      const reach = chosen.reduce((a, c) => a + c.expected_reach, 0);
      return { value: reach, expected_reach: reach, spend, budget: body.budget, cost_per_person: reach ? spend / reach : null, posts: chosen.length,
        reach_by_region: countries.map((c, i) => ({ country: c, weight: body.countries[c], expected_reach: Math.round(reach / (i + 2)) })),
        overlap: { sum_of_reaches: Math.round(reach * 1.08), duplicated: Math.round(reach * 0.08), share: 0.074, pairs: [] }, influencers: chosen };
    };
    const by = (f) => [...board].sort(f);
    return { id, request: body, as_of: '2023-01-01T00:13:00.000Z', sequence: 1, candidates: board.length, people: 5000, engagements: 9000,
      plan: figures(by((a, b) => (20 * b.reshares + b.likes) / cost(b) - (20 * a.reshares + a.likes) / cost(a))),
      naive: { most_followers: figures(by((a, b) => b.followers - a.followers)), highest_score: figures(board) },
      solver: { algorithm: 'celf_cost_benefit_greedy_or_best_single', guarantee: 0.3160602794142788, millis: 3.2 }, exact: null, warnings: [] };
  }
  const saved = new Map();

  // The leaderboard as agreed: topic= and country= filters, components as {value, raw, weight,
  // why}, and a `metrics` object (audience among them). Built from reach's own rows.
  const WEIGHTS = { reshares: 0.35, likes: 0.2, followers: 0.25, depth: 0.2 };
  async function leaderboard(params) {
    const window = params.get('window') || 'all';
    const limit = Number(params.get('limit') || 50);
    const topic = (params.get('topic') || '').replace(/^#/, '');
    let page;
    if (topic) {
      const t = await upstream(`/api/topics/${encodeURIComponent(topic)}?window=${window}`);
      page = { window, as_of: t.as_of, total: t.influencers.length, items: t.influencers.slice(0, limit) };
    } else {
      page = await upstream(`/api/influencers?window=${window}&limit=${limit}&offset=${params.get('offset') || 0}`);
    }
    page.items = page.items.map((r) => ({ ...r,
      components: Object.fromEntries(Object.entries(r.components).map(([k, v]) => [k, { value: v, raw: r[k], weight: WEIGHTS[k] || 0, why: `log(1+${r[k]}) against the window's maximum` }])),
      metrics: { reshares: r.reshares, likes: r.likes, followers: r.followers, depth: r.depth, quotes: r.quotes, replies: r.replies, mentions: r.mentions,
        engagements: r.reshares + r.quotes + r.replies + r.likes + r.mentions, engagement_rate: r.followers > 0 ? (1000 * (r.reshares + r.likes)) / r.followers : null, depth_max: r.depth, depth_mean: r.depth / 2, second_level: 0,
        audience: r.reshares + r.quotes + r.replies, h_index: Math.min(r.posts, 3) } }));
    return page;
  }

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://x');
      let m;
      if (req.method === 'GET' && (m = /^\/api\/cascades\/(\d+)$/.exec(url.pathname))) return json(res, 200, await cascade(m[1]));
      if (req.method === 'GET' && (m = /^\/api\/users\/(\d+)\/cascades$/.exec(url.pathname))) {
        const s = (root, size, depth) => ({ root, size, depth, max_breadth: 3, structural_virality: 2.1, started: '2023-01-01T00:00:00.000Z', last_activity: '2023-01-01T00:10:00.000Z' });
        return json(res, 200, { user: m[1], window: url.searchParams.get('window') || 'all', largest: [s(`${m[1]}000001`, 40, 3), s(`${m[1]}000002`, 12, 2)], deepest: [s(`${m[1]}000001`, 40, 3)] });
      }
      if (req.method === 'GET' && url.pathname === '/api/influencers') return json(res, 200, await leaderboard(url.searchParams));
      if (req.method === 'POST' && url.pathname === '/api/plans') {
        let text = '';
        for await (const d of req) text += d;
        const body = JSON.parse(text);
        if (!body.save) return json(res, 200, await plan(body, null));
        if (req.headers.authorization !== `Bearer ${TOKEN}`) {
          return json(res, req.headers.authorization ? 403 : 401, { error: { code: req.headers.authorization ? 'permission_denied' : 'unauthenticated', message: 'saving a plan needs "Authorization: Bearer <token>"' } });
        }
        const id = String(saved.size + 1);
        const p = await plan(body, id);
        saved.set(id, p);
        // The saved plan is recomputed as data arrives; a change is announced as a `plan` event.
        setTimeout(() => {
          const before = p.plan.expected_reach;
          const next = { ...p, sequence: 2, plan: { ...p.plan, expected_reach: before + 137, value: before + 137 } };
          saved.set(id, next);
          const ev = { id, sequence: 2, as_of: p.as_of, added: [], removed: [], posts_changed: [], expected_reach_before: before, expected_reach_after: before + 137,
            reach_delta: 137, spend_before: p.plan.spend, spend_after: p.plan.spend, reason: 'new data (snapshot 1 -> 2; matching engagements in the pool 9000 -> 9060)' };
          for (const s of streams) s.write(`event: plan\ndata: ${JSON.stringify(ev)}\n\n`);
        }, 1500);
        return json(res, 200, p);
      }
      if (req.method === 'GET' && (m = /^\/api\/plans\/(\w+)$/.exec(url.pathname))) {
        return saved.has(m[1]) ? json(res, 200, saved.get(m[1])) : json(res, 404, { error: { code: 'not_found', message: 'no such plan' } });
      }
      if (url.pathname === '/api/stream') {
        streams.add(res);
        res.on('close', () => streams.delete(res));
      }
      const up = http.request({ host: '127.0.0.1', port: reachPort, path: req.url, method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode, r.headers);
        r.pipe(res);
      });
      up.on('error', () => json(res, 502, { error: { code: 'bad_gateway', message: 'reach is not reachable' } }));
      req.pipe(up);
    } catch (e) {
      json(res, 500, { error: { code: 'stub', message: e.message } });
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ port: server.address().port, close: () => { server.closeAllConnections(); server.close(); } })));
}

module.exports = { start };
