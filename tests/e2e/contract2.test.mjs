// Contract 2 in the built app: both readings of "U.S. person", organisations, U.S.
// territories and a baseline, each against the CLI's numbers; the "Before" control; and a
// link made under contract 1 that still gives the numbers it gave then.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { start, ARTIFACTS, choosePreset } from './browser.mjs';
import { appTotals, expectedCells, cliTotals, cliTotalsForText } from './cli.mjs';

let app;
before(async () => { app = await start(); });
after(async () => { await app?.close(); });

const FIXTURE = 'tests/e2e/fixtures/two-readings.scenario.toml';
const value = async (page, id) => Number(await page.getAttribute(`[data-testid="${id}"]`, 'data-value'));

async function why(page, id) {
  await page.fill('[data-testid="explorer-search"]', id);
  const row = page.locator(`tr[data-record="${id}"]`);
  await row.waitFor();
  await row.locator('.why-button').click();
  const panel = page.locator('[data-testid="why"]');
  await panel.waitFor();
  return panel;
}

test('a scenario with both readings, organisations, territories and a baseline gives the CLI\'s numbers', async () => {
  const { page, problems, foreign } = await app.open();
  const text = readFileSync(FIXTURE, 'utf8');
  await page.setInputFiles('[data-testid="import"]', { name: 'two-readings.scenario.toml', mimeType: 'text/plain', buffer: Buffer.from(text) });
  await page.waitForFunction(() => document.querySelector('.results h2')?.textContent === 'Two readings, organisations and a baseline');
  const expected = expectedCells(cliTotals(FIXTURE));
  assert.deepEqual(await appTotals(page), expected);
  // The numbers the fixture's comments work out by hand.
  assert.equal(await value(page, 'total-customer-unavailable'), 34);
  assert.equal(await value(page, 'total-customer-gains'), 12);
  assert.equal(await value(page, 'total-customer-denied'), 300);
  assert.equal(await value(page, 'total-employee-license_required'), 80);
  assert.equal(await value(page, 'matrix-before-served'), 12);
  assert.equal(await value(page, 'matrix-before-blocked'), 34);
  assert.equal(
    await page.textContent('[data-testid="headline"]'),
    '426 of the 960 people and organisations who had access lose access to Fable 5 or Mythos 5; 12 gain access; 34 never had access to what they use.',
  );
  assert.match(await page.textContent('[data-testid="before-note"]'), /Before the letter: sanctions only/);
  // Where the readings part: the visa holders, the Mexican nationals in Puerto Rico and the
  // German carmaker's U.S. office (80 + 40 + 6).
  assert.equal(await value(page, 'reading-difference'), 126);
  assert.match(await page.textContent('[data-testid="reading-difference"]'), /This scenario uses both readings/);
  assert.match(await page.textContent('.legend'), /Never had access/);

  // An organisation is named as one, in the explorer and in its "why" panel.
  const entity = await why(page, 'de-us');
  assert.match(await page.textContent('tr[data-record="de-us"]'), /organisation \(entity\)/);
  assert.match(await entity.locator('[data-testid="why-organisation"]').textContent(), /where it is organised/);
  // The visa holder in the U.S. is a U.S. person under 772.1 and a foreign person too.
  const h1b = await why(page, 'h1b');
  const h1bText = await h1b.textContent();
  assert.match(h1bText, /✓ held: foreign_person/);
  assert.match(h1bText, /✗ did not hold: not us_person/);
  // Sanctioned before: not counted as losing access to the letter.
  const iran = await why(page, 'ir1');
  assert.match(await iran.locator('[data-testid="why-outcome"]').textContent(), /Never had access/);
  assert.match(await iran.locator('[data-testid="why-before"]').textContent(), /Already without access before: denied by law by `sanctions` rule 1/);
  await page.screenshot({ path: `${ARTIFACTS}/contract2.png`, fullPage: true });
  assert.deepEqual(problems, []);
  assert.deepEqual(foreign, []);
  await page.close();
});

test('the Before control counts the results against an earlier state and writes it into the text', async () => {
  const { page, problems } = await app.open();
  await choosePreset(page, 'campus/campus.scenario.toml');
  assert.equal(await page.locator('[data-testid="before-note"]').count(), 0);
  await page.selectOption('[data-testid="before"]', 'earlier');
  await page.waitForSelector('[data-testid="before-date"]');
  await page.fill('[data-testid="before-date"]', '2026-02-01');
  await page.dispatchEvent('[data-testid="before-date"]', 'change');
  await page.waitForFunction(() => document.querySelector('[data-testid="editor"]').value.includes('as_of = 2026-02-01'));
  let text = await page.inputValue('[data-testid="editor"]');
  assert.match(text, /\[baseline\]\ntitle = "This scenario on 2026-02-01, before the change"\nas_of = 2026-02-01\ndirectives = \["export-rule.toml", "sanctions.toml"\]/);
  assert.deepEqual(await appTotals(page), expectedCells(cliTotalsForText('campus/edited.scenario.toml', text)));
  assert.ok(await value(page, 'total-customer-unavailable') > 0);
  assert.match(await page.textContent('[data-testid="headline"]'), /who had access lose access/);

  // A shipped scenario as the baseline, by its path relative to this one.
  await page.selectOption('[data-testid="before"]', 'file:../friday-letter/offline-for-everyone.scenario.toml');
  await page.waitForFunction(() => document.querySelector('[data-testid="editor"]').value.includes('baseline = "../friday-letter/offline-for-everyone.scenario.toml"'));
  text = await page.inputValue('[data-testid="editor"]');
  assert.deepEqual(await appTotals(page), expectedCells(cliTotalsForText('campus/edited.scenario.toml', text)));

  // Back to no baseline: the text has none, and the numbers are the scenario's own.
  await page.selectOption('[data-testid="before"]', 'none');
  await page.waitForFunction(() => !document.querySelector('[data-testid="editor"]').value.includes('baseline'));
  assert.equal(await value(page, 'total-customer-unavailable'), 0);
  assert.deepEqual(await appTotals(page), expectedCells(cliTotals('policies/campus/campus.scenario.toml')));
  assert.deepEqual(problems, []);
  await page.close();
});

test('a link made under contract 1 opens with the numbers it had then, and says so', async () => {
  // The scenario as contract 1's app put it in a link: letter and population spec written in.
  const text = readFileSync('tests/fixtures/contract-1/complies-exactly.resolved.toml', 'utf8');
  const old = JSON.parse(readFileSync('tests/fixtures/contract-1/complies-exactly.totals.json', 'utf8'));
  // Version 1 of the link format: no `contract` in the JSON.
  const json = JSON.stringify({ path: 'friday-letter/complies-exactly.scenario.toml', text });
  const fragment = `#s=1.${deflateRawSync(Buffer.from(json)).toString('base64url')}`;
  const { page, problems } = await app.open(fragment);
  await page.waitForSelector('[data-testid="reading-note"]');
  assert.match(await page.textContent('[data-testid="reading-note"]'), /contract = 1/);
  assert.match(await page.inputValue('[data-testid="editor"]'), /^contract = 1$/m);
  const shown = new Map(await appTotals(page));
  for (const [cell, weight] of expectedCells(old)) assert.equal(shown.get(cell), weight, cell);
  // The same scenario read as 15 CFR 772.1 loses fewer employees: the visa holders in the
  // U.S. are U.S. persons there.
  assert.equal(shown.get('people-employee'), 598);
  assert.ok(expectedCells(cliTotalsForText('friday-letter/now.scenario.toml', text)).some(([c, w]) => c === 'people-employee' && w < 598));
  assert.deepEqual(problems, []);
  await page.close();
});

test('every scenario, directive, population share and chart says what it rests on', async () => {
  const { page, problems } = await app.open();
  await choosePreset(page, 'friday-letter/offline-for-everyone.scenario.toml');
  const bases = (testid) => page.$$eval(`[data-testid="${testid}"] [data-basis]`, (els) => els.map((e) => e.dataset.basis));
  // The seed story is a news report read against the law; the population mixes data and
  // illustration.
  assert.deepEqual(await bases('basis-scenario'), ['law', 'reported', 'data', 'illustrative']);
  for (const chart of ['basis-units', 'basis-matrix', 'basis-map', 'basis-totals', 'basis-timeline', 'basis-by-sector', 'basis-by-status', 'basis-rule-impact']) {
    assert.deepEqual(await bases(chart), ['law', 'reported', 'data', 'illustrative'], chart);
  }
  // The letter: reported, its date illustrative, its reading of "non-Americans" the law.
  assert.deepEqual(await bases('basis-directive-commerce-2026-fable-mythos'), ['law', 'reported', 'illustrative']);
  // Customers' countries come from GitHub's data; their number is illustrative.
  assert.deepEqual(await bases('basis-size-customer'), ['illustrative']);
  assert.deepEqual(await bases('basis-residence-customer'), ['data']);
  assert.deepEqual(await bases('basis-status-researcher'), ['data']);
  assert.match(await page.textContent('[data-testid="scenario-sources"]'), /News report.*one news account/s);

  // A proposal that was never adopted says so.
  await choosePreset(page, 'history/intrusion-software-2015.scenario.toml');
  assert.ok((await bases('basis-scenario')).includes('proposed'));
  assert.match(await page.textContent('[data-testid="basis-scenario"]'), /Proposed, never adopted/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('an autosave made under contract 1 opens against the files shipped then, with its old numbers', async () => {
  // What contract 1 kept in localStorage: the editor's text as written (naming `letter.toml`
  // and the population spec by relative paths), with no `contract`.
  const text = readFileSync('tests/fixtures/contract-1/complies-exactly.autosaved.toml', 'utf8');
  const old = JSON.parse(readFileSync('tests/fixtures/contract-1/complies-exactly.totals.json', 'utf8'));
  const saved = JSON.stringify({ path: 'friday-letter/complies-exactly.scenario.toml', text });
  const { page, problems } = await app.open('', { init: `localStorage.setItem('cutoff.autosave', ${JSON.stringify(saved)});` });
  await page.waitForSelector('[data-testid="reading-note"]');
  assert.match(await page.inputValue('[data-testid="editor"]'), /^contract = 1$/m);
  assert.match(await page.inputValue('[data-testid="editor"]'), /^directives = \["letter.toml"\]$/m);
  const shown = new Map(await appTotals(page));
  for (const [cell, weight] of expectedCells(old)) assert.equal(shown.get(cell), weight, cell);
  assert.deepEqual(problems, []);
  await page.close();
});
