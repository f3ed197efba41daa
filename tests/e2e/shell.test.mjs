// The app shell: it renders, stays on its own origin, shows the stable test hooks, and
// its totals match the CLI for the shipped scenarios.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, ARTIFACTS } from './browser.mjs';
import { cliTotals, appTotals, expectedCells } from './cli.mjs';

let app;
before(async () => { app = await start(); });
after(async () => { await app?.close(); });

test('the page renders with a title, header, picker and results, without errors', async () => {
  const { page, problems, foreign } = await app.open();
  assert.equal(await page.title(), 'Cutoff');
  assert.equal(await page.textContent('header h1'), 'Cutoff');
  for (const hook of ['preset', 'editor', 'diagnostics', 'as-of']) {
    assert.equal(await page.locator(`[data-testid="${hook}"]`).count(), 1, `hook ${hook}`);
  }
  assert.match(await page.textContent('[data-testid="headline"]'), /of (the )?[\d,]+ people (and organisations )?(who had access )?lose access/);
  const color = await page.$eval('.masthead', (e) => getComputedStyle(e).borderBottomStyle);
  assert.equal(color, 'solid', 'the stylesheet is applied');
  await page.screenshot({ path: `${ARTIFACTS}/shell.png`, fullPage: true });
  assert.deepEqual(problems, []);
  assert.deepEqual(foreign, []);
  await page.close();
});

test('every preset gives the same totals as `cutoff simulate`', async () => {
  const { page, problems, foreign } = await app.open();
  const options = await page.$$eval('[data-testid="preset"] option', (os) => os.map((o) => [o.value, o.dataset.path, o.textContent]));
  assert.ok(options.length >= 10, 'every shipped scenario is listed');
  for (const [value, path, title] of options) {
    await page.selectOption('[data-testid="preset"]', value);
    await page.waitForFunction((t) => document.querySelector('.results h2')?.textContent === t, title);
    assert.deepEqual(await appTotals(page), expectedCells(cliTotals(`policies/${path}`)), title);
  }
  assert.deepEqual(problems, []);
  assert.deepEqual(foreign, []);
  await page.close();
});

test('an error in the editor shows its line and column, and keeps the last results dimmed', async () => {
  const { page, problems } = await app.open();
  const text = await page.inputValue('[data-testid="editor"]');
  const broken = text.replace('when = "true"', 'when = "residence == \\"UK\\""');
  assert.notEqual(broken, text, 'the preset has a rule to break');
  await page.fill('[data-testid="editor"]', broken);
  const item = page.locator('[data-testid="diagnostics"] li').first();
  await item.waitFor();
  assert.match(await item.textContent(), /unknown country `UK`/);
  assert.match(await item.textContent(), /did you mean `GB`/);
  const line = broken.split('\n').findIndex((l) => l.includes('UK')) + 1;
  assert.equal(await item.getAttribute('data-line'), String(line));
  assert.equal(await page.locator('.results-body.stale').count(), 1);
  // Marked in the editor too: the line number and the offending text.
  assert.equal(await page.textContent('.line-number.has-error'), String(line));
  const marked = await page.$$eval('.mark-error', (spans) => spans.map((s) => s.textContent).join(''));
  assert.equal(marked, '\\"UK\\"');
  await page.screenshot({ path: `${ARTIFACTS}/editor-error.png` });
  await page.fill('[data-testid="editor"]', text);
  await page.waitForSelector('.results-body:not(.stale)');
  assert.equal(await page.locator('[data-testid="diagnostics"] li').count(), 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test('moving the as-of date before the letter leaves everyone with access', async () => {
  const { page } = await app.open();
  await page.selectOption('[data-testid="preset"]', { label: 'Friday letter: the provider complies exactly' });
  const denied = page.locator('[data-testid="total-customer-denied"]');
  assert.ok(Number(await denied.getAttribute('data-value')) > 0);
  await page.fill('[data-testid="as-of"]', '2026-11-01');
  await page.dispatchEvent('[data-testid="as-of"]', 'change');
  await page.waitForFunction(() => document.querySelector('[data-testid="total-customer-denied"]')?.dataset.value === '0');
  const expected = cliTotals('policies/friday-letter/complies-exactly.scenario.toml', '2026-11-01');
  assert.deepEqual(await appTotals(page), expectedCells(expected));
  await page.close();
});

test('presets show their sources, and the page fits a phone screen', async () => {
  const { page, problems } = await app.open();
  const option = page.locator('[data-testid="preset"] option[data-path="history/ai-diffusion-tiers.scenario.toml"]');
  await page.selectOption('[data-testid="preset"]', await option.getAttribute('value'));
  await page.waitForFunction(() => document.querySelector('.results h2')?.textContent.startsWith('The January 2025 AI Diffusion tiers'));
  assert.match(await page.textContent('[data-testid="sources"]'), /90 FR 4544/);
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than a phone`);
  await page.screenshot({ path: `${ARTIFACTS}/phone.png` });
  assert.deepEqual(problems, []);
  await page.close();
});
