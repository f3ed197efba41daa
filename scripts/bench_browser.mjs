// The in-browser benchmark, on the release build in headless Chromium:
//  - simulate + aggregate of a generated population (bench.html → `benchmark`), median of K;
//  - first load to first results for the default scenario (median of 5 loads);
//  - edit to paint for the default population: from a change of the provider's response
//    to the frame that shows the new numbers (median of 9);
//  - the app's wasm, raw and gzipped.
// usage: DIST=target/e2e-dist node scripts/bench_browser.mjs [records] [repeats]
// Prints `key=value` lines and writes target/bench/browser.json.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { start } from '../tests/e2e/browser.mjs';

const records = Number(process.argv[2] ?? 1_000_000);
const repeats = Number(process.argv[3] ?? 9);
const dist = process.env.DIST ?? 'dist';
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const app = await start();
const results = {};

// Simulate + aggregate in wasm.
{
  const { page } = await app.open('bench.html');
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  const run = await page.evaluate(([n, k]) => window.cutoffBenchmark(n, k), [records, repeats]);
  Object.assign(results, {
    records: run.records,
    pairs: run.pairs,
    simulate_median_ms: run.median_ms,
    simulate_min_ms: run.min_ms,
    browser_decisions_per_second: Math.round(run.decisions_per_second),
    generate_ms: run.generate_ms,
    load_and_compile_ms: run.load_ms,
  });
  await page.close();
}

// First results and edit to paint.
{
  const firsts = [];
  const edits = [];
  for (let i = 0; i < 5; i++) {
    const { page } = await app.open();
    await page.waitForSelector('[data-testid="headline"]');
    firsts.push(await page.evaluate(() => performance.now()));
    if (i === 0) {
      const labels = await page.$$eval('[data-testid="response"] option', (os) => os.map((o) => o.value));
      for (let j = 0; j < 9; j++) {
        const value = labels[(j + 1) % labels.length];
        edits.push(await page.evaluate((next) => new Promise((done) => {
          const cell = () => [...document.querySelectorAll('[data-testid^="total-"]')]
            .map((e) => e.dataset.value).join('|');
          const before = cell();
          const select = document.querySelector('[data-testid="response"]');
          const t0 = performance.now();
          const observer = new MutationObserver(() => {
            if (cell() === before) return;
            observer.disconnect();
            // The frame that paints the change.
            requestAnimationFrame(() => done(performance.now() - t0));
          });
          observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
          select.value = next;
          select.dispatchEvent(new Event('change', { bubbles: true }));
          // A change that moves no number still ends the measurement.
          setTimeout(() => { observer.disconnect(); done(NaN); }, 5000);
        }), value));
      }
    }
    await page.close();
  }
  results.first_results_ms = median(firsts);
  const painted = edits.filter((x) => Number.isFinite(x));
  results.edit_to_paint_ms = median(painted);
  results.edit_to_paint_samples = painted.length;
}
await app.close();

const wasm = readFileSync(join(dist, 'cutoff-web_bg.wasm'));
results.wasm_bytes = wasm.length;
results.wasm_gzip_bytes = gzipSync(wasm, { level: 9 }).length;

mkdirSync('target/bench', { recursive: true });
writeFileSync('target/bench/browser.json', JSON.stringify(results, null, 2) + '\n');
for (const [key, value] of Object.entries(results)) {
  console.log(`${key}=${typeof value === 'number' && !Number.isInteger(value) ? value.toFixed(2) : value}`);
}
