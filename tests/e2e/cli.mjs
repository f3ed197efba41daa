// Runs the native `cutoff` CLI on scenario text, so the app's numbers can be compared
// with it. Scenario text is written beside a copy of `policies/`, so its relative paths
// resolve as they do in the app.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const CLI = process.env.CUTOFF_BIN ?? 'target/debug/cutoff';

/** The totals JSON of `cutoff simulate` for a scenario file. */
export function cliTotals(scenario, asOf) {
  const out = join(mkdtempSync(join(tmpdir(), 'cutoff-e2e-')), 'totals.json');
  const args = ['simulate', scenario, '--totals', out];
  if (asOf) args.push('--as-of', asOf);
  execFileSync(CLI, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  return JSON.parse(readFileSync(out, 'utf8'));
}

/** The totals for scenario text as if it were the file `policies/<path>`. */
export function cliTotalsForText(path, text, asOf) {
  const root = mkdtempSync(join(tmpdir(), 'cutoff-policies-'));
  cpSync('policies', root, { recursive: true });
  const file = join(root, path);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  return cliTotals(file, asOf);
}

/** Every `total-*` and `people-*` cell's data-value on the page, sorted. */
export async function appTotals(page) {
  const cells = await page.$$eval('[data-testid^="total-"], [data-testid^="people-"]', (cs) =>
    cs.map((c) => [c.dataset.testid, Number(c.dataset.value)]));
  return cells.sort();
}

/** The same cells from a totals JSON, sorted. */
export function expectedCells(totals) {
  const cells = [];
  for (const [segment, outcomes] of Object.entries(totals.by_segment)) {
    for (const [outcome, weight] of Object.entries(outcomes)) cells.push([`total-${segment}-${outcome}`, weight]);
  }
  for (const [segment, people] of Object.entries(totals.people)) cells.push([`people-${segment}`, people.lose_any]);
  return cells.sort();
}

/**
 * `cutoff story` on story text as if it were the file `policies/stories/<name>`: its exit
 * code, its check (`verified`, `changed`, `unpublished`) and every bound number as the CLI
 * prints it, by `STEP:KEY`.
 */
export function cliStory(name, text) {
  const root = mkdtempSync(join(tmpdir(), 'cutoff-policies-'));
  cpSync('policies', root, { recursive: true });
  const file = join(root, 'stories', name);
  writeFileSync(file, text);
  let stdout;
  let code = 0;
  try {
    stdout = execFileSync(CLI, ['story', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    stdout = e.stdout;
    code = e.status;
  }
  const numbers = {};
  let step = 0;
  for (const line of stdout.split('\n')) {
    const header = line.match(/^step (\d+) /);
    if (header) step = Number(header[1]);
    const number = line.match(/^ {2}\{([^}]+)\} = (.+)$/);
    if (number) numbers[`${step}:${number[1]}`] = number[2];
  }
  return { code, check: stdout.match(/^check: (\w+)$/m)?.[1], numbers };
}

/** The JSON of `cutoff diff A B` for two scenario files (throws if the command fails). */
export function cliDiff(a, b) {
  const out = join(mkdtempSync(join(tmpdir(), 'cutoff-diff-')), 'diff.json');
  execFileSync(CLI, ['diff', a, b, '--json', out], { stdio: ['ignore', 'ignore', 'inherit'] });
  return JSON.parse(readFileSync(out, 'utf8'));
}
