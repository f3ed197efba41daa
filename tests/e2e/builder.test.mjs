// The rule builder edits the same document as the text editor: every form change shows in
// the text, notes written in the text survive form edits, and the totals follow the CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, ARTIFACTS } from './browser.mjs';
import { appTotals, expectedCells, cliTotalsForText } from './cli.mjs';

let app;
before(async () => { app = await start(); });
after(async () => { await app?.close(); });

test('the rule builder adds, edits, reorders and deletes rules in the text', async () => {
  const { page, problems } = await app.open();
  const option = page.locator('[data-testid="preset"] option[data-path="alternatives/defender-carve-out.scenario.toml"]');
  await page.selectOption('[data-testid="preset"]', await option.getAttribute('value'));
  await page.waitForFunction(() => document.querySelector('.results h2')?.textContent.startsWith('Alternative: a carve-out'));
  await page.click('[data-testid="builder"] summary');
  const editor = '[data-testid="editor"]';
  const directive = 'letter-with-defender-carve-out';

  // A condition with `or` stays text; `foreign_person` becomes a clause.
  assert.equal(await page.locator('[data-testid="rule-0-0"]').count(), 0);
  assert.equal(await page.inputValue('[data-testid="attribute-0-1-0"]'), 'foreign_person');
  assert.equal(await page.inputValue('[data-testid="operator-0-1-0"]'), 'is');

  // Change rule 2's effect: the text changes in place and keeps the note.
  await page.selectOption('[data-testid="effect-0-1"]', 'license');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="total-customer-license_required"]')?.dataset.value) > 0);
  let text = await page.inputValue(editor);
  assert.match(text, /effect = "license"\nwhen = "foreign_person"\nnote = "Every other foreign person \(the deemed-export reading of the letter, as reported\)"/);
  assert.deepEqual(await appTotals(page), expectedCells(cliTotalsForText('alternatives/edited.scenario.toml', text)));

  // Add a rule, give it a clause from the country picker, move it up, then delete it.
  await page.click(`[data-testid="add-rule-${directive}"]`);
  await page.waitForSelector('[data-testid="rule-0-2"]');
  await page.click('[data-testid="rule-0-2"] >> text=Add clause');
  await page.waitForFunction(() => document.querySelector('[data-testid="values-0-2-1"]')?.value === 'D:5');
  await page.fill('[data-testid="find-0-2"]', 'germany');
  await page.click('[data-testid="rule-0-2"] .pick:has-text("Germany")');
  await page.waitForFunction(() => document.querySelector('[data-testid="editor"]').value.includes('when = \'not us_person and residence in ["DE"]\''));
  await page.click(`[data-testid="rule-up-${directive}-3"]`);
  await page.waitForFunction(() => {
    const t = document.querySelector('[data-testid="editor"]').value;
    return t.indexOf('residence in ["DE"]') < t.indexOf('when = "foreign_person"');
  });
  text = await page.inputValue(editor);
  assert.deepEqual(await appTotals(page), expectedCells(cliTotalsForText('alternatives/edited.scenario.toml', text)));
  await page.screenshot({ path: `${ARTIFACTS}/builder.png`, fullPage: true });
  await page.click(`[data-testid="rule-delete-${directive}-2"]`);
  await page.waitForFunction(() => !document.querySelector('[data-testid="editor"]').value.includes('residence in ["DE"]'));

  // Text edits show in the form.
  text = await page.inputValue(editor);
  await page.fill(editor, text.replace('effect = "license"', 'effect = "allow"'));
  await page.waitForFunction(() => document.querySelector('[data-testid="effect-0-1"]')?.value === 'allow');

  // Add a directive, move it up, delete it.
  await page.click('[data-testid="add-directive"]');
  await page.waitForSelector('[data-directive="directive-2"]');
  await page.click('[data-testid="up-directive-2"]');
  await page.waitForFunction(() => document.querySelector('.builder-directive legend')?.textContent === 'directive-2');
  await page.click('[data-testid="delete-directive-2"]');
  await page.waitForFunction(() => document.querySelectorAll('.builder-directive:not([data-directive="response"])').length === 1);
  assert.match(await page.inputValue(editor), /note = "Network defenders and researchers in the U.S. and allied countries keep access"/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('custom provider rules from the builder block lawful users', async () => {
  const { page, problems } = await app.open();
  // A scenario with no response of its own: the builder writes a fresh `[response]`.
  const option = page.locator('[data-testid="preset"] option[data-path="history/ai-diffusion-tiers.scenario.toml"]');
  await page.selectOption('[data-testid="preset"]', await option.getAttribute('value'));
  await page.waitForFunction(() => document.querySelector('.results h2')?.textContent.includes('AI Diffusion'));
  await page.click('[data-testid="builder"] summary');
  assert.equal(await page.getAttribute('[data-testid="total-customer-collateral"]', 'data-value'), '0');
  await page.click('[data-testid="add-rule-response"]');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="total-customer-collateral"]')?.dataset.value) > 0);
  let text = await page.inputValue('[data-testid="editor"]');
  assert.match(text, /\[response\]\ntitle = "Custom response"\nfollows_law = true\n\n\[\[response\.rules\]\]\neffect = "deny"\nwhen = 'sector == "security"'/);
  await page.selectOption('[data-testid="effect-r-0"]', 'license');
  await page.waitForFunction(() => document.querySelector('[data-testid="editor"]').value.includes('[[response.rules]]\neffect = "license"'));
  text = await page.inputValue('[data-testid="editor"]');
  assert.deepEqual(await appTotals(page), expectedCells(cliTotalsForText('history/custom.scenario.toml', text)));
  assert.match(await page.inputValue('[data-testid="response"]'), /custom/);
  assert.deepEqual(problems, []);
  await page.close();
});
