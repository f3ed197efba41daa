// The main flows of the app, each against the CLI's numbers: changing the provider's
// response, importing a population and a scenario (picker and drag and drop), moving the
// as-of date past an expiry, and the rule-impact and breakdown tables.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { start, ARTIFACTS, choosePreset } from './browser.mjs';
import { appTotals, expectedCells, cliTotals, cliTotalsForText } from './cli.mjs';

let app;
before(async () => { app = await start(); });
after(async () => { await app?.close(); });

const value = async (page, id) => Number(await page.getAttribute(`[data-testid="${id}"]`, 'data-value'));

test('changing the response to offline-for-everyone makes collateral appear', async () => {
  const { page, problems, foreign } = await app.open();
  await choosePreset(page, 'friday-letter/complies-exactly.scenario.toml');
  assert.equal(await value(page, 'matrix-allowed-blocked'), 0);
  assert.equal(await value(page, 'total-customer-collateral'), 0);
  await page.selectOption('[data-testid="response"]', { label: 'Offline for everyone' });
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="total-customer-collateral"]')?.dataset.value) > 0);
  assert.ok(await value(page, 'matrix-allowed-blocked') > 0);
  const text = await page.inputValue('[data-testid="editor"]');
  assert.match(text, /\[response\]\ntitle = "Offline for everyone"/);
  assert.deepEqual(await appTotals(page), expectedCells(cliTotalsForText('friday-letter/edited.scenario.toml', text)));
  assert.match(await page.textContent('[data-testid="headline"]'), /of them were not barred by any directive/);
  await page.screenshot({ path: `${ARTIFACTS}/offline-for-everyone.png`, fullPage: true });
  assert.deepEqual(problems, []);
  assert.deepEqual(foreign, []);
  await page.close();
});

test('importing a population CSV replaces the population', async () => {
  const { page, problems } = await app.open();
  await choosePreset(page, 'friday-letter/complies-exactly.scenario.toml');
  const csv = 'id,segment,nationality,residence,status,sector,products,weight\n' +
    'a,customer,US,US,citizen,security,fable-5,70\n' +
    'b,customer,DE,DE,foreign_national,security,fable-5;mythos-5,30\n';
  await page.setInputFiles('[data-testid="import"]', { name: 'mine.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.waitForFunction(() => document.querySelector('[data-testid="people-customer"]')?.dataset.value === '30');
  assert.equal(await value(page, 'total-customer-denied'), 60);
  assert.equal(await page.locator('[data-testid="people-employee"]').count(), 0);
  const text = await page.inputValue('[data-testid="editor"]');
  assert.match(text, /\[population\]\ncsv = '''\nid,segment/);
  assert.deepEqual(await appTotals(page), expectedCells(cliTotalsForText('friday-letter/imported.scenario.toml', text)));
  assert.match(await page.textContent('.imported'), /Opened mine\.csv/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('importing a self-contained scenario, by picker and by drag and drop', async () => {
  const { page, problems } = await app.open();
  const path = 'tests/cases/response-ignores-law/scenario.toml';
  const text = readFileSync(path, 'utf8');
  const expected = expectedCells(cliTotals(path));
  await page.setInputFiles('[data-testid="import"]', { name: 'scenario.toml', mimeType: 'text/plain', buffer: Buffer.from(text) });
  await page.waitForFunction(() => document.querySelector('.results h2')?.textContent.startsWith('Provider ignores the law'));
  assert.deepEqual(await appTotals(page), expected);
  assert.ok(await value(page, 'matrix-barred-served') > 0, 'a provider that ignores the law leaks');

  await choosePreset(page, 'campus/campus.scenario.toml');
  const transfer = await page.evaluateHandle((body) => {
    const data = new DataTransfer();
    data.items.add(new File([body], 'dropped.toml', { type: 'text/plain' }));
    return data;
  }, text);
  await page.dispatchEvent('.drop-zone', 'drop', { dataTransfer: transfer });
  await page.waitForFunction(() => document.querySelector('.results h2')?.textContent.startsWith('Provider ignores the law'));
  assert.deepEqual(await appTotals(page), expected);
  assert.match(await page.textContent('.imported'), /Opened dropped\.toml/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('moving the as-of date past an expiry takes the directive out of force', async () => {
  const { page } = await app.open();
  await choosePreset(page, 'friday-letter/revoked.scenario.toml');
  assert.equal(await page.getAttribute('[data-testid="directive-commerce-2026-fable-mythos-revoked"]', 'data-in-force'), 'false');
  assert.equal(await value(page, 'total-customer-denied'), 0);
  await page.fill('[data-testid="as-of"]', '2026-11-25');
  await page.dispatchEvent('[data-testid="as-of"]', 'change');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="total-customer-denied"]')?.dataset.value) > 0);
  assert.equal(await page.getAttribute('[data-testid="directive-commerce-2026-fable-mythos-revoked"]', 'data-in-force'), 'true');
  assert.deepEqual(await appTotals(page), expectedCells(cliTotals('policies/friday-letter/revoked.scenario.toml', '2026-11-25')));
  await page.fill('[data-testid="as-of"]', '2026-12-04');
  await page.dispatchEvent('[data-testid="as-of"]', 'change');
  await page.waitForFunction(() => document.querySelector('[data-testid="total-customer-denied"]')?.dataset.value === '0');
  await page.close();
});

test('the rule-impact and breakdown tables add up to the totals', async () => {
  const { page } = await app.open();
  await choosePreset(page, 'alternatives/defender-carve-out.scenario.toml');
  const ruleRows = await page.$$eval('[data-testid="rule-impact"] tbody tr', (rows) => rows.map((r) => r.textContent));
  assert.equal(ruleRows.length, 3, 'two rules and the default');
  const sectors = await page.$$eval('[data-testid="by-sector"] tbody th', (ths) => ths.map((t) => t.textContent));
  assert.ok(sectors.includes('security'));
  const statuses = await page.$$eval('[data-testid="by-status"] tbody th', (ths) => ths.map((t) => t.textContent));
  assert.ok(statuses.includes('foreign national'));
  await page.close();
});

test('population sliders change the segment and the results follow', async () => {
  const { page, problems } = await app.open();
  await choosePreset(page, 'friday-letter/complies-exactly.scenario.toml');
  assert.ok(await value(page, 'total-employee-denied') > 600);
  // With no foreign nationals among U.S.-based staff, only the 10% abroad (300 people,
  // both products each) are denied.
  await page.fill('[data-testid="foreign-share-employee"]', '0');
  await page.dispatchEvent('[data-testid="foreign-share-employee"]', 'change');
  await page.waitForFunction(() => document.querySelector('[data-testid="total-employee-denied"]')?.dataset.value === '600');
  assert.match(await page.textContent('.segment-controls:has(legend:text("employee"))'), /Foreign nationals among them: 0%/);
  await page.fill('[data-testid="size-customer"]', '1000');
  await page.dispatchEvent('[data-testid="size-customer"]', 'change');
  await page.waitForFunction(() => document.querySelector('.totals tbody tr th')?.nextElementSibling?.textContent === '1,000');
  await page.click('text=Reset to the spec');
  await page.waitForFunction(() => document.querySelector('.totals tbody tr th')?.nextElementSibling?.textContent === '200,000');
  assert.ok(await value(page, 'total-employee-denied') > 600);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a generated population gives the same totals in the app as in the CLI', async () => {
  const { execFileSync } = await import('node:child_process');
  const csv = execFileSync(process.env.CUTOFF_BIN ?? 'target/debug/cutoff', ['generate', '--records', '20000', '--seed', '11'], { maxBuffer: 64 * 1024 * 1024 }).toString();
  const { page, problems } = await app.open();
  await choosePreset(page, 'friday-letter/complies-exactly.scenario.toml');
  await page.setInputFiles('[data-testid="import"]', { name: 'generated.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.waitForFunction(() => document.querySelector('.imported')?.textContent.includes('generated.csv'));
  await page.waitForFunction(() => document.querySelector('[data-testid="editor"]').value.includes('g19999,'));
  const text = await page.inputValue('[data-testid="editor"]');
  assert.deepEqual(await appTotals(page), expectedCells(cliTotalsForText('friday-letter/generated.scenario.toml', text)));
  assert.deepEqual(problems, []);
  await page.close();
});
