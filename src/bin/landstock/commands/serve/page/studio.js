// landstock studio: the controls, the requests and the panels (map.js,
// loaded first, holds the state `S` and draws the map).
'use strict';

// ---------- settings -> request body ----------
function settings(solver) {
  const cap = parseFloat($('cap-num').value);
  const body = {
    cap: cap + 'ha',
    solver,
    adjacency_lambda: parseFloat($('lambda').value),
    budget: $('budget-on').checked ? parseFloat($('budget').value) : null,
    construction_target_ha: $('target-on').checked ? parseFloat($('target').value) : null,
    bounds: {},
    locks: { ...S.locks },
  };
  for (const u of USES) {
    const min = $('min-' + u).value.trim(), max = $('max-' + u).value.trim();
    body.bounds[u] = { min: min || null, max: max || null };
  }
  if (S.weightsTouched) {
    const sc = {};
    for (const el of document.querySelectorAll('#weights input[type=range]')) {
      const [u, c] = el.dataset.key.split('.');
      (sc[u] = sc[u] || {})[c] = { weight: parseFloat(el.value) };
    }
    body.scoring = sc;
  }
  return body;
}

function status(text, error) {
  const s = $('status');
  s.textContent = text;
  s.classList.toggle('error', !!error);
}

// Sends the settings; only the latest answer is shown (older requests are aborted).
async function solve(solver = 'fast') {
  const seq = ++S.seq;
  const t0 = S.inputAt || performance.now();
  if (S.controller) S.controller.abort();
  const controller = new AbortController();
  S.controller = controller;
  $('status').classList.add('busy');
  let res, v;
  try {
    res = await fetch('/api/plan?decisions=uses', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify(settings(solver)), signal: controller.signal,
    });
    v = await res.json();
  } catch (e) {
    if (e.name === 'AbortError') return;
    if (seq === S.seq) { $('status').classList.remove('busy'); status('request failed: ' + e.message, true); }
    return;
  }
  if (seq !== S.seq) return; // a newer request is on its way
  $('status').classList.remove('busy');
  if (!res.ok) {
    let text = `${res.status}: ${v.error}`;
    if (v.conflicts && v.conflicts.length) text += ' — ' + v.conflicts.join('; ');
    status(text, true);
    document.body.dataset.shownSeq = String(seq);
    document.body.dataset.error = String(res.status);
    S.shownSeq = seq;
    return;
  }
  delete document.body.dataset.error;
  const tAnswer = performance.now();
  const use = new Uint8Array(S.n);
  for (let k = 0; k < v.uses.length; k++) use[S.cand[k]] = LETTER[v.uses[k]];
  S.plan = { id: v.plan_id, summary: v.summary, use };
  S.pendingMark = () => {
    const now = performance.now(), ms = now - t0;
    S.latencies.push(ms);
    // where the time went: until the answer (server + network), then drawing
    S.timings = { total_ms: ms, answer_ms: tAnswer - t0, solve_ms: v.summary.solver.seconds * 1000, draw_ms: now - tAnswer };
    S.shownSeq = seq;
    document.body.dataset.planId = String(v.plan_id);
    document.body.dataset.shownSeq = String(seq);
    const sv = v.summary.solver;
    status(`plan ${v.plan_id}: ${sv.method} (${sv.status}) in ${fmt(sv.seconds * 1000, 0)} ms, on screen in ${fmt(ms, 0)} ms`);
  };
  indicators();
  constraintsTable();
  compareTable();
  exportsLinks();
  render();
  if (S.selectedId) showParcel(S.selectedId);
}

let inputTimer = 0;
function changed() {
  S.inputAt = performance.now();
  // coalesce the events of one frame into one request
  cancelAnimationFrame(inputTimer);
  inputTimer = requestAnimationFrame(() => solve('fast'));
}

// ---------- panels ----------
function ind(label, value, id) { return `<span class="ind" id="ind-${id}">${label} <b>${value}</b></span>`; }
function indicators() {
  const s = S.plan.summary, a = s.indicators.after, b = s.indicators.before, sv = s.solver;
  const conv = a.converted_ha;
  $('indicators').innerHTML = [
    ind('objective', fmt(sv.objective, 4), 'objective'),
    ind('bound', fmt(sv.bound, 4), 'bound'),
    ind('gap', fmt(100 * sv.gap, 3) + ' %', 'gap'),
    ind('converted', `${s.plan.converted} / ${s.plan.candidates}`, 'converted'),
    ind('cap used', `${fmt(a.cap_used_ha, 2)} ha (${fmt(a.cap_used_pct, 1)} %)`, 'cap-used'),
    ind('green', fmt(conv.green, 2) + ' ha', 'green'),
    ind('ecological', fmt(conv.ecological, 2) + ' ha', 'ecological'),
    ind('cultural', fmt(conv.cultural, 2) + ' ha', 'cultural'),
    ind('redevelop', fmt(conv.redevelop, 2) + ' ha', 'redevelop'),
    ind('construction land', `${fmt(a.construction_land_ha, 1)} ha (${fmt(a.construction_land_change_ha, 2)})`, 'construction'),
    ind('park m²/resident', `${fmt(b.park_m2_per_resident, 2)} → ${fmt(a.park_m2_per_resident, 2)}`, 'park'),
    ind('park coverage', `${fmt(100 * b.park_service_coverage, 1)} → ${fmt(100 * a.park_service_coverage, 1)} %`, 'coverage'),
    ind('eco patches', `${b.eco_patches} → ${a.eco_patches}`, 'eco'),
    ind('cultural clusters', a.cultural_clusters, 'clusters'),
    ind('net cost', fmt(a.budget.net_cost, 0), 'cost'),
  ].join('');
}

function constraintsTable() {
  const rows = S.plan.summary.constraints.map((c) =>
    `<tr class="${c.binding ? 'binding' : ''}"><td>${c.name}</td><td class="num">${fmt(c.limit, 2)}</td><td class="num">${fmt(c.value, 2)}</td><td class="num">${fmt(c.slack, 2)}</td></tr>`);
  $('constraints').innerHTML = `<h3>Constraints</h3><table><tr><th>name</th><th>limit</th><th>value</th><th>slack</th></tr>${rows.join('')}</table>`;
}

function compareTable() {
  if (!S.planA) { $('compare').innerHTML = ''; return; }
  const A = S.planA.summary, B = S.plan.summary;
  const row = (label, f, d = 2) => {
    const a = f(A), b = f(B);
    return `<tr><td>${label}</td><td class="num">${fmt(a, d)}</td><td class="num">${fmt(b, d)}</td><td class="num">${fmt(b - a, d)}</td></tr>`;
  };
  let changedN = 0;
  for (let i = 0; i < S.n; i++) if (S.planA.use[i] !== S.plan.use[i]) changedN++;
  $('compare').innerHTML = `<h3>Plan A (${S.planA.id}) vs current (${S.plan.id})</h3><table>
    <tr><th></th><th>A</th><th>current</th><th>Δ</th></tr>
    ${row('objective', (s) => s.solver.objective, 4)}
    ${row('cap, ha', (s) => s.plan.cap_ha)}
    ${row('converted', (s) => s.plan.converted, 0)}
    ${USES.map((u) => row(u + ', ha', (s) => s.indicators.after.converted_ha[u])).join('')}
    ${row('construction land, ha', (s) => s.indicators.after.construction_land_ha, 1)}
    ${row('net cost', (s) => s.indicators.after.budget.net_cost, 0)}
    <tr><td>parcels that differ</td><td colspan="3" class="num" id="diff-count">${changedN}</td></tr></table>`;
}

function exportsLinks() {
  for (const a of document.querySelectorAll('.export')) a.href = `/api/export/${S.plan.id}/${a.dataset.kind}`;
}

async function pick([x, y]) {
  const tol = 4 / S.view.scale;
  const plan = S.plan ? `&plan=${S.plan.id}` : '';
  const r = await fetch(`/api/locate?x=${x}&y=${y}&tol_m=${tol}${plan}`);
  if (!r.ok) { S.selected = null; S.selectedId = null; $('parcel').innerHTML = '<p class="hint">No parcel there.</p>'; render(); return; }
  renderParcel(await r.json());
}

async function showParcel(id) {
  const plan = S.plan ? `?plan=${S.plan.id}` : '';
  const r = await fetch(`/api/parcel/${encodeURIComponent(id)}${plan}`);
  if (r.ok) renderParcel(await r.json());
}

function esc(t) { return String(t).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]); }

function renderParcel(p) {
  S.selected = p.index; S.selectedId = p.id;
  let h = `<h3>Parcel ${esc(p.id)}</h3><p>${p.class}, ${p.status}, ${fmt(p.area_m2 / 1e4, 3)} ha${p.heritage ? ', heritage' : ''}${p.contaminated ? ', contaminated' : ''}</p>`;
  if (p.plan) {
    h += `<p>In plan ${p.plan.plan_id}: <b id="parcel-use">${p.plan.use}</b>${p.plan.lock ? ` (locked: ${esc(p.plan.lock)})` : ''}</p>`;
    h += `<p class="why" id="parcel-why">${esc(p.plan.why || '')}</p>`;
  }
  h += `<p id="parcel-reasons">${esc(p.reasons)}</p>`;
  if (p.candidate) {
    const lock = S.locks[p.id];
    h += `<p>Lock: <select id="lock-use">${USES.map((u) => `<option${lock === u ? ' selected' : ''}>${u}</option>`).join('')}</select>
      <button id="lock-in" type="button">lock in</button> <button id="lock-out" type="button">lock out</button>
      <button id="unlock" type="button">unlock</button></p>`;
    for (const u of ['green', 'ecological', 'cultural']) {
      const s = p.scores[u];
      if (!s) { h += `<h4>${u}: not eligible</h4>`; continue; }
      h += `<h4>${u} ${fmt(s.score, 3)}</h4><table><tr><th>criterion</th><th>raw</th><th>value</th><th>weight</th></tr>` +
        s.breakdown.map((c) => `<tr><td>${c.criterion}</td><td class="num">${fmt(c.raw, 1)} ${c.unit}</td><td class="num">${fmt(c.value, 3)}</td><td class="num">${fmt(c.weight, 3)}</td></tr>`).join('') + '</table>';
    }
  }
  $('parcel').innerHTML = h;
  if (p.candidate) {
    $('lock-in').onclick = () => { S.locks[p.id] = $('lock-use').value; changed(); };
    $('lock-out').onclick = () => { S.locks[p.id] = 'out'; changed(); };
    // null removes a lock the config has; a lock made here is just dropped
    $('unlock').onclick = () => {
      if (S.city.config.plan.locks[p.id] !== undefined) S.locks[p.id] = null; else delete S.locks[p.id];
      changed();
    };
  }
  render();
}

// ---------- controls ----------
function buildControls() {
  const c = S.city, plan = c.config.plan;
  const maxCap = Math.max(1, Math.ceil(c.candidates_ha));
  const cap = plan.cap ? parseFloat(plan.cap) : Math.round(maxCap * 0.3);
  $('cap').max = String(maxCap);
  $('cap').value = String(cap);
  $('cap-num').value = String(cap);
  $('cap-out').textContent = fmt(cap, 1);
  $('cap').addEventListener('input', () => { $('cap-num').value = $('cap').value; $('cap-out').textContent = $('cap').value; changed(); });
  $('cap-num').addEventListener('change', () => { $('cap').value = $('cap-num').value; $('cap-out').textContent = $('cap-num').value; changed(); });
  $('budget-on').checked = plan.budget !== undefined && plan.budget !== null;
  $('budget').value = String(plan.budget ?? 1e8);
  $('target-on').checked = plan.construction_target_ha !== undefined && plan.construction_target_ha !== null;
  $('target').value = String(plan.construction_target_ha ?? Math.floor(c.construction_land_ha));
  $('lambda').value = String(plan.adjacency_lambda);
  $('lambda-out').textContent = String(plan.adjacency_lambda);
  $('lambda').addEventListener('input', () => { $('lambda-out').textContent = $('lambda').value; changed(); });
  for (const id of ['budget-on', 'budget', 'target-on', 'target']) $(id).addEventListener('change', changed);
  let h = '<legend>Bounds per use (e.g. 20ha or 30%)</legend><div class="row"><span></span><span>min</span><span>max</span></div>';
  for (const u of USES) {
    const b = plan.bounds[u] || {};
    h += `<div class="row"><span>${u}</span><input type="text" id="min-${u}" value="${b.min ?? ''}" aria-label="min ${u}"><input type="text" id="max-${u}" value="${b.max ?? ''}" aria-label="max ${u}"></div>`;
  }
  $('bounds').innerHTML = h;
  for (const u of USES) for (const k of ['min', 'max']) $(`${k}-${u}`).addEventListener('change', changed);
  let w = '<legend>Scoring weights</legend>';
  for (const u of ['green', 'ecological', 'cultural']) {
    w += `<h4>${u}</h4>`;
    for (const [name, crit] of Object.entries(c.config.scoring[u] || {})) {
      if (!crit || typeof crit.weight !== 'number') continue;
      w += `<div class="row"><span>${name}</span><input type="range" min="0" max="1" step="0.05" value="${crit.weight}" data-key="${u}.${name}" aria-label="${u} ${name} weight"><output>${crit.weight}</output></div>`;
    }
  }
  $('weights').innerHTML = w;
  for (const el of document.querySelectorAll('#weights input[type=range]')) {
    el.addEventListener('input', () => { el.nextElementSibling.textContent = el.value; S.weightsTouched = true; changed(); });
  }
  S.locks = {};
  $('prove').disabled = !c.exact_solver;
  $('prove').addEventListener('click', () => { S.inputAt = performance.now(); solve('exact'); });
  $('keep-a').addEventListener('click', () => { if (S.plan) { S.planA = S.plan; compareTable(); render(); } });
  $('mode').addEventListener('change', () => { S.mode = $('mode').value; render(); });
}

async function main() {
  const t0 = performance.now();
  S.city = await (await fetch('/api/city')).json();
  const c = S.city;
  S.n = c.parcels;
  $('city-name').textContent = c.city;
  $('city-facts').textContent = `${fmt(c.parcels, 0)} parcels · ${fmt(c.candidates, 0)} candidates (${fmt(c.candidates_ha, 1)} ha) · ${c.working_crs}`;
  buildPalette();
  const cand = fetchBuf('/api/candidates');
  if (c.parcels <= c.viewport_limit) {
    S.polys = parsePolys(await fetchBuf('/api/geometry'));
    S.cls = new Uint8Array(S.n);
    for (let p = 0; p < S.polys.n; p++) S.cls[S.polys.index[p]] = S.polys.cls[p];
  } else {
    S.points = parsePoints(await fetchBuf('/api/geometry/points'));
    S.cls = S.points.cls;
  }
  S.cand = new Uint32Array(await cand);
  buildControls();
  wireMap($('map'));
  wireMap($('map-a'));
  window.addEventListener('resize', render);
  fitView();
  render();
  document.body.dataset.loadedMs = String(Math.round(performance.now() - t0));
  document.body.dataset.ready = '1';
  changed();
}

main().catch((e) => status('cannot load the city: ' + e.message, true));
