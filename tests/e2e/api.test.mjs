// The JavaScript API example page: `simulate` gives the CLI's totals, and diagnostics with
// line and column for a broken scenario. The API is a module of its own: the app's module
// does not carry it, and the app never fetches it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { start } from './browser.mjs';
import { cliTotals } from './cli.mjs';

let app;
before(async () => { app = await start(); });
after(async () => { await app?.close(); });

test('the API example page simulates with the same numbers as the CLI', async () => {
  const { page, problems, foreign } = await app.open('api-example.html').catch(async () => {
    throw new Error('the example page did not load');
  });
  await page.waitForFunction(() => document.querySelector('[data-testid="api-output"]')?.dataset.ok === 'true');
  const modules = await page.evaluate(() => performance.getEntriesByType('resource')
    .map((e) => new URL(e.name).pathname.split('/').pop()).filter((name) => name.startsWith('cutoff')));
  assert.deepEqual(modules.sort(), ['cutoff-api.js', 'cutoff-api_bg.wasm'], 'the API page fetches the API module only');
  const text = await page.inputValue('[data-testid="api-scenario"]');
  const file = join(mkdtempSync(join(tmpdir(), 'cutoff-api-')), 'scenario.toml');
  writeFileSync(file, text);
  assert.deepEqual(JSON.parse(await page.textContent('[data-testid="api-output"]')), cliTotals(file));
  assert.equal(await page.locator('[data-testid="preset"]').count(), 0, 'the API page does not start the app');

  await page.fill('[data-testid="api-scenario"]', text.replace('"not us_person"', '"not us_persn"'));
  await page.click('[data-testid="api-run"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="api-output"]')?.dataset.ok === 'false');
  assert.match(await page.textContent('[data-testid="api-output"]'), /^scenario\.toml:13:13: error: unknown attribute `us_persn`/);
  assert.deepEqual(problems, []);
  assert.deepEqual(foreign, []);
  await page.close();
});

test('the app\'s module does not carry the API, and the app does not fetch it', async () => {
  const { page, problems } = await app.open();
  await page.waitForSelector('[data-testid="headline"]');
  const exported = await page.evaluate(async () => Object.keys(await import('./cutoff-web.js')));
  assert.ok(exported.includes('default'), `the app's module loads: ${exported}`);
  assert.deepEqual(exported.filter((name) => ['simulate', 'benchmark'].includes(name)), []);
  const fetched = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  assert.deepEqual(fetched.filter((url) => url.includes('cutoff-api')), []);
  assert.deepEqual(problems, []);
  await page.close();
});
