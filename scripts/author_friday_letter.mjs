// Builds "The Friday letter" (policies/stories/friday-letter.story.toml) in the story
// editor, as an author would: for each step it opens the shipped scenario, sets the day,
// highlights a segment or an outcome, chooses the chart and adds the step from the screen,
// then types the step's title and text (numbers only as `{KEY}`). It then publishes the
// story in the editor and writes the exported file. Run it on a release build:
//
//   DIST=target/e2e-dist CUTOFF_BIN=target/debug/cutoff node scripts/author_friday_letter.mjs
//   target/debug/cutoff story policies/stories/friday-letter.story.toml   # verified
import { writeFileSync, readFileSync } from 'node:fs';
import { start, choosePreset } from '../tests/e2e/browser.mjs';

const OUT = 'policies/stories/friday-letter.story.toml';
const COMPLIES = 'friday-letter/complies-exactly.scenario.toml';
const READING = 'friday-letter/reading-772.scenario.toml';
const OFFLINE = 'friday-letter/offline-for-everyone.scenario.toml';
const CARVE_OUT = 'alternatives/defender-carve-out.scenario.toml';

const TITLE = 'The Friday letter';
const DESCRIPTION = 'How a letter aimed at non-U.S. persons ended with everyone cut off, in six steps. The letter is known only from one news account and was never published; the population\'s sizes are illustrative.';

const STEPS = [
  {
    scenario: COMPLIES, asOf: '2026-11-19', chart: 'units', outcome: 'unavailable',
    title: 'Before the letter',
    text: 'A frontier AI provider serves {people.customer.total} customer accounts (companies and universities among them), {people.employee.total} staff and {people.researcher.total} researchers; these sizes are illustrative. The day before the letter, no directive covers its two models. Some had no access even then: residents of the countries under comprehensive U.S. embargoes (Cuba, Iran, North Korea) and of regions the provider does not serve (an illustrative list, with mainland China and Russia on it). The chart highlights them: {by_segment.customer.unavailable} customer and {by_segment.researcher.unavailable} researcher person-model pairs (a person counts once for each model they use). From here on they count as never having had access, not as losing it to the letter.',
  },
  {
    scenario: COMPLIES, asOf: '2026-11-21', chart: 'units', segment: 'employee', outcome: 'denied',
    title: 'The letter as reported',
    text: 'The letter, as one news account reported it, barred "non-Americans, including employees"; its text was never published. Read as the deemed-export test (a foreign person, wherever they live, the United States included) and complied with exactly, it cuts off {people.customer.lose_any} customer accounts, {people.researcher.lose_any} of the {people.researcher.total} researchers and, highlighted, {people.employee.lose_any} of the provider\'s own {people.employee.total} staff.',
  },
  {
    scenario: READING, asOf: '2026-11-21', chart: 'units', segment: 'researcher',
    title: 'Two readings of one sentence',
    text: 'Export-control law\'s definition of a "U.S. person" (15 CFR 772.1) includes anyone in the United States. Read that way, the letter spares the provider\'s foreign-national staff and doctoral researchers inside the U.S.: {people.employee.lose_any} staff and {people.researcher.lose_any} researchers lose access instead. Only the deemed-export reading reaches employees in the United States, as the reported words "including employees" suggest; the story "Two readings of one sentence" goes through the difference.',
  },
  {
    scenario: OFFLINE, asOf: '2026-11-21', chart: 'units', outcome: 'collateral',
    title: 'The provider pulls both models',
    text: 'What the account reports happened next: to be safe, the provider took both models offline for every customer, not only for the people the letter names. Now {people.customer.lose_any} customer accounts, {people.employee.lose_any} of the {people.employee.total} staff and {people.researcher.lose_any} researchers lose access, U.S. persons included. The highlighted marks are those the letter did not bar.',
  },
  {
    scenario: OFFLINE, asOf: '2026-11-21', chart: 'matrix', outcome: 'collateral',
    title: 'Who was hit though not barred',
    text: 'The highlighted cell is the collateral, access the letter allowed but the provider blocked: {by_segment.customer.collateral} customer, {by_segment.employee.collateral} staff and {by_segment.researcher.collateral} researcher person-model pairs. The same account reports that security researchers warned that U.S. network defenders had lost their tools.',
  },
  {
    scenario: CARVE_OUT, asOf: '2026-11-21', chart: 'map',
    title: 'One change at a time: a carve-out for defenders',
    text: 'A what-if: go back to a provider that complies exactly and change one thing, exempting security users and researchers who live in the United States or its closest allies (the first tier of the rescinded AI Diffusion framework). Then {people.customer.lose_any} customer accounts and {people.researcher.lose_any} researchers lose access. The carve-out cannot help the {people.employee.lose_any} staff who lose access, security users outside those countries, or any other foreign customer.',
  },
];

const app = await start();
const { page, problems } = await app.open();
try {
  for (const [index, step] of STEPS.entries()) {
    await choosePreset(page, step.scenario);
    await page.fill('[data-testid="as-of"]', step.asOf);
    await page.dispatchEvent('[data-testid="as-of"]', 'change');
    await page.waitForFunction((d) => document.querySelector('.as-of-note')?.textContent.startsWith(`As of ${d}.`), step.asOf);
    // Highlight what the step marks, from a clear screen.
    if (await page.locator('[data-testid="highlight-clear"]').count()) await page.click('[data-testid="highlight-clear"]');
    if (step.segment) await page.click(`[data-testid="highlight-segment-${step.segment}"]`);
    if (step.outcome) await page.click(`[data-testid="highlight-outcome-${step.outcome}"]`);
    await page.selectOption('[data-testid="story-chart"]', step.chart);
    if (index === 0) {
      await page.fill('[data-testid="story-new-title"]', TITLE);
      await page.click('[data-testid="story-new"]');
    } else {
      await page.click('[data-testid="story-add"]');
    }
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="story-edit-step"]').length === n, index + 1);
    const editing = page.locator('[data-testid="story-edit-step"]').nth(index);
    await editing.locator('[data-testid="step-title"]').fill(step.title);
    await editing.locator('[data-testid="step-text"]').fill(step.text);
  }
  await page.fill('[data-testid="story-description"]', DESCRIPTION);
  await page.click('[data-testid="story-publish"]');
  await page.waitForSelector('[data-testid="story-published"][data-state="published"]');
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="story-export"]')]);
  writeFileSync(OUT, readFileSync(await file.path(), 'utf8'));
  if (problems.length) throw new Error(problems.join('\n'));
  console.log(`wrote ${OUT}: ${await page.textContent('[data-testid="story-message"]')}`);
} finally {
  await page.close();
  await app.close();
}
