// Keeping and passing on work: links, autosave, undo and redo, named saves and exports.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { start, choosePreset } from './browser.mjs';
import { appTotals, expectedCells, cliTotals } from './cli.mjs';

let app;
before(async () => { app = await start(); });
after(async () => { await app?.close(); });

const CLI = process.env.CUTOFF_BIN ?? 'target/debug/cutoff';

test('a link reproduces the scenario and its numbers in a new page', async () => {
  const { page, problems } = await app.open();
  await choosePreset(page, 'friday-letter/complies-exactly.scenario.toml');
  await page.selectOption('[data-testid="response"]', { label: 'Geofence: block accounts outside the U.S.' });
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="total-employee-leaked"]')?.dataset.value) > 0);
  await page.fill('[data-testid="foreign-share-employee"]', '40');
  await page.dispatchEvent('[data-testid="foreign-share-employee"]', 'change');
  await page.waitForSelector('text=Foreign nationals among them: 40%');
  await page.fill('[data-testid="as-of"]', '2026-12-01');
  await page.dispatchEvent('[data-testid="as-of"]', 'change');
  await page.waitForFunction(() => document.querySelector('.as-of-note')?.textContent.includes('2026-12-01'));
  const text = await page.inputValue('[data-testid="editor"]');
  const totals = await appTotals(page);
  await page.click('[data-testid="make-link"]');
  const link = await page.inputValue('[data-testid="share-link"]');
  assert.match(link, /#s=2\./);
  await page.close();

  const fresh = await app.open(link.slice(app.url.length));
  await fresh.page.waitForFunction(() => document.querySelector('.as-of-note')?.textContent.includes('2026-12-01'));
  // The link holds the resolved scenario: the letter and the population (with the moved
  // slider) written in, so it needs no other file.
  const opened = await fresh.page.inputValue('[data-testid="editor"]');
  assert.match(opened, /\[\[directive\]\]\n(#.*\n)*id = "commerce-2026-fable-mythos"/);
  assert.match(opened, /\[population\]\nspec = '''/);
  assert.ok(opened.includes(text.split('\n')[0]), 'the title line is kept');
  assert.deepEqual(await appTotals(fresh.page), totals);
  assert.match(await fresh.page.textContent('.segment-controls:has(legend:text("employee"))'), /Foreign nationals among them: 40%/);
  assert.equal(await fresh.page.evaluate(() => location.hash), '', 'the fragment is cleared once opened');
  assert.deepEqual([...problems, ...fresh.problems], []);
  assert.deepEqual(fresh.foreign, []);
  await fresh.page.close();
});

test('a damaged or newer link says so and the app still works', async () => {
  for (const [fragment, message] of [['#s=1.AAAA', /damaged or incomplete/], ['#s=9.AAAA', /newer version of Cutoff/], ['#s=nonsense', /damaged or incomplete/]]) {
    const { page, problems } = await app.open(fragment);
    await page.waitForSelector('[data-testid="notice"]');
    assert.match(await page.textContent('[data-testid="notice"]'), message);
    assert.match(await page.textContent('[data-testid="headline"]'), /lose access/);
    assert.deepEqual(problems, []);
    await page.close();
  }
});

test('reload restores the work; undo and redo step through it', async () => {
  const { page, problems } = await app.open();
  await choosePreset(page, 'campus/campus.scenario.toml');
  const campus = await page.inputValue('[data-testid="editor"]');
  await page.selectOption('[data-testid="response"]', { label: 'Offline for everyone' });
  await page.waitForFunction(() => document.querySelector('[data-testid="editor"]').value.includes('Offline for everyone'));
  const offline = await page.inputValue('[data-testid="editor"]');
  await page.reload();
  await page.waitForSelector('[data-testid="headline"]');
  assert.equal(await page.inputValue('[data-testid="editor"]'), offline);

  await page.selectOption('[data-testid="response"]', { label: 'Follows the law exactly' });
  await page.waitForFunction(() => document.querySelector('[data-testid="editor"]').value.includes('title = "Follows the law exactly"'));
  await page.click('[data-testid="undo"]');
  await page.waitForFunction((t) => document.querySelector('[data-testid="editor"]').value === t, offline);
  await page.keyboard.press('Control+Shift+Z');
  await page.waitForFunction(() => document.querySelector('[data-testid="editor"]').value.includes('title = "Follows the law exactly"'));
  // History starts again after a reload: undo goes back to the restored text and stops.
  await page.keyboard.press('Control+Z');
  await page.waitForFunction((t) => document.querySelector('[data-testid="editor"]').value === t, offline);
  assert.equal(await page.isDisabled('[data-testid="undo"]'), true);
  assert.notEqual(offline, campus);
  assert.deepEqual(problems, []);
  await page.close();
});

test('named saves open again', async () => {
  const { page } = await app.open();
  await choosePreset(page, 'history/ai-diffusion-tiers.scenario.toml');
  const text = await page.inputValue('[data-testid="editor"]');
  await page.click('.saves summary');
  await page.fill('[data-testid="save-name"]', 'tiers');
  await page.click('[data-testid="save"]');
  await page.waitForSelector('[data-testid="saved-list"] li');
  await choosePreset(page, 'campus/campus.scenario.toml');
  await page.click('[data-testid="saved-list"] li >> text=Open');
  await page.waitForFunction((t) => document.querySelector('[data-testid="editor"]').value === t, text);
  await page.close();
});

test('exports hold the scenario, the decisions and the totals the CLI gives', async () => {
  const { page } = await app.open();
  await choosePreset(page, 'campus/campus.scenario.toml');
  const download = async (id) => {
    const [file] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid="${id}"]`)]);
    return { name: file.suggestedFilename(), text: readFileSync(await file.path(), 'utf8') };
  };
  const toml = await download('export-toml');
  assert.equal(toml.name, 'campus.scenario.toml');
  // Self-contained: it simulates alone, in an empty folder, to the same totals.
  const alone = join(mkdtempSync(join(tmpdir(), 'cutoff-alone-')), 'campus.scenario.toml');
  writeFileSync(alone, toml.text);
  assert.deepEqual(cliTotals(alone), cliTotals('policies/campus/campus.scenario.toml'));
  assert.match(toml.text, /\[population\]\ncsv = '''/);
  const csv = await download('export-csv');
  assert.equal(csv.name, 'campus-decisions.csv');
  const out = join(mkdtempSync(join(tmpdir(), 'cutoff-export-')), 'd.csv');
  execFileSync(CLI, ['simulate', 'policies/campus/campus.scenario.toml', '--decisions', out], { stdio: 'ignore' });
  const sorted = (t) => t.trim().split('\n').sort().join('\n');
  assert.equal(sorted(csv.text), sorted(readFileSync(out, 'utf8')));
  const json = await download('export-json');
  assert.deepEqual(JSON.parse(json.text), cliTotals('policies/campus/campus.scenario.toml'));
  await page.close();
});

test('when storage fails, the app says so and keeps working in memory', async () => {
  const init = () => {
    Storage.prototype.setItem = () => { throw new DOMException('quota exceeded', 'QuotaExceededError'); };
  };
  const { page, problems } = await app.open('', { init });
  await page.selectOption('[data-testid="response"]', { label: 'Follows the law exactly' });
  await page.waitForSelector('[data-testid="notice"]');
  assert.match(await page.textContent('[data-testid="notice"]'), /could not be saved in this browser.*Export it to keep it/);
  assert.equal(await page.getAttribute('[data-testid="total-customer-collateral"]', 'data-value'), '0');
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-toml"]')]);
  assert.match(readFileSync(await file.path(), 'utf8'), /title = "Follows the law exactly"/);
  assert.match(readFileSync(await file.path(), 'utf8'), /\[population\]\nspec = '''/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('charts save as SVG and PNG, and the print report hides the controls', async () => {
  const { page, problems } = await app.open();
  const download = async (id) => {
    const [file] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid="${id}"]`)]);
    return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
  };
  const svg = await download('export-svg-units');
  assert.equal(svg.name, 'units.svg');
  const text = svg.bytes.toString('utf8');
  assert.match(text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(text, /<style>\.mark\.denied\{fill:#d55e00\}/);
  assert.match(text, /class="mark denied"/);
  const map = await download('export-svg-map');
  assert.match(map.bytes.toString('utf8'), /data-country="DE"/);
  const png = await download('export-png-units');
  assert.equal(png.name, 'units.png');
  assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.ok(png.bytes.length > 2000, 'the PNG has content');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.$eval('.controls', (e) => getComputedStyle(e).display), 'none');
  assert.notEqual(await page.$eval('.results', (e) => getComputedStyle(e).display), 'none');
  assert.deepEqual(problems, []);
  await page.close();
});
