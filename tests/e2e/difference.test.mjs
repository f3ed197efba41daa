// The exact difference in the app: pin one Friday-letter scenario as A, open another as B,
// and the regions and absent combinations are those of `cutoff diff A B`; a region limits
// the people explorer to the records it is about; a combination no record has opens in the
// "why" panel, decided as the list says.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { start, choosePreset, ARTIFACTS } from './browser.mjs';
import { cliDiff } from './cli.mjs';

let app;
before(async () => { app = await start(); });
after(async () => { await app?.close(); });

const A = 'friday-letter/complies-exactly.scenario.toml';
const B = 'friday-letter/offline-for-everyone.scenario.toml';

/** Records, in the page, every question the page posts to a worker that asks for an exact
 * difference: the page leaves that work to a worker. */
function watchDifferenceQuestions() {
  window.cutoffDifferenceQuestions = 0;
  const asks = (value, depth = 0) => {
    if (depth > 8 || value === null || typeof value !== 'object') return false;
    const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
    return entries.some(([key, inner]) => key === 'Difference' || asks(inner, depth + 1));
  };
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message, ...rest) {
    if (asks(message)) window.cutoffDifferenceQuestions += 1;
    return post.call(this, message, ...rest);
  };
}

/** The regions and absent combinations the page shows, in the CLI's JSON shape. */
async function shownDifference(page) {
  const regions = await page.$$eval('[data-testid="diff-region"]', (rows) => rows.map((r) => ({
    when: r.dataset.when, a: r.dataset.a, b: r.dataset.b, pairs: Number(r.dataset.pairs), weight: Number(r.dataset.weight),
  })));
  const absent = await page.$$eval('[data-testid="diff-absent"]', (rows) => rows.map((r) => [r.dataset.a, r.dataset.b, r.dataset.example]));
  return { regions, absent };
}

test('the exact difference of two scenarios is the CLI\'s, and a region filters the explorer', async () => {
  const { page, problems, foreign } = await app.open('', { init: watchDifferenceQuestions });
  await choosePreset(page, A);
  await page.click('[data-testid="pin"]');
  await choosePreset(page, B);
  assert.equal(await page.evaluate(() => window.cutoffDifferenceQuestions), 0, 'asked before the reader did');
  await page.click('[data-testid="diff-work-out"]');
  await page.waitForSelector('[data-testid="diff-region"]');
  // Worked out by a worker, off the page's thread: one question, one answer.
  assert.equal(await page.evaluate(() => window.cutoffDifferenceQuestions), 1);
  const shown = await shownDifference(page);
  const cli = cliDiff(`policies/${A}`, `policies/${B}`);
  assert.deepEqual(shown.regions, cli.regions);
  const parsed = (text) => Object.fromEntries(text.split(', ').map((kv) => kv.split(' = ')));
  assert.deepEqual(shown.absent.map(([x, y, e]) => [x, y, parsed(e)]), cli.absent.map((x) => [x.a, x.b, x.example]));
  assert.ok(shown.regions.length > 0);
  await page.locator('[data-testid="difference"]').screenshot({ path: `${ARTIFACTS}/difference.png` });

  // The heaviest region's button limits the explorer to its people.
  const before = await page.textContent('.explorer-count');
  await page.locator('[data-testid="diff-show"]').first().click();
  await page.waitForSelector('[data-testid="explorer-region"]');
  assert.equal(await page.locator('[data-testid="explorer-region"] code').textContent(), cli.regions[0].when);
  const records = Number(await page.getAttribute('[data-testid="explorer-region"]', 'data-records'));
  assert.ok(records > 0 && records <= cli.regions[0].pairs, `${records} records for ${cli.regions[0].pairs} pairs`);
  assert.match(await page.textContent('.explorer-count'), new RegExp(`^${records} rows`));
  await page.click('[data-testid="explorer-region-clear"]');
  await page.waitForFunction((t) => document.querySelector('.explorer-count').textContent === t, before);

  // An edit makes the worked-out difference go, until it is worked out again.
  await choosePreset(page, A);
  assert.equal(await page.locator('[data-testid="diff-region"]').count(), 0);
  await page.click('[data-testid="diff-work-out"]');
  await page.waitForSelector('[data-testid="diff-none"]');
  assert.deepEqual(problems, []);
  assert.deepEqual(foreign, []);
  await page.close();
});

test('a combination no record has is listed as the CLI lists it, and "why" explains its example', async () => {
  const dir = 'tests/cases/diff-absent-only';
  const a = readFileSync(`${dir}/a.scenario.toml`, 'utf8');
  // B: the same letter and population, read as the deemed-export test.
  const b = a.replace('when = "not us_person"', 'when = "foreign_person"');
  const files = mkdtempSync(join(tmpdir(), 'cutoff-absent-'));
  writeFileSync(join(files, 'a.scenario.toml'), a);
  writeFileSync(join(files, 'b.scenario.toml'), b);
  const cli = cliDiff(join(files, 'a.scenario.toml'), join(files, 'b.scenario.toml'));
  assert.deepEqual(cli.regions, []);
  assert.ok(cli.absent.length > 0);

  const { page, problems } = await app.open();
  await page.fill('[data-testid="editor"]', a);
  await page.waitForFunction(() => document.querySelector('.results h2')?.textContent === 'Letter read as 15 CFR 772.1');
  await page.click('[data-testid="pin"]');
  await page.fill('[data-testid="editor"]', b);
  await page.waitForFunction(() => document.querySelector('[data-testid="editor"]').value.includes('"foreign_person"')
    && !document.querySelector('.results-body.stale'));
  await page.click('[data-testid="diff-work-out"]');
  await page.waitForSelector('[data-testid="diff-absent"]');
  const shown = await shownDifference(page);
  // The page writes an example as `key = value, …`; the CLI's JSON as an object.
  const parsed = (text) => Object.fromEntries(text.split(', ').map((kv) => kv.split(' = ')));
  assert.deepEqual(shown.regions, []);
  assert.deepEqual(shown.absent.map(([x, y, e]) => [x, y, parsed(e)]), cli.absent.map((x) => [x.a, x.b, x.example]));

  // The first example, opened in the "why" panel, is decided as the list says under B.
  await page.locator('[data-testid="diff-absent-why"]').first().click();
  await page.waitForSelector('[data-testid="why"]');
  assert.match(await page.textContent('[data-testid="why"] h4'), /an example no record has/);
  const outcome = await page.getAttribute('[data-testid="why-outcome"]', 'class');
  assert.ok(outcome.split(' ').includes(cli.absent[0].b), `${outcome} vs ${cli.absent[0].b}`);
  assert.deepEqual(problems, []);
  await page.close();
});
