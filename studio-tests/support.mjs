// What the studio's browser tests share: the binaries, one chromium
// (Debian's, driven by playwright-core), `landstock serve` on a free port,
// `landstock plan` as a user runs it, and the page's own hooks
// (window.studio).

import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TARGET = path.resolve(ROOT, process.env.CARGO_TARGET_DIR || 'target');
/** The build under test: `debug` (what `cargo test` builds) unless LANDSTOCK_PROFILE says `release`. */
export const PROFILE = process.env.LANDSTOCK_PROFILE || 'debug';
export const BIN = path.join(TARGET, PROFILE, 'landstock');
export const MAKE_CITY = path.join(TARGET, PROFILE, 'examples', 'make_fixture_city');
export const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'landstock-studio-'));
export const FIX = (f) => path.join(ROOT, 'fixtures', f);

let ctx = null;
const servers = [];

/** The browser (one persistent context for the whole file). */
export async function browser() {
  assert.ok(fs.existsSync(BIN), `${BIN} is missing: run cargo build (or cargo test) first`);
  ctx = await chromium.launchPersistentContext(path.join(TMP, 'profile'), {
    executablePath: process.env.LANDSTOCK_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1400, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return ctx;
}

/** Closes the browser, stops every server still running, removes the temporary files. */
export async function cleanUp() {
  if (ctx) await ctx.close();
  for (const s of servers) s.proc.kill('SIGTERM');
  fs.rmSync(TMP, { recursive: true, force: true });
}

/** Starts `landstock serve` on a free port; resolves when it prints its address (with the seconds it took). */
export function serve(city) {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const proc = spawn(BIN, ['serve', city.file, '--config', city.config, ...city.layers, '--port', '0', '--quiet'],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    const timer = setTimeout(() => { proc.kill(); reject(new Error(`serve did not start: ${err}`)); }, 900_000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/[0-9.:]+\//);
      if (m) {
        clearTimeout(timer);
        const s = { url: m[0], proc, startSecs: (performance.now() - t0) / 1000 };
        servers.push(s);
        resolve(s);
      }
    });
    proc.stderr.on('data', (d) => { err += d; });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited ${code}: ${err}`)); });
  });
}

export function stop(server) {
  server.proc.kill('SIGTERM');
  servers.splice(servers.indexOf(server), 1);
}

/** `landstock plan` as a user runs it; returns the summary and the decisions' uses by id. */
export function plan(city, args) {
  const dir = fs.mkdtempSync(path.join(TMP, 'plan-'));
  execFileSync(BIN, ['plan', city.file, ...city.layers, ...args, '--out', path.join(dir, 'plan.geojson'),
    '--summary', path.join(dir, 'summary.json'), '--csv', path.join(dir, 'decisions.csv'), '--quiet'],
  { stdio: ['ignore', 'ignore', 'inherit'] });
  const summary = JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8'));
  return { summary, uses: usesOfCsv(fs.readFileSync(path.join(dir, 'decisions.csv'), 'utf8')) };
}

/** id -> use of a decisions CSV (ids may be quoted). */
export function usesOfCsv(text) {
  const m = new Map();
  for (const line of text.trim().split('\n').slice(1)) {
    const row = line.match(/^("(?:[^"]|"")*"|[^,]*),([^,]*),([^,]*),/);
    m.set(row[1].replace(/^"|"$/g, '').replace(/""/g, '"'), row[3]);
  }
  return m;
}

/** A number as the page formats it (en locale, at most `d` decimals). */
export const fmt = (x, d) => Number(x).toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: 0 });

/** Opens the studio page; resolves once the map is drawn (`wait`: until the first plan is on screen too). */
export async function open(server, wait = 'body[data-plan-id]') {
  const page = await ctx.newPage();
  page.on('pageerror', (e) => { throw e; });
  await page.goto(server.url);
  await page.waitForSelector(wait, { timeout: 600_000 });
  return page;
}

/** Runs `action` in the page and waits until the answer to the request it caused is on screen. */
export async function untilShown(page, action, arg) {
  const seq = await page.evaluate(() => window.studio.seq);
  await page.evaluate(action, arg);
  await page.waitForFunction((s) => window.studio.seq > s && window.studio.shownSeq === window.studio.seq
    && !window.studio.pendingMark, seq, { timeout: 600_000 });
}

/** Moves the cap slider to `cap` ha; resolves when that plan is on screen. */
export const setCap = (page, cap) => untilShown(page, (v) => {
  const el = document.getElementById('cap');
  el.value = String(v);
  el.dispatchEvent(new Event('input'));
}, cap);

export const text = (page, sel) => page.locator(sel).innerText();

/** A generated city of `n` parcels with the fixture's mapping (no [plan]: the page sets it). */
export function generated(n) {
  assert.ok(fs.existsSync(MAKE_CITY), `${MAKE_CITY} is missing: cargo test builds the examples`);
  const dir = path.join(TMP, `city${n}`);
  execFileSync(MAKE_CITY, ['--parcels', String(n), '--out', dir], { stdio: 'ignore' });
  const cfg = fs.readFileSync(FIX('city.toml'), 'utf8').split(/^\[plan/m)[0];
  fs.writeFileSync(path.join(dir, 'city.toml'), cfg);
  return {
    name: `${n} parcels`, file: path.join(dir, 'city.geojson'), config: path.join(dir, 'city.toml'),
    layers: ['--transit', path.join(dir, 'city_transit.geojson'), '--facilities', path.join(dir, 'city_facilities.geojson')],
  };
}

/** The median of a list of numbers. */
export function median(xs) {
  const v = [...xs].sort((a, b) => a - b), m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}
