// The people explorer's "why" panel and the A/B comparison.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, ARTIFACTS, choosePreset } from './browser.mjs';
import { cliTotals } from './cli.mjs';

let app;
before(async () => { app = await start(); });
after(async () => { await app?.close(); });

test('a "why" panel explains a decision rule by rule, with the smallest change', async () => {
  const { page, problems } = await app.open();
  await choosePreset(page, 'campus/campus.scenario.toml');
  await page.fill('[data-testid="explorer-search"]', 's2');
  const row = page.locator('tr[data-record="s2"]');
  await row.waitFor();
  await row.locator('.why-button').click();
  const why = page.locator('[data-testid="why"]');
  await why.waitFor();
  const text = await why.textContent();
  assert.match(text, /Why: s2 — Chinese graduate students in the U\.S\./);
  assert.match(text, /Needs a license/);
  assert.match(text, /export-rule says license by rule 2/);
  assert.match(text, /✗ residence in group\("partners"\)/);
  assert.match(text, /✓ foreign_person/);
  assert.match(text, /sanctions says allow by default/);
  assert.match(await why.locator('[data-testid="counterfactual"]').textContent(), /with status `citizen` they would keep access/);
  await page.screenshot({ path: `${ARTIFACTS}/why.png`, fullPage: true });
  // The link carries the view: the same "why" panel opens in a new page.
  await page.click('[data-testid="make-link"]');
  const link = await page.inputValue('[data-testid="share-link"]');
  const fresh = await app.open(link.slice(app.url.length));
  await fresh.page.waitForSelector('[data-testid="why"]');
  assert.match(await fresh.page.textContent('[data-testid="why"]'), /Why: s2/);
  assert.deepEqual([...problems, ...fresh.problems], []);
  await fresh.page.close();
  await page.close();
});

test('comparing the letter as written with offline-for-everyone', async () => {
  const { page, problems } = await app.open();
  await choosePreset(page, 'friday-letter/complies-exactly.scenario.toml');
  await page.click('[data-testid="pin"]');
  await choosePreset(page, 'friday-letter/offline-for-everyone.scenario.toml');
  const compare = page.locator('[data-testid="compare"]');
  await compare.waitFor();
  const a = cliTotals('policies/friday-letter/complies-exactly.scenario.toml');
  const b = cliTotals('policies/friday-letter/offline-for-everyone.scenario.toml');
  for (const segment of ['customer', 'employee', 'researcher']) {
    const row = page.locator(`[data-testid="compare-${segment}"]`);
    assert.equal(Number(await row.getAttribute('data-a')), a.people[segment].lose_any, segment);
    assert.equal(Number(await row.getAttribute('data-b')), b.people[segment].lose_any, segment);
  }
  assert.match(await compare.textContent(), /United States \(US\)/);
  await page.screenshot({ path: `${ARTIFACTS}/compare.png`, fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('the world map shades countries by the share losing access, with tooltips and a table', async () => {
  const { page, problems } = await app.open();
  await choosePreset(page, 'friday-letter/complies-exactly.scenario.toml');
  const share = async (code) => Number(await page.getAttribute(`[data-testid="map"] path[data-country="${code}"]`, 'data-share'));
  // Germany: nearly everyone is a foreign person; U.S. citizens there and the offices of
  // U.S.-organised companies are not, and keep access.
  const de = await share('DE');
  assert.ok(de > 0.9 && de < 1, `all but U.S. citizens and U.S. companies' offices: ${de}`);
  const us = await share('US');
  assert.ok(us > 0 && us < 0.2, `some U.S. residents are foreign nationals: ${us}`);
  assert.match(await page.textContent('[data-testid="map"] path[data-country="SG"] title'), /Singapore \(SG\): [\d,]+ of [\d,]+ people and organisations who had access lose access \(\d+%\)/);
  // Mainland China: the provider never served it, so no one there had access to lose.
  assert.match(await page.textContent('[data-testid="map"] path[data-country="CN"] title'), /none of whom had access before/);
  await page.click('[data-testid="map-toggle"]');
  await page.waitForSelector('text=Share of the people and organisations who had access that lose it, by nationality');
  assert.equal(await share('US'), 0, 'no U.S. national loses access under the letter');
  const india = await share('IN');
  assert.ok(india > 0.9 && india < 1, `Indian nationals lose access except permanent residents in the U.S.: ${india}`);
  assert.deepEqual(problems, []);
  await page.close();
});
