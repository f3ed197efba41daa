// The analyst's views against the CLI: the range on the headline and the unit chart and
// the tornado chart give `cutoff simulate --range --json`'s numbers, the sweep chart's points are `cutoff
// sweep --json`'s, and the timeline sweep's intervals are `cutoff sweep --param as_of`'s.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { start, choosePreset } from './browser.mjs';

const CLI = process.env.CUTOFF_BIN ?? 'target/debug/cutoff';

/** The JSON the CLI writes with `--json` for `args`. */
function cliJson(...args) {
  const out = join(mkdtempSync(join(tmpdir(), 'cutoff-analyst-')), 'out.json');
  execFileSync(CLI, [...args, '--json', out], { stdio: ['ignore', 'ignore', 'inherit'] });
  return JSON.parse(readFileSync(out, 'utf8'));
}

/** Everyone who loses access in a totals JSON. */
const everyone = (totals) => Object.values(totals.people).reduce((n, p) => n + p.lose_any, 0);

/** Polls `read` on the page until it gives `expected` (the worker answers after a
 * moment), then compares, so that a wrong answer fails with both sides shown. */
async function settlesTo(page, read, expected, arg) {
  let actual;
  for (let i = 0; i < 240; i += 1) {
    actual = await page.evaluate(read, arg);
    if (JSON.stringify(actual) === JSON.stringify(expected)) break;
    await page.waitForTimeout(250);
  }
  assert.deepEqual(actual, expected);
}

const SCENARIO = 'friday-letter/complies-exactly.scenario.toml';

let app;
before(async () => { app = await start(); });
after(async () => { await app?.close(); });

test('the headline range and the tornado chart are the CLI range', async () => {
  const range = cliJson('simulate', `policies/${SCENARIO}`, '--range');
  const { page, problems } = await app.open();
  await choosePreset(page, SCENARIO);
  const segments = Object.entries(range.people).map(([segment, p]) => [segment, p.lose_any.low, p.lose_any.high]);
  const low = segments.reduce((n, s) => n + s[1], 0);
  const high = segments.reduce((n, s) => n + s[2], 0);
  const expected = [...segments, ['everyone', low, high]].sort();
  await settlesTo(page, () => [...document.querySelectorAll('[data-testid^="range-"]')]
    .map((e) => [e.dataset.testid.slice('range-'.length), Number(e.dataset.low), Number(e.dataset.high)]).sort(), expected);
  // The unit chart carries each segment's range beside its title.
  await settlesTo(page, () => [...document.querySelectorAll('[data-testid^="units-range-"]')]
    .map((e) => [e.dataset.testid.slice('units-range-'.length), Number(e.dataset.low), Number(e.dataset.high)]).sort(), segments.sort());
  const headline = await page.textContent('[data-testid="range"]');
  assert.match(headline, /not a probability/);
  assert.match(headline, /GitHub/, 'the figures\u2019 sources are named');
  const swing = range.swing.map((s) => [s.param, s.low, s.high]);
  await settlesTo(page, () => [...document.querySelectorAll('[data-testid^="tornado-"]')]
    .map((e) => [e.dataset.testid.slice('tornado-'.length), Number(e.dataset.low), Number(e.dataset.high)]), swing);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the sweep chart gives the CLI sweep, for the default figure and a chosen one', async () => {
  const { page, problems } = await app.open();
  await choosePreset(page, SCENARIO);
  const points = () => [...document.querySelectorAll('[data-testid="sweep-point"]')]
    .map((e) => [Number(e.dataset.value), Number(e.dataset.lose)]);
  const cli = (param, from, to) => cliJson('sweep', `policies/${SCENARIO}`, '--param', param,
    '--from', String(from), '--to', String(to), '--steps', '20').points.map((p) => [p.value, everyone(p.totals)]);
  // The first figure with bounds, over its bounds.
  await settlesTo(page, points, cli('customer.size', 50000, 1000000));
  await page.selectOption('[data-testid="sweep-param"]', 'employee.foreign_share');
  for (const [testid, value] of [['sweep-from', '0.1'], ['sweep-to', '0.9']]) {
    await page.fill(`[data-testid="${testid}"]`, value);
    await page.dispatchEvent(`[data-testid="${testid}"]`, 'change');
  }
  await settlesTo(page, points, cli('employee.foreign_share', 0.1, 0.9));
  assert.deepEqual(problems, []);
  await page.close();
});

test('the timeline sweep gives the CLI sweep over days', async () => {
  const path = 'friday-letter/revoked.scenario.toml';
  const days = cliJson('sweep', `policies/${path}`, '--param', 'as_of', '--from', '2026-11-01', '--to', '2026-12-31');
  const { page, problems } = await app.open();
  await choosePreset(page, path);
  await page.waitForSelector('[data-testid="days-from"]', { timeout: 60000 });
  for (const [testid, value] of [['days-from', '2026-11-01'], ['days-to', '2026-12-31']]) {
    await page.fill(`[data-testid="${testid}"]`, value);
    await page.dispatchEvent(`[data-testid="${testid}"]`, 'change');
  }
  const expected = days.points.map((p) => [p.from, p.to, everyone(p.totals)]);
  assert.equal(expected.length, 3);
  await settlesTo(page, () => [...document.querySelectorAll('[data-testid="timeline-interval"]')]
    .map((e) => [e.dataset.from, e.dataset.to, Number(e.dataset.lose)]), expected);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the timeline sweep works for a CSV population too, with no range or sweep asked', async () => {
  const path = 'campus/with-baseline.scenario.toml';
  const days = cliJson('sweep', `policies/${path}`, '--param', 'as_of', '--from', '2026-01-01', '--to', '2027-12-31');
  const { page, problems } = await app.open();
  await choosePreset(page, path);
  await page.waitForSelector('[data-testid="days-from"]', { timeout: 60000 });
  for (const [testid, value] of [['days-from', '2026-01-01'], ['days-to', '2027-12-31']]) {
    await page.fill(`[data-testid="${testid}"]`, value);
    await page.dispatchEvent(`[data-testid="${testid}"]`, 'change');
  }
  const expected = days.points.map((p) => [p.from, p.to, everyone(p.totals)]);
  assert.equal(expected.length, 4);
  await settlesTo(page, () => [...document.querySelectorAll('[data-testid="timeline-interval"]')]
    .map((e) => [e.dataset.from, e.dataset.to, Number(e.dataset.lose)]), expected);
  // A CSV's weights have no bounds and no named figures: no range, tornado or sweep.
  assert.equal(await page.locator('[data-testid="sweep"], [data-testid^="tornado-"], [data-testid="range"]').count(), 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the range follows the population controls, as --set gives it', async () => {
  const range = cliJson('simulate', `policies/${SCENARIO}`, '--range', '--set', 'employee.foreign_share=0', '--set', 'customer.size=100000');
  const { page, problems } = await app.open();
  await choosePreset(page, SCENARIO);
  // The preset's own results first: a re-render while they arrive would put the spec's value
  // back into a control between its fill and its change event (seen under load).
  await page.waitForSelector('[data-testid="range"][data-busy="false"]', { timeout: 120000 });
  await page.fill('[data-testid="foreign-share-employee"]', '0');
  await page.dispatchEvent('[data-testid="foreign-share-employee"]', 'change');
  await page.fill('[data-testid="size-customer"]', '100000');
  await page.dispatchEvent('[data-testid="size-customer"]', 'change');
  const expected = Object.entries(range.people).map(([segment, p]) => [segment, p.lose_any.low, p.lose_any.high]).sort();
  await settlesTo(page, () => [...document.querySelectorAll('[data-testid^="range-"]:not([data-testid="range-everyone"])')]
    .map((e) => [e.dataset.testid.slice('range-'.length), Number(e.dataset.low), Number(e.dataset.high)]).sort(), expected);
  assert.deepEqual(problems, []);
  await page.close();
});
