// The story editor: a three-step story built from what is on screen, published, opened
// from its link in a fresh browser and as a standalone page from disk (verified, numbers
// equal to `cutoff story`), embedded in another page (the frame sizes itself), exported,
// altered and imported (changed, old and new shown); arrow keys in the player; the long
// link warning.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { start, choosePreset, ARTIFACTS } from './browser.mjs';
import { cliStory } from './cli.mjs';

let app;
before(async () => { app = await start(); });
after(async () => { await app?.close(); });

const COMPLIES = 'friday-letter/complies-exactly.scenario.toml';
const READING = 'friday-letter/reading-772.scenario.toml';

const titles = (page) => page.$$eval('[data-testid="step-title"]', (els) => els.map((e) => e.value));

/** Adds a step from the screen (or starts the story), titles it and writes its text, with
 * `key` inserted from the number picker where the text ends. */
async function addStep(page, { button, chart, title, text, key }) {
  const before = (await titles(page)).length;
  await page.selectOption('[data-testid="story-chart"]', chart);
  await page.click(`[data-testid="${button}"]`);
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="step-title"]').length === n, before + 1);
  const step = page.locator('[data-testid="story-edit-step"]').nth(before);
  await step.locator('[data-testid="step-title"]').fill(title);
  const area = step.locator('[data-testid="step-text"]');
  await area.fill(text);
  await area.evaluate((el) => el.setSelectionRange(el.value.length, el.value.length));
  await step.locator('[data-testid="step-key"]').selectOption(key);
  await page.waitForFunction(([i, t]) => document.querySelectorAll('[data-testid="step-text"]')[i]?.value === t, [before, `${text}{${key}}`]);
}

/** The step shown in the player, and every bound number on it as [key, value, shown]. */
async function shownStep(page) {
  const step = await page.textContent('[data-testid="story-step"]');
  const numbers = await page.$$eval('[data-testid="story-number"]', (spans) =>
    spans.map((s) => [s.dataset.key, Number(s.dataset.value), s.textContent.trim()]));
  return { step, numbers };
}

test('a story built in the editor is published, read from its link, exported and checked', async () => {
  const { page, problems, foreign } = await app.open();
  await choosePreset(page, COMPLIES);
  await page.fill('[data-testid="story-new-title"]', 'Three steps');
  await addStep(page, { button: 'story-new', chart: 'units', title: 'Deemed exports', text: 'Customers cut off: ', key: 'people.customer.lose_any' });
  await choosePreset(page, READING);
  await addStep(page, { button: 'story-add', chart: 'matrix', title: '772.1', text: 'Staff cut off under 772.1: ', key: 'people.employee.lose_any' });
  await choosePreset(page, COMPLIES);
  await addStep(page, { button: 'story-add', chart: 'map', title: 'Staff', text: 'Staff cut off under the deemed-export test: ', key: 'people.employee.lose_any' });
  assert.deepEqual(await titles(page), ['Deemed exports', '772.1', 'Staff']);

  // Duplicate, delete, move, undo and redo.
  await page.locator('[data-testid="step-duplicate"]').nth(0).click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="step-title"]').length === 4);
  assert.deepEqual(await titles(page), ['Deemed exports', 'Deemed exports', '772.1', 'Staff']);
  await page.locator('[data-testid="step-delete"]').nth(1).click();
  await page.locator('[data-testid="step-up"]').nth(2).click();
  assert.deepEqual(await titles(page), ['Deemed exports', 'Staff', '772.1']);
  await page.click('[data-testid="story-undo"]');
  assert.deepEqual(await titles(page), ['Deemed exports', '772.1', 'Staff']);
  await page.click('[data-testid="story-redo"]');
  await page.click('[data-testid="story-undo"]');
  assert.deepEqual(await titles(page), ['Deemed exports', '772.1', 'Staff']);

  // Publish; the link carries the whole story, short enough for chat tools.
  assert.equal(await page.getAttribute('[data-testid="story-published"]', 'data-state'), 'unpublished');
  await page.click('[data-testid="story-publish"]');
  await page.waitForSelector('[data-testid="story-published"][data-state="published"]');
  const link = await page.inputValue('[data-testid="story-link-url"]');
  assert.match(link, /\?story=shared#story=1\./);
  assert.ok(link.length < 2000, `${link.length}`);
  assert.equal(await page.locator('[data-testid="story-link-warning"]').count(), 0);
  await page.locator('[data-testid="story-editor"]').screenshot({ path: `${ARTIFACTS}/story-editor.png` });
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="story-export"]')]);
  assert.equal(file.suggestedFilename(), 'three-steps.story.toml');
  const exported = readFileSync(await file.path(), 'utf8');
  // Steps 1 and 3 show one scenario, listed once.
  assert.equal(exported.match(/^\[\[scenarios\]\]$/gm).length, 2);
  const cli = cliStory('three-steps.story.toml', exported);
  assert.equal(cli.code, 0);
  assert.equal(cli.check, 'verified');

  // A fresh browser opens the link: verified, and every number is the CLI's.
  const reader = await app.open(link.slice(app.url.length));
  await reader.page.waitForSelector('[data-testid="story-check"]');
  assert.equal(await reader.page.getAttribute('[data-testid="story-check"]', 'data-state'), 'verified');
  const seen = {};
  for (let step = 1; step <= 3; step += 1) {
    if (step > 1) {
      await reader.page.keyboard.press('ArrowRight');
      await reader.page.waitForFunction((s) => document.querySelector('[data-testid="story-step"]')?.textContent === `Step ${s} of 3`, step);
    }
    for (const [key, value, shown] of (await shownStep(reader.page)).numbers) {
      seen[`${step}:${key}`] = shown;
      assert.ok(Number.isFinite(value), key);
    }
  }
  assert.deepEqual(seen, cli.numbers);
  assert.equal(Object.keys(seen).length, 3);
  await reader.page.keyboard.press('ArrowLeft');
  await reader.page.waitForFunction(() => document.querySelector('[data-testid="story-step"]')?.textContent === 'Step 2 of 3');
  assert.match(await reader.page.evaluate(() => location.href), /step=2#story=1\./);
  await reader.page.screenshot({ path: `${ARTIFACTS}/story-editor-reader.png`, fullPage: true });

  // The standalone page: one file that opens from disk, with no request off it, verified,
  // with the CLI's numbers.
  const [html] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="story-standalone"]')]);
  assert.equal(html.suggestedFilename(), 'three-steps.html');
  const offline = join(mkdtempSync(join(tmpdir(), 'cutoff-standalone-')), 'three-steps.html');
  writeFileSync(offline, readFileSync(await html.path()));
  const disk = await app.blank();
  const requests = [];
  const diskProblems = [];
  disk.on('request', (r) => requests.push(r.url()));
  disk.on('pageerror', (e) => diskProblems.push(e.message));
  disk.on('console', (m) => { if (m.type() === 'error') diskProblems.push(m.text()); });
  await disk.goto(`file://${offline}`);
  await disk.waitForSelector('[data-testid="story-check"]', { timeout: 60_000 });
  assert.equal(await disk.getAttribute('[data-testid="story-check"]', 'data-state'), 'verified');
  const offlineSeen = {};
  for (let step = 1; step <= 3; step += 1) {
    if (step > 1) {
      await disk.keyboard.press('ArrowRight');
      await disk.waitForFunction((s) => document.querySelector('[data-testid="story-step"]')?.textContent === `Step ${s} of 3`, step);
    }
    for (const [key, , shown] of (await shownStep(disk)).numbers) offlineSeen[`${step}:${key}`] = shown;
  }
  assert.deepEqual(offlineSeen, cli.numbers);
  assert.deepEqual(requests.filter((url) => !/^(file|data|blob):/.test(url)), []);
  assert.deepEqual(diskProblems, []);
  await disk.close();

  // The story's embed code: a frame that sizes itself to the story in another page.
  const code = await page.inputValue('[data-testid="story-embed-code"]');
  assert.match(code, /^<iframe data-cutoff src="[^"]*\?story=shared#story=1\./);
  const host = await app.blank();
  await host.setContent(`<!doctype html><title>Host</title><body>${code}</body>`);
  await host.waitForFunction(() => /^\d+px$/.test(document.querySelector('iframe[data-cutoff]').style.height));
  const framed = await (await host.locator('iframe[data-cutoff]').elementHandle()).contentFrame();
  const height = await framed.evaluate(() => document.body.scrollHeight);
  await host.waitForFunction((h) => document.querySelector('iframe[data-cutoff]').style.height === `${h}px`, height);
  await host.close();

  // The exported file with one published number altered opens as changed, old beside new.
  const key = '1:people.customer.lose_any';
  const line = exported.match(new RegExp(`^"${key}" = (.+)$`, 'm'));
  const now = Number(line[1]);
  const altered = exported.replace(line[0], `"${key}" = ${now + 1}.0`);
  const path = join(mkdtempSync(join(tmpdir(), 'cutoff-story-')), 'altered.story.toml');
  writeFileSync(path, altered);
  await page.setInputFiles('[data-testid="import"]', path);
  await page.waitForSelector('[data-testid="story-check"][data-state="changed"]');
  const row = page.locator(`[data-testid="story-moved"] tr[data-key="${key}"]`);
  assert.equal(Number(await row.locator('[data-testid="moved-published"]').getAttribute('data-value')), now + 1);
  assert.equal(Number(await row.locator('[data-testid="moved-now"]').getAttribute('data-value')), now);
  assert.equal(await page.locator('[data-testid="story-moved"] tbody tr').count(), 1);
  assert.deepEqual([...problems, ...reader.problems], []);
  assert.deepEqual([...foreign, ...reader.foreign], []);
  await page.close();
  await reader.page.close();
});

test('the draft survives a reload, and a link too long for chat tools says so', async () => {
  const { page, problems } = await app.open();
  await choosePreset(page, COMPLIES);
  // An edited scenario goes into the story whole; a long incompressible comment makes the
  // link longer than chat tools accept.
  let seed = 7;
  const noise = Array.from({ length: 2400 }, () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return 'abcdefghijklmnopqrstuvwxyz'[seed % 26];
  }).join('');
  const text = await page.inputValue('[data-testid="editor"]');
  await page.fill('[data-testid="editor"]', `# ${noise}\n${text}`);
  await page.waitForFunction(() => !document.querySelector('[data-testid="story-new"]')?.disabled);
  await page.click('[data-testid="story-new"]');
  await page.waitForSelector('[data-testid="story-link-url"]');
  const link = await page.inputValue('[data-testid="story-link-url"]');
  assert.ok(link.length > 2000, `${link.length}`);
  assert.match(await page.textContent('[data-testid="story-link-warning"]'), /Send the \.story\.toml file instead/);
  await page.reload();
  await page.waitForSelector('[data-testid="story-edit-step"]');
  assert.deepEqual(await titles(page), ['Step 1']);
  await page.click('[data-testid="story-discard"]');
  await page.waitForSelector('[data-testid="story-new"]');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a step keeps the segment and outcome highlighted on screen, and the player marks them', async () => {
  const { page, problems, foreign } = await app.open();
  await choosePreset(page, COMPLIES);
  const pressed = (id) => page.getAttribute(`[data-testid="${id}"]`, 'aria-pressed');
  const marked = (p) => p.$$eval('[data-highlighted="true"]', (els) => els.map((e) => e.dataset.testid).filter(Boolean).sort());
  assert.deepEqual(await marked(page), []);
  // A segment by click, an outcome from the keyboard.
  await page.click('[data-testid="highlight-segment-researcher"]');
  await page.waitForSelector('[data-testid="units-segment-researcher"][data-highlighted="true"]');
  assert.equal(await pressed('highlight-segment-researcher'), 'true');
  assert.equal(await pressed('highlight-segment-employee'), 'false');
  await page.focus('[data-testid="highlight-outcome-collateral"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid="matrix-allowed-blocked"][data-highlighted="true"]');
  assert.equal(await pressed('highlight-outcome-collateral'), 'true');
  assert.deepEqual(await marked(page), ['legend-collateral', 'matrix-allowed-blocked', 'total-researcher-collateral', 'units-segment-researcher']);
  assert.match(await page.textContent('[data-testid="highlight-state"]'), /the researcher segment and blocked though lawful/);
  // Pressing a marked segment again unmarks it; marking it again restores it.
  await page.click('[data-testid="highlight-segment-researcher"]');
  await page.waitForFunction(() => !document.querySelector('[data-testid="units-segment-researcher"][data-highlighted]'));
  await page.click('[data-testid="highlight-segment-researcher"]');

  // The step taken from this screen keeps both, in the editor and in the file.
  assert.match(await page.textContent('[data-testid="story-screen-highlight"]'), /the segment `researcher` and the outcome `collateral`/);
  await page.fill('[data-testid="story-new-title"]', 'Marked');
  await page.selectOption('[data-testid="story-chart"]', 'units');
  await page.click('[data-testid="story-new"]');
  await page.waitForSelector('[data-testid="step-highlight"]');
  assert.equal(await page.getAttribute('[data-testid="step-highlight"]', 'data-segment'), 'researcher');
  assert.equal(await page.getAttribute('[data-testid="step-highlight"]', 'data-outcome'), 'collateral');
  const step = page.locator('[data-testid="story-edit-step"]').nth(0);
  await step.locator('[data-testid="step-text"]').fill('Researchers blocked though lawful: {by_segment.researcher.collateral}.');
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="story-export"]')]);
  const exported = readFileSync(await file.path(), 'utf8');
  assert.match(exported, /^chart = "units"\nsegment = "researcher"\noutcome = "collateral"\n/m);
  const cli = cliStory('marked.story.toml', exported);
  assert.equal(cli.code, 0);

  // Clearing unmarks every chart; a step added now highlights nothing.
  await page.click('[data-testid="highlight-clear"]');
  await page.waitForFunction(() => !document.querySelector('[data-highlighted="true"]'));
  assert.equal(await pressed('highlight-segment-researcher'), 'false');
  await page.click('[data-testid="story-add"]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="story-edit-step"]').length === 2);
  assert.equal(await page.locator('[data-testid="step-highlight"]').count(), 1);

  // The reader's player marks what the step highlights, as the main view did.
  const link = await page.inputValue('[data-testid="story-link-url"]');
  const reader = await app.open(link.slice(app.url.length));
  await reader.page.waitForSelector('[data-testid="units-segment-researcher"][data-highlighted="true"]');
  assert.deepEqual(await marked(reader.page), ['legend-collateral', 'units-segment-researcher']);
  assert.match(await reader.page.textContent('[data-testid="story-highlight"]'), /“blocked though lawful” in the researcher segment/);
  assert.equal(await reader.page.locator('[data-testid="highlight-picker"]').count(), 0);
  await reader.page.screenshot({ path: `${ARTIFACTS}/story-highlight.png`, fullPage: true });
  // The next step highlights nothing.
  await reader.page.keyboard.press('ArrowRight');
  await reader.page.waitForFunction(() => document.querySelector('[data-testid="story-step"]')?.textContent === 'Step 2 of 2');
  await reader.page.waitForFunction(() => !document.querySelector('[data-highlighted="true"]'));
  assert.equal(await reader.page.locator('[data-testid="story-highlight"]').count(), 0);
  await page.click('[data-testid="story-discard"]');
  assert.deepEqual([...problems, ...reader.problems], []);
  assert.deepEqual([...foreign, ...reader.foreign], []);
  await page.close();
  await reader.page.close();
});
