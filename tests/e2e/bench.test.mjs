// The in-browser benchmark page: `benchmark` generates the population in wasm and its totals
// equal the CLI's for the same generated file and the benchmark scenario.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { start } from './browser.mjs';
import { cliTotals } from './cli.mjs';

const CLI = process.env.CUTOFF_BIN ?? 'target/debug/cutoff';

let app;
before(async () => { app = await start(); });
after(async () => { await app?.close(); });

test('the benchmark page times real simulations with the CLI numbers', async () => {
  const { page, problems, foreign } = await app.open('bench.html');
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  const run = await page.evaluate(() => window.cutoffBenchmark(20000, 3));
  assert.equal(run.records, 20000);
  assert.equal(run.repeats, 3);
  assert.ok(run.median_ms > 0 && run.decisions_per_second > 0);

  const dir = mkdtempSync(join(tmpdir(), 'cutoff-bench-'));
  copyFileSync('crates/engine/benches/scenario.toml', join(dir, 'scenario.toml'));
  execFileSync('sh', ['-c', `"${CLI}" generate --records 20000 --seed 42 > "${join(dir, 'people.csv')}"`]);
  assert.deepEqual(run.totals, cliTotals(join(dir, 'scenario.toml')));

  await page.fill('#records', '5000');
  await page.click('#run');
  await page.waitForFunction(() => document.querySelector('[data-testid="bench-output"]').dataset.result);
  assert.match(await page.textContent('[data-testid="bench-output"]'), /records5,000/);
  assert.deepEqual(problems, []);
  assert.deepEqual(foreign, []);
  await page.close();
});
