// Accessibility: axe-core (npm `axe-core`, WCAG 2.1 A and AA rules) finds no serious or
// critical violation on the main view (with a highlight too), the "why" panel, the comparison with its exact
// difference, the story editor, the story player and an embed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { start, choosePreset } from './browser.mjs';

const AXE = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');

let app;
before(async () => { app = await start(); });
after(async () => { await app?.close(); });

/** The serious and critical violations on the page, each with up to three of its nodes. */
async function violations(page) {
  // Evaluated through the DevTools protocol, so the page's CSP does not block it.
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
}

test('the main view has no serious accessibility violation', async () => {
  const { page, problems } = await app.open();
  // The parts below the first screen are drawn once it has been painted.
  for (const part of ['builder', 'explorer', 'story-editor']) await page.waitForSelector(`[data-testid="${part}"]`);
  await page.waitForSelector('section.analyst');
  assert.deepEqual(await violations(page), []);
  // With a segment and an outcome highlighted (pressed toggles, marked charts).
  await page.click('[data-testid^="highlight-segment-"]');
  await page.click('[data-testid="highlight-outcome-denied"]');
  await page.waitForSelector('[data-testid="highlight-clear"]');
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the analyst views (range, tornado, sweep, timeline sweep) have no serious accessibility violation', async () => {
  const { page, problems } = await app.open();
  await choosePreset(page, 'friday-letter/complies-exactly.scenario.toml');
  for (const selector of ['[data-testid^="range-"]', '[data-testid^="tornado-"]', '[data-testid="sweep-point"]', '[data-testid="timeline-interval"]']) {
    await page.waitForSelector(selector, { timeout: 60000 });
  }
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the why panel has no serious accessibility violation', async () => {
  const { page, problems } = await app.open();
  await choosePreset(page, 'campus/campus.scenario.toml');
  await page.fill('[data-testid="explorer-search"]', 's2');
  await page.locator('tr[data-record="s2"] .why-button').click();
  await page.locator('[data-testid="why"]').waitFor();
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the story player and an embed have no serious accessibility violation', async () => {
  const story = await app.open('?story=friday-letter&step=2');
  await story.page.waitForSelector('[data-testid="story-check"]');
  assert.deepEqual(await violations(story.page), []);
  const embed = await app.open('?embed=headline,matrix,units&controls=response&preset=friday-letter%2Fgeofence.scenario.toml');
  assert.deepEqual(await violations(embed.page), []);
  assert.deepEqual([...story.problems, ...embed.problems], []);
  await story.page.close();
  await embed.page.close();
});

test('the story editor has no serious accessibility violation', async () => {
  const { page, problems } = await app.open();
  await page.fill('[data-testid="story-new-title"]', 'A story');
  await page.click('[data-testid="story-new"]');
  await page.click('[data-testid="story-add"]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="story-edit-step"]').length === 2);
  await page.click('[data-testid="story-publish"]');
  await page.waitForSelector('[data-testid="story-published"][data-state="published"]');
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the comparison and its exact difference have no serious accessibility violation', async () => {
  const { page, problems } = await app.open();
  await choosePreset(page, 'friday-letter/complies-exactly.scenario.toml');
  await page.click('[data-testid="pin"]');
  await choosePreset(page, 'friday-letter/offline-for-everyone.scenario.toml');
  await page.click('[data-testid="diff-work-out"]');
  await page.locator('[data-testid="diff-show"]').first().click();
  await page.waitForSelector('[data-testid="explorer-region"]');
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a scrolling table can be reached with the keyboard', async () => {
  const { page } = await app.open();
  const focusable = await page.$$eval('.scroll', (regions) => regions.map((r) => r.tabIndex));
  assert.ok(focusable.length > 0);
  assert.ok(focusable.every((i) => i === 0), JSON.stringify(focusable));
  await page.close();
});
