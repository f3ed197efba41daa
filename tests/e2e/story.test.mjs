// Story mode: next and previous, a link to each step, and numbers that match the CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, ARTIFACTS } from './browser.mjs';
import { cliTotals } from './cli.mjs';

let app;
before(async () => { app = await start(); });
after(async () => { await app?.close(); });

const lose = (totals) => Object.values(totals.people).reduce((sum, p) => sum + p.lose_any, 0);
const fmt = (n) => n.toLocaleString('en-US');

test('the Friday letter story steps through its scenarios', async () => {
  const { page, problems, foreign } = await app.open();
  await page.click('[data-testid="story-link"]');
  await page.waitForSelector('[data-testid="story"]');
  assert.equal(await page.textContent('[data-testid="story-step"]'), 'Step 1 of 6');
  const complies = 'policies/friday-letter/complies-exactly.scenario.toml';
  assert.match(await page.textContent('[data-testid="headline"]'), new RegExp(`^${fmt(lose(cliTotals(complies, '2026-11-19')))} of the 184,076 people and organisations who had access`));
  // Each step marks on its chart what its text is about: first who never had access.
  const marked = () => page.$$eval('[data-highlighted="true"]', (els) => els.map((e) => e.dataset.testid).filter(Boolean).sort());
  await page.waitForSelector('[data-testid="legend-unavailable"][data-highlighted="true"]');
  assert.deepEqual(await marked(), ['legend-unavailable']);
  await page.click('[data-testid="story-next"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="story-step"]')?.textContent === 'Step 2 of 6');
  assert.match(await page.textContent('[data-testid="headline"]'), new RegExp(`^${fmt(lose(cliTotals(complies)))} of the 184,076 people and organisations who had access`));
  // Then the staff the letter denies.
  await page.waitForSelector('[data-testid="units-segment-employee"][data-highlighted="true"]');
  assert.deepEqual(await marked(), ['legend-denied', 'units-segment-employee']);
  assert.match(await page.textContent('[data-testid="story-highlight"]'), /“denied by law” in the employee segment/);
  assert.match(await page.evaluate(() => location.search), /story=friday-letter&step=2/);
  await page.click('[data-testid="story-next"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="story-step"]')?.textContent === 'Step 3 of 6');
  // The 772.1 reading: anyone in the United States is a U.S. person.
  const reading = 'policies/friday-letter/reading-772.scenario.toml';
  assert.match(await page.textContent('[data-testid="headline"]'), new RegExp(`^${fmt(lose(cliTotals(reading)))} of the 184,076`));
  await page.waitForFunction(() => document.querySelector('[data-testid="units-segment-researcher"]')?.dataset.highlighted === 'true');
  assert.deepEqual(await marked(), ['units-segment-researcher']);
  await page.click('[data-testid="story-next"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="story-step"]')?.textContent === 'Step 4 of 6');
  assert.match(await page.textContent('[data-testid="headline"]'), /^184,076 of the 184,076 people and organisations who had access/);
  await page.screenshot({ path: `${ARTIFACTS}/story.png`, fullPage: true });
  assert.deepEqual(problems, []);
  assert.deepEqual(foreign, []);
  await page.close();
});

test('each step has its own link', async () => {
  const { page, problems } = await app.open('?story=friday-letter&step=5');
  await page.waitForSelector('[data-testid="story"]');
  assert.equal(await page.textContent('[data-testid="story-step"]'), 'Step 5 of 6');
  assert.ok(Number(await page.getAttribute('[data-testid="matrix-allowed-blocked"]', 'data-value')) > 0);
  // The step highlights the collateral: the cell that counts it.
  await page.waitForSelector('[data-testid="matrix-allowed-blocked"][data-highlighted="true"]');
  await page.click('[data-testid="story-prev"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="story-step"]')?.textContent === 'Step 4 of 6');
  const last = await app.open('?story=friday-letter&step=6');
  await last.page.waitForSelector('[data-testid="map"]');
  assert.equal(await last.page.isDisabled('[data-testid="story-next"]'), true);
  const missing = await app.open('?story=nope');
  assert.match(await missing.page.textContent('[data-testid="notice"]'), /There is no story `nope`/);
  assert.deepEqual([...problems, ...last.problems, ...missing.problems], []);
  await page.close();
  await last.page.close();
  await missing.page.close();
});

test('bound numbers equal the CLI and the published story verifies', async () => {
  const { page, problems } = await app.open('?story=friday-letter&step=3');
  await page.waitForSelector('[data-testid="story-check"]');
  assert.equal(await page.getAttribute('[data-testid="story-check"]', 'data-state'), 'verified');
  const numbers = await page.$$eval('[data-testid="story-number"]', (spans) =>
    spans.map((s) => [s.dataset.key, Number(s.dataset.value), s.textContent.trim()]));
  const totals = cliTotals('policies/friday-letter/reading-772.scenario.toml', '2026-11-21');
  assert.deepEqual(numbers, [
    ['people.employee.lose_any', totals.people.employee.lose_any, fmt(totals.people.employee.lose_any)],
    ['people.researcher.lose_any', totals.people.researcher.lose_any, fmt(totals.people.researcher.lose_any)],
  ]);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the second shipped story is listed beside the first and verifies', async () => {
  const { page, problems } = await app.open();
  await page.click('[data-testid="story-link-two-readings"]');
  await page.waitForSelector('[data-testid="story-check"]');
  assert.equal(await page.getAttribute('[data-testid="story-check"]', 'data-state'), 'verified');
  assert.equal(await page.textContent('[data-testid="story-step"]'), 'Step 1 of 4');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.querySelector('[data-testid="story-step"]')?.textContent === 'Step 2 of 4');
  const numbers = await page.$$eval('[data-testid="story-number"]', (spans) =>
    spans.map((s) => [s.dataset.key, Number(s.dataset.value)]));
  const totals = cliTotals('policies/friday-letter/reading-772.scenario.toml', '2026-11-21');
  assert.deepEqual(numbers, [
    ['people.employee.lose_any', totals.people.employee.lose_any],
    ['people.researcher.lose_any', totals.people.researcher.lose_any],
    ['people.customer.lose_any', totals.people.customer.lose_any],
  ]);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a story reads at 360 px wide without scrolling sideways, and without motion when asked', async () => {
  const { page, problems } = await app.open('?story=friday-letter&step=6');
  await page.setViewportSize({ width: 360, height: 740 });
  await page.waitForSelector('[data-testid="map"]');
  await page.waitForSelector('[data-testid="story-steps"]');
  const widths = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(widths[0] <= widths[1], JSON.stringify(widths));
  await page.screenshot({ path: `${ARTIFACTS}/story-360.png`, fullPage: true });
  // A reader who asks for less motion gets no animation.
  const duration = () => page.evaluate(() => {
    const probe = document.createElement('div');
    probe.style.animation = 'appear 2s linear';
    document.body.append(probe);
    const seconds = parseFloat(getComputedStyle(probe).animationDuration);
    probe.remove();
    return seconds;
  });
  assert.equal(await duration(), 2);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  assert.ok((await duration()) < 0.001);
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction(() => document.querySelector('[data-testid="story-step"]')?.textContent === 'Step 5 of 6');
  assert.deepEqual(problems, []);
  await page.close();
});
