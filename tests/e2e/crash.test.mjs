// No blank page: a forced failure shows what happened, offers the last scenario, and a
// reload carries on from it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { start, ARTIFACTS } from './browser.mjs';

let app;
before(async () => { app = await start(); });
after(async () => { await app?.close(); });

test('a failure keeps the work and the reader can carry on', async () => {
  const { page, problems } = await app.open();
  await page.selectOption('[data-testid="response"]', { label: 'Geofence: block accounts outside the U.S.' });
  await page.waitForFunction(() => document.querySelector('[data-testid="editor"]').value.includes('title = "Geofence'));
  const text = await page.inputValue('[data-testid="editor"]');
  await page.evaluate(async () => {
    const module = await import('./cutoff-web.js');
    try { module.crashForTest(); } catch { /* the module traps after the hook has run */ }
  });
  const notice = page.locator('[data-testid="crash"]');
  await notice.waitFor();
  assert.match(await notice.textContent(), /Cutoff stopped working on this page[\s\S]*a test asked Cutoff to fail/);
  assert.deepEqual(problems.filter((p) => !p.includes('a test asked Cutoff to fail') && !p.includes('unreachable')), []);
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="crash-export"]')]);
  assert.equal(readFileSync(await file.path(), 'utf8'), text);
  await page.screenshot({ path: `${ARTIFACTS}/crash.png` });
  await page.click('[data-testid="crash-reload"]');
  await page.waitForSelector('[data-testid="headline"]');
  assert.equal(await page.inputValue('[data-testid="editor"]'), text);
  assert.equal(await page.locator('[data-testid="crash"]').count(), 0);
  await page.close();
});

test('a browser that blocks the site\'s storage still runs the app, and says the work is not kept', async () => {
  // As when the reader blocks storage for the site: reading `localStorage` throws.
  const blocked = () => Object.defineProperty(window, 'localStorage', {
    get() { throw new DOMException('The operation is insecure.', 'SecurityError'); },
  });
  const { page, problems } = await app.open('', { init: blocked });
  await page.waitForSelector('[data-testid="headline"]');
  await page.selectOption('[data-testid="response"]', { label: 'Geofence: block accounts outside the U.S.' });
  const notice = page.locator('[data-testid="notice"]');
  await notice.waitFor();
  assert.match(await notice.textContent(), /Your work could not be saved in this browser \(this browser does not let the page keep anything\); it is kept in this page only/);
  await page.waitForFunction(() => document.querySelector('[data-testid="editor"]').value.includes('title = "Geofence'));
  assert.equal(await page.locator('[data-testid="crash"]').count(), 0);
  assert.deepEqual(problems, []);
  await page.close();
});
