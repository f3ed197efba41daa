// Measures the release build in headless Chromium: time from navigation to the first
// results, and from a change of response to the new results, for the default population.
// usage: DIST=target/e2e-dist node scripts/measure_app.mjs
import { start } from '../tests/e2e/browser.mjs';

const app = await start();
const firsts = [];
const changes = [];
for (let i = 0; i < 5; i++) {
  const { page } = await app.open();
  const first = await page.evaluate(() => performance.getEntriesByType('navigation')[0]?.startTime ?? 0);
  await page.waitForSelector('[data-testid="headline"]');
  firsts.push(await page.evaluate((t0) => performance.now() - t0, first));
  const before = await page.getAttribute('[data-testid="total-customer-collateral"]', 'data-value');
  const t = await page.evaluate(() => performance.now());
  await page.selectOption('[data-testid="response"]', { label: 'Follows the law exactly' });
  await page.waitForFunction((b) => document.querySelector('[data-testid="total-customer-collateral"]')?.dataset.value !== b, before);
  changes.push(await page.evaluate((t0) => performance.now() - t0, t));
  await page.close();
}
await app.close();
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`first_results_ms=${median(firsts).toFixed(0)}`);
console.log(`response_change_to_results_ms=${median(changes).toFixed(0)}`);
