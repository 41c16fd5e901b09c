// landstock studio: the map (loaded before studio.js). Plain JS and a
// canvas renderer of our own (no map library: the parcels are in a metric
// CRS already, the server sends binary buffers, and the page must work with
// no network at all): the page's state, the binary buffers, colours,
// drawing, level of detail for large cities, pan, zoom and click.
'use strict';

const USES = ['green', 'ecological', 'cultural', 'redevelop'];
const LETTER = { k: 0, g: 1, e: 2, c: 3, r: 4 };
const $ = (id) => document.getElementById(id);
const fmt = (x, d = 2) => (x === null || x === undefined || Number.isNaN(x)) ? '–'
  : Number(x).toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: 0 });

// Everything the page knows.
const S = {
  city: null,
  n: 0,
  polys: null,        // every parcel's polygons (small cities)
  viewPolys: null,    // the viewport's polygons (large cities), with its box
  points: null,       // centroids + classes (large cities)
  cls: null,          // class code per parcel
  cand: null,         // stock index per candidate
  view: { cx: 0, cy: 0, scale: 1 },
  plan: null,         // {id, summary, use: Uint8Array per parcel}
  planA: null,
  mode: 'plan',
  locks: {},          // id -> use | 'out' | null (null: remove the config's lock)
  weightsTouched: false,
  seq: 0,             // requests sent
  shownSeq: 0,        // the request whose answer is on screen
  controller: null,
  inputAt: 0,
  latencies: [],
  selected: null,
  frames: [],         // ms each map frame took to draw (for tests and scripts)
};
window.studio = S;

// ---------- binary buffers ----------
function parsePolys(buf) {
  const dv = new DataView(buf);
  const magic = String.fromCharCode(...new Uint8Array(buf, 0, 4));
  if (magic !== 'LSG1') throw new Error('not a polygon buffer');
  const n = dv.getUint32(4, true), rings = dv.getUint32(8, true), pts = dv.getUint32(12, true);
  let off = 16;
  const index = new Uint32Array(buf, off, n); off += 4 * n;
  const ringStart = new Uint32Array(buf, off, n + 1); off += 4 * (n + 1);
  const pointStart = new Uint32Array(buf, off, rings + 1); off += 4 * (rings + 1);
  const xy = new Float32Array(buf, off, 2 * pts); off += 8 * pts;
  const cls = new Uint8Array(buf, off, n);
  const box = new Float32Array(4 * n);
  for (let p = 0; p < n; p++) {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    const a = pointStart[ringStart[p]], b = pointStart[ringStart[p + 1]];
    for (let q = a; q < b; q++) {
      const x = xy[2 * q], y = xy[2 * q + 1];
      if (x < x0) x0 = x; if (x > x1) x1 = x; if (y < y0) y0 = y; if (y > y1) y1 = y;
    }
    box[4 * p] = x0; box[4 * p + 1] = y0; box[4 * p + 2] = x1; box[4 * p + 3] = y1;
  }
  return { n, index, ringStart, pointStart, xy, cls, box };
}

function parsePoints(buf) {
  const dv = new DataView(buf);
  const n = dv.getUint32(4, true);
  return { n, xy: new Float32Array(buf, 8, 2 * n), cls: new Uint8Array(buf, 8 + 8 * n, n) };
}

async function fetchBuf(url, signal) {
  const r = await fetch(url, { signal });
  if (!r.ok) throw new Error(url + ': ' + r.status);
  return r.arrayBuffer();
}

// ---------- colours ----------
let PALETTE = [];   // css colours by code
let RGBA = [];      // the same as packed ABGR for ImageData
const C_USE = 12, C_LOST = 16, C_CHANGED = 17, C_FADED = 18;
function hexToRgb(h) { const v = parseInt(h.slice(1), 16); return [(v >> 16) & 255, (v >> 8) & 255, v & 255]; }
function fade([r, g, b]) { return [r + (255 - r) * 0.6, g + (255 - g) * 0.6, b + (255 - b) * 0.6].map(Math.round); }
function buildPalette() {
  const cols = [];
  for (const c of S.city.classes) cols[c.code] = hexToRgb(c.colour);
  for (let u = 1; u <= 4; u++) cols[C_USE + u - 1] = hexToRgb(S.city.uses[u].colour);
  cols[C_LOST] = [40, 40, 40];
  cols[C_CHANGED] = [255, 212, 0];
  for (const c of S.city.classes) cols[C_FADED + c.code] = fade(hexToRgb(c.colour));
  PALETTE = cols.map(([r, g, b]) => `rgb(${r},${g},${b})`);
  RGBA = cols.map(([r, g, b]) => (255 << 24) | (b << 16) | (g << 8) | r);
}

// colour code of parcel i in the mode, for plan `use` (Uint8Array or null)
function colourOf(i, use, other) {
  const cls = S.cls[i];
  if (S.mode === 'class' || !use) return cls;
  if (other) { // difference: other = plan A's uses
    const a = other[i], b = use[i];
    if (a === b) return C_FADED + cls;
    if (a === 0) return C_USE + b - 1;
    if (b === 0) return C_LOST;
    return C_CHANGED;
  }
  const u = use[i];
  return u ? C_USE + u - 1 : cls;
}

// ---------- drawing ----------
function fitView() {
  const b = S.city.bbox, canvas = $('map');
  const w = b[2] - b[0], h = b[3] - b[1];
  S.view.cx = w / 2; S.view.cy = h / 2;
  S.view.scale = Math.min(canvas.clientWidth / (w || 1), canvas.clientHeight / (h || 1)) * 0.95;
}

function sizeCanvas(canvas) {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(canvas.clientWidth * dpr)), h = Math.max(1, Math.round(canvas.clientHeight * dpr));
  if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
  return dpr;
}

const PATH_PARCELS = 64;

// `onlyConverted`: draw just the parcels the plan converts (over a cached base)
function drawPolys(ctx, P, onlyConverted, W, H, use, other) {
  const { scale, cx, cy } = S.view;
  const ox = W / 2 - cx * scale, oy = H / 2 + cy * scale;
  const vx0 = (0 - ox) / scale, vx1 = (W - ox) / scale, vy0 = (oy - H) / scale, vy1 = oy / scale;
  const buckets = new Map();
  const dots = new Map();
  const minPx = 1.2 / scale;
  for (let p = 0; p < P.n; p++) {
    const x0 = P.box[4 * p], y0 = P.box[4 * p + 1], x1 = P.box[4 * p + 2], y1 = P.box[4 * p + 3];
    if (x1 < vx0 || x0 > vx1 || y1 < vy0 || y0 > vy1) continue;
    if (onlyConverted && !use[P.index[p]]) continue;
    const c = colourOf(P.index[p], use, other);
    const tiny = (x1 - x0) < minPx && (y1 - y0) < minPx;
    const m = tiny ? dots : buckets;
    let list = m.get(c); if (!list) { list = []; m.set(c, list); }
    list.push(p);
  }
  ctx.lineWidth = 1 / scale > 0.5 ? 0.3 : 0.5;
  const stroke = scale > 0.4;
  ctx.strokeStyle = 'rgba(80,80,80,0.45)';
  // a path of a few dozen parcels at a time: Skia's fill and stroke time
  // grows faster than the subpaths of one path (34,000 parcels in one path:
  // 10 s; in paths of 64: under 0.1 s)
  for (const [c, list] of buckets) {
    ctx.fillStyle = PALETTE[c];
    for (let k0 = 0; k0 < list.length; k0 += PATH_PARCELS) {
      ctx.beginPath();
      for (let k = k0; k < Math.min(list.length, k0 + PATH_PARCELS); k++) {
        const p = list[k];
        for (let r = P.ringStart[p]; r < P.ringStart[p + 1]; r++) {
          const a = P.pointStart[r], b = P.pointStart[r + 1];
          ctx.moveTo(ox + P.xy[2 * a] * scale, oy - P.xy[2 * a + 1] * scale);
          for (let q = a + 1; q < b; q++) ctx.lineTo(ox + P.xy[2 * q] * scale, oy - P.xy[2 * q + 1] * scale);
          ctx.closePath();
        }
      }
      ctx.fill('evenodd');
      if (stroke) ctx.stroke();
    }
  }
  for (const [c, list] of dots) {
    ctx.fillStyle = PALETTE[c];
    for (const p of list) {
      ctx.fillRect(ox + P.box[4 * p] * scale, oy - P.box[4 * p + 3] * scale, 1.2, 1.2);
    }
  }
}

function drawPoints(ctx, W, H, use, other, skipBox) {
  const { scale, cx, cy } = S.view;
  const ox = W / 2 - cx * scale, oy = H / 2 + cy * scale;
  const img = ctx.getImageData(0, 0, W, H);
  const px = new Uint32Array(img.data.buffer);
  const P = S.points;
  for (let i = 0; i < P.n; i++) {
    const x = P.xy[2 * i], y = P.xy[2 * i + 1];
    if (skipBox && x >= skipBox[0] && x <= skipBox[2] && y >= skipBox[1] && y <= skipBox[3]) continue;
    const sx = (ox + x * scale) | 0, sy = (oy - y * scale) | 0;
    if (sx < 0 || sy < 0 || sx >= W - 1 || sy >= H - 1) continue;
    const c = RGBA[colourOf(i, use, other)];
    const o = sy * W + sx;
    px[o] = c; px[o + 1] = c; px[o + W] = c; px[o + W + 1] = c;
  }
  ctx.putImageData(img, 0, 0);
}

function drawCanvas(canvas, use, other) {
  const dpr = sizeCanvas(canvas);
  const ctx = canvas.getContext('2d');
  const W = canvas.width, H = canvas.height;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = '#fbfbf8'; ctx.fillRect(0, 0, W, H);
  const v = S.view, saved = v.scale;
  v.scale = saved * dpr;
  if (S.polys && !other && S.mode !== 'class' && use) {
    // the classes do not change with the plan: draw them once per view, then
    // only the converted parcels over them
    ctx.drawImage(baseLayer(W, H), 0, 0);
    drawPolys(ctx, S.polys, true, W, H, use, null);
  } else if (S.polys) {
    drawPolys(ctx, S.polys, false, W, H, use, other);
  } else {
    const vp = S.viewPolys && viewCovered(S.viewPolys.box) ? S.viewPolys : null;
    drawPoints(ctx, W, H, use, other, vp ? vp.box : null);
    if (vp) drawPolys(ctx, vp.P, false, W, H, use, other);
  }
  if (S.selected !== null) outlineSelected(ctx, W, H);
  v.scale = saved;
}

// Every parcel in its class colour for the current view (cached per view).
let base = null;
function baseLayer(W, H) {
  const v = S.view, key = `${W}x${H}@${v.cx},${v.cy},${v.scale}`;
  if (base && base.key === key) return base.canvas;
  const canvas = (base && base.canvas) || document.createElement('canvas');
  canvas.width = W; canvas.height = H;
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fbfbf8'; ctx.fillRect(0, 0, W, H);
  drawPolys(ctx, S.polys, false, W, H, null, null);
  base = { key, canvas };
  return canvas;
}

function outlineSelected(ctx, W, H) {
  const P = S.polys || (S.viewPolys && S.viewPolys.P);
  if (!P) return;
  const p = P.index.indexOf(S.selected);
  if (p < 0) return;
  const { scale, cx, cy } = S.view;
  const ox = W / 2 - cx * scale, oy = H / 2 + cy * scale;
  ctx.beginPath();
  for (let r = P.ringStart[p]; r < P.ringStart[p + 1]; r++) {
    const a = P.pointStart[r], b = P.pointStart[r + 1];
    ctx.moveTo(ox + P.xy[2 * a] * scale, oy - P.xy[2 * a + 1] * scale);
    for (let q = a + 1; q < b; q++) ctx.lineTo(ox + P.xy[2 * q] * scale, oy - P.xy[2 * q + 1] * scale);
    ctx.closePath();
  }
  ctx.lineWidth = 2.5; ctx.strokeStyle = '#d7191c'; ctx.stroke();
}

let frame = 0;
function render() {
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    const t0 = performance.now();
    const use = S.plan && S.plan.use;
    const a = S.planA && S.planA.use;
    $('box-a').hidden = S.mode !== 'compare';
    if (S.mode === 'compare') {
      drawCanvas($('map-a'), a, null);
      drawCanvas($('map'), use, null);
    } else if (S.mode === 'diff') {
      drawCanvas($('map'), use, a || use);
    } else {
      drawCanvas($('map'), use, null);
    }
    if (S.frames.length < 1000) S.frames.push(performance.now() - t0);
    $('title-b').textContent = S.mode === 'diff' ? 'difference: plan A → current' : 'current plan';
    legend();
    maybeFetchViewport();
    if (S.pendingMark) { S.pendingMark(); S.pendingMark = null; }
  });
}

function legend() {
  const items = [];
  if (S.mode === 'diff') {
    items.push([PALETTE[C_USE], 'newly converted (by use)'], [PALETTE[C_LOST], 'converted in A only'], [PALETTE[C_CHANGED], 'other use'], [PALETTE[C_FADED + 10], 'same']);
  } else {
    if (S.mode !== 'class') for (let u = 1; u <= 4; u++) items.push([PALETTE[C_USE + u - 1], USES[u - 1]]);
    for (const c of S.city.classes) if (c.parcels) items.push([PALETTE[c.code], c.class]);
  }
  $('legend').innerHTML = items.map(([c, t]) => `<span style="background:${c}"></span>${t}`).join('');
}

// ---------- level of detail for large cities ----------
let vpTimer = 0, vpController = null;
function viewBox(margin) {
  const c = $('map'), { scale, cx, cy } = S.view;
  const hw = c.clientWidth / 2 / scale * margin, hh = c.clientHeight / 2 / scale * margin;
  return [cx - hw, cy - hh, cx + hw, cy + hh];
}
function viewCovered(b) {
  const v = viewBox(1);
  return b[0] <= v[0] && b[1] <= v[1] && b[2] >= v[2] && b[3] >= v[3];
}
function maybeFetchViewport() {
  if (S.polys || !S.points) return;
  if (S.viewPolys && viewCovered(S.viewPolys.box)) return;
  clearTimeout(vpTimer);
  vpTimer = setTimeout(async () => {
    const b = viewBox(1.3);
    let count = 0;
    const P = S.points, lim = S.city.viewport_limit;
    for (let i = 0; i < P.n && count <= lim; i++) {
      const x = P.xy[2 * i], y = P.xy[2 * i + 1];
      if (x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3]) count++;
    }
    if (count > lim * 0.8) return; // centroids are the level of detail here
    if (vpController) vpController.abort();
    vpController = new AbortController();
    try {
      const buf = await fetchBuf('/api/geometry?bbox=' + b.map((x) => x.toFixed(1)).join(','), vpController.signal);
      S.viewPolys = { box: b, P: parsePolys(buf) };
      render();
    } catch (e) { if (e.name !== 'AbortError') status('viewport: ' + e.message, true); }
  }, 120);
}

// ---------- pan, zoom, click ----------
function toWorld(canvas, ev) {
  const r = canvas.getBoundingClientRect(), { scale, cx, cy } = S.view;
  return [cx + (ev.clientX - r.left - r.width / 2) / scale, cy - (ev.clientY - r.top - r.height / 2) / scale];
}
function wireMap(canvas) {
  let drag = null;
  canvas.addEventListener('mousedown', (ev) => { drag = { x: ev.clientX, y: ev.clientY, cx: S.view.cx, cy: S.view.cy, moved: false }; });
  window.addEventListener('mousemove', (ev) => {
    if (!drag) return;
    const dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
    S.view.cx = drag.cx - dx / S.view.scale; S.view.cy = drag.cy + dy / S.view.scale;
    if (drag.moved) render();
  });
  window.addEventListener('mouseup', (ev) => {
    if (drag && !drag.moved && ev.target === canvas) pick(toWorld(canvas, ev));
    drag = null;
  });
  canvas.addEventListener('wheel', (ev) => {
    ev.preventDefault();
    const [wx, wy] = toWorld(canvas, ev);
    const f = Math.exp(-ev.deltaY * 0.0015);
    const s = Math.min(Math.max(S.view.scale * f, 1e-4), 200);
    S.view.cx = wx - (wx - S.view.cx) * S.view.scale / s;
    S.view.cy = wy - (wy - S.view.cy) * S.view.scale / s;
    S.view.scale = s;
    render();
  }, { passive: false });
}

// Where parcel `i` is on screen (client px) and how big (px²): for tests
// and for scripts driving the page.
S.screenOf = (i) => {
  const P = S.polys || (S.viewPolys && S.viewPolys.P);
  if (!P) return null;
  const p = P.index.indexOf(i);
  if (p < 0) return null;
  const r0 = P.ringStart[p], a = P.pointStart[r0], b = P.pointStart[r0 + 1];
  let A = 0, X = 0, Y = 0; // centroid of the outer ring (shoelace)
  for (let q = a; q < b; q++) {
    const n = q + 1 < b ? q + 1 : a;
    const x0 = P.xy[2 * q], y0 = P.xy[2 * q + 1], x1 = P.xy[2 * n], y1 = P.xy[2 * n + 1];
    const f = x0 * y1 - x1 * y0;
    A += f; X += (x0 + x1) * f; Y += (y0 + y1) * f;
  }
  const wx = X / (3 * A), wy = Y / (3 * A);
  const rect = $('map').getBoundingClientRect(), { scale, cx, cy } = S.view;
  return { x: rect.left + rect.width / 2 + (wx - cx) * scale, y: rect.top + rect.height / 2 - (wy - cy) * scale,
    areaPx: Math.abs(A / 2) * scale * scale };
};
