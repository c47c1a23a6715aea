// A proxy in front of a running reach that answers the cascade and planner routes with
// contract-shaped JSON built from reach's own leaderboard, for servers that lack those routes.
// Used only by `dashboard_test.js --stub` to check the pages against the agreed shapes; every
// other request goes to reach unchanged (including /api/stream, streamed through).
//   GET  /api/cascades/{post}            {root, author, size, depth, max_breadth, structural_virality,
//                                         t50_seconds, t90_seconds, started, last_activity, methods,
//                                         nodes: [{post, user, handle, followers, time, parent, method, depth}], truncated}
//   GET  /api/users/{id}/cascades        {user, window, largest: [summary], deepest: [summary]}
//   POST /api/plans                      (and 1.5 s later an SSE `plan` event with the recomputed plan)
//                                        {budget, spend, expected_reach, per_region, cost_per_reached, overlap,
//                                         chosen: [{user, handle, posts, spend, expected_reach}], naive: {...}, guarantee}
'use strict';

const http = require('node:http');

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
    const nodes = [{ post: root, user: board[0].user_id, handle: board[0].handle, followers: board[0].followers, time: new Date(t0).toISOString(), parent: null, method: 'root', depth: 0 }];
    for (let i = 1; i < board.length; i++) {
      const parent = nodes[Math.floor((i - 1) / 3)];
      nodes.push({ post: String(BigInt(root) + BigInt(i)), user: board[i].user_id, handle: board[i].handle, followers: board[i].followers,
        time: new Date(t0 + 60000 * i).toISOString(), parent: parent.post, method: i % 4 === 0 ? 'inferred_follow' : 'exact', depth: parent.depth + 1 });
    }
    const depth = Math.max(...nodes.map((n) => n.depth));
    const breadth = Math.max(...[...Array(depth + 1).keys()].map((d) => nodes.filter((n) => n.depth === d).length));
    return { root, author: { id: board[0].user_id, handle: board[0].handle, followers: board[0].followers }, size: nodes.length, depth, max_breadth: breadth,
      structural_virality: 3.41, t50_seconds: 1200, t90_seconds: 2160, started: nodes[0].time, last_activity: nodes[nodes.length - 1].time,
      methods: { exact: nodes.filter((n) => n.method === 'exact').length, inferred_follow: nodes.filter((n) => n.method === 'inferred_follow').length, root: 0 },
      nodes, truncated: false };
  }

  async function plan(body) {
    const board = (await upstream(`/api/influencers?limit=${Math.min(200, body.pool || 200)}`)).items;
    const cost = (r) => 50 + r.followers * 2;
    const pick = (rows) => {
      let spend = 0;
      const chosen = [];
      for (const r of rows) {
        if (spend + cost(r) > body.budget) continue;
        spend += cost(r);
        chosen.push({ user: r.user_id, handle: r.handle, posts: 1, spend: cost(r), expected_reach: 20 * r.reshares + r.likes });
      }
      const reach = chosen.reduce((a, c) => a + c.expected_reach, 0);
      return { spend, expected_reach: reach, cost_per_reached: reach ? spend / reach : null, chosen };
    };
    const best = pick([...board].sort((a, b) => (20 * b.reshares + b.likes) / cost(b) - (20 * a.reshares + a.likes) / cost(a)));
    const naiveF = pick([...board].sort((a, b) => b.followers - a.followers));
    const naiveS = pick(board);
    const countries = Object.keys(body.countries || {});
    const perRegion = Object.fromEntries(countries.map((c, i) => [c, Math.round(best.expected_reach / (i + 2))]));
    return { budget: body.budget, spend: best.spend, expected_reach: best.expected_reach, per_region: perRegion, cost_per_reached: best.cost_per_reached,
      overlap: Math.round(best.expected_reach * 0.08), chosen: best.chosen,
      naive: { most_followers: { spend: naiveF.spend, expected_reach: naiveF.expected_reach, cost_per_reached: naiveF.cost_per_reached },
        highest_score: { spend: naiveS.spend, expected_reach: naiveS.expected_reach, cost_per_reached: naiveS.cost_per_reached } },
      guarantee: 'Lazy greedy by gain per cost plus the best single choice: at least 1 − 1/√e of the optimum (stub).' };
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
      if (req.method === 'POST' && url.pathname === '/api/plans') {
        let body = '';
        for await (const d of req) body += d;
        const p = await plan(JSON.parse(body));
        // As scores change the server recomputes the plan and announces it on the event stream.
        setTimeout(() => {
          const next = { ...p, expected_reach: p.expected_reach + 137 };
          for (const s of streams) s.write(`event: plan\ndata: ${JSON.stringify(next)}\n\n`);
        }, 1500);
        return json(res, 200, p);
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
