// A million-record population in the app: opened as a file that goes to the web worker
// unread by the page, simulated there with the CLI's numbers, progress shown while it
// runs, no main-thread task over 50 ms from choosing the file to its totals nor while it
// re-simulates after an edit, and a newer edit superseding a running one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { start, opened, choosePreset, ARTIFACTS } from './browser.mjs';
import { appTotals, expectedCells, cliTotals } from './cli.mjs';

const CLI = process.env.CUTOFF_BIN ?? 'target/debug/cutoff';
const RECORDS = 1_000_000;

let app;
let dir;
before(async () => {
  app = await start();
  // The scenario and the population side by side, as the CLI reads them.
  dir = mkdtempSync(join(tmpdir(), 'cutoff-worker-'));
  cpSync('policies', dir, { recursive: true });
  execFileSync('sh', ['-c', `"${CLI}" generate --records ${RECORDS} --seed 7 > "${join(dir, 'friday-letter', 'million.csv')}"`]);
  execFileSync('sh', ['-c', `"${CLI}" generate --records 60000 --seed 9 > "${join(dir, 'friday-letter', 'sixty.csv')}"`]);
});
after(async () => { await app?.close(); });

/** The CLI's totals for the editor's text, saved beside the generated file. */
async function expectedFor(page) {
  const text = await page.inputValue('[data-testid="editor"]');
  const file = join(dir, 'friday-letter', 'edited.scenario.toml');
  writeFileSync(file, text);
  return expectedCells(cliTotals(file));
}

/** Waits until the worker's run for the current text is done. */
async function settled(page) {
  await page.waitForFunction(() => !document.querySelector('[data-testid="progress"]')
    && document.querySelector('[data-testid="sample-note"]')
    && !document.querySelector('.results-body.stale'), null, { timeout: 120_000 });
}

test('a million-record file is simulated in the worker, without freezing the page', async () => {
  const { page, problems, foreign } = await app.open('', {
    init: () => {
      window.cutoffLongTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.cutoffLongTasks.push({ start: entry.startTime, duration: entry.duration });
      }).observe({ type: 'longtask', buffered: true });
    },
  });
  // The file is chosen on a page that has finished opening: the page's own opening (the
  // parts below the first screen, the analyst views' answers) is not the file's.
  await opened(page);
  await choosePreset(page, 'friday-letter/geofence.scenario.toml');
  await opened(page);

  const chosen = await page.evaluate(() => performance.now());
  await page.setInputFiles('[data-testid="import"]', join(dir, 'friday-letter', 'million.csv'));
  // The first run reads the whole file in the worker: long enough to show its progress.
  await page.waitForSelector('[data-testid="progress"]', { state: 'visible', timeout: 60_000 });
  await settled(page);
  assert.match(await page.inputValue('[data-testid="editor"]'), /^population = 'million\.csv'$/m);
  assert.match(await page.textContent('[data-testid="sample-note"]'), /all 1,000,000 records/);
  assert.deepEqual(await appTotals(page), await expectedFor(page));
  await page.screenshot({ path: `${ARTIFACTS}/worker-million.png`, fullPage: false });
  // The page read only the file's first rows; the worker read the rest. No task on the
  // page's thread may take over 50 ms from the choice to the totals: the page decodes only
  // the first rows, works out their results a task after reading them, and draws the
  // charts with hundreds of shapes a task after the numbers (it took 333 ms when the page
  // read the whole file, and 71 ms when it drew everything at once).
  const opening = await page.evaluate((t) => window.cutoffLongTasks.filter((e) => e.start >= t), chosen);
  assert.deepEqual(opening.filter((e) => e.duration > 50), [], `main-thread tasks over 50 ms while opening: ${JSON.stringify(opening)}`);
  // The exports name the file rather than hold a million rows.
  assert.match(await page.textContent('[data-testid="large-file-note"]'), /name `million\.csv` but do not hold it/);

  // An edit re-simulates all million records; no task on the page's thread may take over
  // 50 ms meanwhile.
  const before = await appTotals(page);
  const since = await page.evaluate(() => performance.now());
  await page.selectOption('[data-testid="response"]', { label: 'Offline for everyone' });
  // The text changes in the same step that starts the worker's run.
  await page.waitForFunction(() => document.querySelector('[data-testid="editor"]').value.includes('title = "Offline for everyone"'));
  await settled(page);
  const after = await appTotals(page);
  assert.notDeepEqual(after, before);
  assert.deepEqual(after, await expectedFor(page));
  const long = await page.evaluate((t) => window.cutoffLongTasks.filter((e) => e.start >= t), since);
  assert.deepEqual(long.filter((e) => e.duration > 50), [], `main-thread tasks over 50 ms: ${JSON.stringify(long)}`);

  // Two edits in a row: the second supersedes the first, and only its numbers show.
  await page.evaluate(() => {
    const select = document.querySelector('[data-testid="response"]');
    const labels = [...select.options].map((o) => o.textContent);
    for (const label of ['Follows the law exactly', 'Geofence: block accounts outside the U.S.']) {
      const index = labels.findIndex((l) => l.startsWith(label));
      select.value = select.options[index].value;
      select.dispatchEvent(new Event('change', { bubbles: true }));
    }
  });
  await page.waitForFunction(() => document.querySelector('[data-testid="editor"]').value.includes('title = "Geofence: block accounts outside the U.S."'));
  await settled(page);
  assert.deepEqual(await appTotals(page), await expectedFor(page));
  assert.deepEqual(problems, []);
  assert.deepEqual(foreign, []);
  await page.close();
});

test('a worker that stops answering is reported, and starting it again gives the numbers', async () => {
  const { page, problems, foreign } = await app.open('');
  await page.selectOption('[data-testid="preset"]', await page.$eval('[data-testid="preset"] option[data-path="friday-letter/geofence.scenario.toml"]', (o) => o.value));
  await page.waitForFunction(() => document.querySelector('[data-testid="editor"]').value.includes('geofence'));
  await page.setInputFiles('[data-testid="import"]', join(dir, 'friday-letter', 'sixty.csv'));
  await settled(page);
  assert.match(await page.textContent('[data-testid="sample-note"]'), /all 60,000 records/);
  // The worker stops (as if it had crashed); the next edit's run gets no answer.
  assert.ok(page.workers().length > 0, 'a worker runs');
  for (const worker of page.workers()) await worker.evaluate(() => self.close()).catch(() => {});
  await page.selectOption('[data-testid="response"]', { label: 'Offline for everyone' });
  await page.waitForSelector('[data-testid="worker-stalled"]', { timeout: 60_000 });
  assert.match(await page.textContent('[data-testid="worker-stalled"]'), /has not answered for 15 seconds/);
  await page.click('[data-testid="worker-retry"]');
  await settled(page);
  assert.equal(await page.$('[data-testid="worker-stalled"]'), null);
  assert.deepEqual(await appTotals(page), await expectedFor(page));
  assert.deepEqual(problems, []);
  assert.deepEqual(foreign, []);
  await page.close();
});
