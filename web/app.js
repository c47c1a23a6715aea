// Reach dashboard: a live leaderboard. It fetches /api/influencers for the chosen window and
// refetches whenever the server announces a new snapshot on the /api/stream event stream.
'use strict';

const state = { window: 'all', selected: null, sequence: 0, inflight: false, again: false };
const $ = (id) => document.getElementById(id);

function compact(n) {
  if (n === null || n === undefined || n < 0) return '–';
  if (n < 1000) return String(n);
  const units = [['B', 1e9], ['M', 1e6], ['k', 1e3]];
  for (const [u, v] of units) {
    if (n >= v) return (n / v).toFixed(n / v < 10 ? 1 : 0).replace(/\.0$/, '') + u;
  }
  return String(n);
}

function ago(iso) {
  if (!iso) return '';
  const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  if (s < 60) return `${Math.round(s)} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

function componentBar(c) {
  const bar = el('div', { class: 'bar', title:
    `reshares ${c.reshares.toFixed(2)} · likes ${c.likes.toFixed(2)} · followers ${c.followers.toFixed(2)} · depth ${c.depth.toFixed(2)}` });
  const total = 0.35 + 0.2 + 0.25 + 0.2;
  const parts = [['reshares', 0.35], ['likes', 0.2], ['followers', 0.25], ['depth', 0.2]];
  for (const [k, w] of parts) {
    const span = el('span', { class: `c-${k}` });
    span.style.width = `${(100 * w * c[k]) / total}%`;
    bar.append(span);
  }
  return bar;
}

function renderBoard(data) {
  const body = $('board').tBodies[0];
  const wrap = document.querySelector('.table-wrap');
  const scroll = wrap.scrollTop;
  const rows = data.items.map((it) => {
    const tr = el('tr', { tabindex: '0', 'data-user': it.user_id },
      el('td', { class: 'num', text: String(it.rank) }),
      el('td', {}, el('span', { class: 'handle', text: it.handle ? '@' + it.handle : it.user_id }),
        el('span', { class: 'name', text: it.name || '' })),
      el('td', { class: 'num', text: it.score.toFixed(1) }),
      el('td', {}, componentBar(it.components)),
      el('td', { class: 'num', text: compact(it.followers) }),
      el('td', { class: 'num', text: compact(it.reshares) }),
      el('td', { class: 'num', text: compact(it.likes) }),
      el('td', { class: 'num', text: String(it.depth) }),
      el('td', { class: 'num', text: compact(it.posts) }));
    if (it.user_id === state.selected) tr.classList.add('selected');
    return tr;
  });
  body.replaceChildren(...rows);
  wrap.scrollTop = scroll;
  $('empty').hidden = data.items.length > 0;
  $('as-of').textContent = `${compact(data.total)} accounts · data as of ${ago(data.as_of)}`;
}

async function refresh() {
  if (state.inflight) { state.again = true; return; }
  state.inflight = true;
  try {
    const r = await fetch(`/api/influencers?window=${encodeURIComponent(state.window)}&limit=100`);
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    renderBoard(await r.json());
  } catch (e) {
    $('status').textContent = `could not load the leaderboard (${e.message}); retrying`;
    $('status').className = 'status down';
  } finally {
    state.inflight = false;
    if (state.again) { state.again = false; refresh(); }
  }
}

async function showProfile(id) {
  state.selected = id;
  for (const tr of document.querySelectorAll('tbody tr')) {
    tr.classList.toggle('selected', tr.dataset.user === id);
  }
  const panel = $('profile');
  panel.hidden = false;
  const body = $('profile-body');
  body.textContent = 'loading…';
  const r = await fetch(`/api/users/${encodeURIComponent(id)}`);
  if (!r.ok) { body.textContent = `could not load this account (HTTP ${r.status})`; return; }
  const u = await r.json();
  const dl = el('dl');
  const add = (k, v) => dl.append(el('dt', { text: k }), el('dd', { text: v }));
  add('Handle', u.handle ? '@' + u.handle : '–');
  add('Name', u.name || '–');
  add('Location', u.location || '–');
  add('Followers', compact(u.followers));
  add('Following', compact(u.following));
  for (const w of ['15m', '1h', '24h', 'all']) {
    const row = u.windows[w];
    add(`Score ${w}`, row ? `${row.score.toFixed(1)} (#${row.rank}) · ${compact(row.reshares)} reshares` : 'no activity');
  }
  body.replaceChildren(dl);
}

function connect() {
  const es = new EventSource('/api/stream');
  es.addEventListener('open', () => {
    $('status').textContent = 'live';
    $('status').className = 'status live';
  });
  es.addEventListener('snapshot', (ev) => {
    const s = JSON.parse(ev.data);
    state.sequence = s.sequence;
    $('status').textContent = `live · ${compact(s.events)} events`;
    $('status').className = 'status live';
    refresh();
  });
  es.addEventListener('error', () => {
    $('status').textContent = 'reconnecting…';
    $('status').className = 'status down';
  });
}

$('window').addEventListener('change', (e) => { state.window = e.target.value; refresh(); });
$('board').addEventListener('click', (e) => {
  const tr = e.target.closest('tr[data-user]');
  if (tr) showProfile(tr.dataset.user);
});
$('board').addEventListener('keydown', (e) => {
  const tr = e.target.closest('tr[data-user]');
  if (tr && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); showProfile(tr.dataset.user); }
});
refresh();
connect();
