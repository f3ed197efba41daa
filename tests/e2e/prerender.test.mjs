// The page arrives with the default scenario's first screen, drawn when the app was built:
// the same numbers the app then works out, shown before the WebAssembly has arrived, and
// replaced by the app without a frame in between. A link or the reader's own autosave opens
// something else, so the built screen stays hidden for them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start } from './browser.mjs';

let app;
before(async () => { app = await start(); });
after(async () => { await app?.close(); });

/** A page on which the app's WebAssembly never arrives, opened at `path`. */
async function withoutWasm(path = '', init) {
  const page = await app.blank();
  await page.route('**/cutoff-web_bg.wasm', (route) => route.abort());
  if (init) await page.addInitScript(init);
  await page.goto(app.url + path);
  return page;
}

const builtHeadline = (page) => page.locator('#prerendered .headline');

test('before the app starts, the page shows the default scenario\'s results as the app works them out', async () => {
  const page = await withoutWasm();
  const headline = builtHeadline(page);
  await headline.waitFor();
  const built = await headline.textContent();
  assert.match(built, /^[\d,]+ of the [\d,]+ people and organisations who had access lose access to Fable 5 or Mythos 5/);
  const totals = await page.$$eval('#prerendered .totals td', (cells) => cells.map((c) => c.textContent));
  assert.ok(totals.length > 10, `the totals table is drawn: ${totals}`);
  // The named saves are the reader's, not the built page's: their count is not shown.
  assert.equal(await page.isVisible('#prerendered .saved-count'), false);
  // The built screen is inert, busy and carries none of the app's test hooks.
  assert.deepEqual(await page.$eval('#prerendered', (e) => [e.inert, e.getAttribute('aria-busy'), e.querySelectorAll('[data-testid]').length]), [true, 'true', 0]);
  // The app could not start here, and the page says so.
  const status = page.locator('#prerendered .prerendered-status');
  await page.waitForFunction(() => document.documentElement.dataset.start === 'failed');
  assert.match(await status.innerText(), /The simulator could not start in this browser/);
  await page.close();

  // The app, once it starts, shows the same headline and totals, and the built screen is gone.
  const opened = await app.open();
  const live = opened.page;
  assert.equal(await live.textContent('[data-testid="headline"]'), built);
  assert.deepEqual(await live.$$eval('.results .totals td', (cells) => cells.map((c) => c.textContent)).then((t) => t.slice(0, totals.length)), totals);
  assert.equal(await live.locator('#prerendered').count(), 0);
  const ids = await live.$$eval('[id]', (es) => es.map((e) => e.id));
  assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), [], 'no id twice');
  assert.deepEqual(opened.problems, []);
  await live.close();
});

test('without JavaScript, the built screen says the simulator cannot start', async () => {
  const page = await app.withoutScripts();
  await page.goto(app.url);
  await builtHeadline(page).waitFor();
  assert.match(await page.innerText('#prerendered .prerendered-status'), /^The simulator could not start in this browser/);
  assert.match(await page.innerText('body'), /Cutoff needs JavaScript and WebAssembly/);
  await page.context().close();
});

test('the app replaces the built screen with no frame in between', async () => {
  // Every animation frame from the first: whether the page had a headline in it.
  const watch = () => {
    window.cutoffFrames = [];
    const frame = () => {
      window.cutoffFrames.push({
        built: !!document.querySelector('#prerendered .headline'),
        app: !!document.querySelector('[data-testid="headline"]'),
      });
      if (!document.querySelector('[data-testid="headline"]')) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  };
  const { page, problems } = await app.open('', { init: `(${watch})();` });
  await page.waitForFunction(() => window.cutoffFrames.at(-1)?.app);
  const frames = await page.evaluate(() => window.cutoffFrames);
  assert.ok(frames.some((f) => f.built), `no frame with the built screen: ${JSON.stringify(frames)}`);
  assert.deepEqual(frames.filter((f) => f.built === f.app), [], `a frame with neither headline or both: ${JSON.stringify(frames)}`);
  assert.deepEqual(frames.at(-1), { built: false, app: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('a link or the reader\'s autosave hides the built screen, and the default document is not autosaved', async () => {
  for (const [path, init] of [['#s=anything', undefined], ['?embed=matrix', undefined], ['', 'localStorage.setItem("cutoff.autosave", "{}")']]) {
    const page = await withoutWasm(path, init);
    await page.waitForSelector('#prerendered', { state: 'attached' });
    assert.equal(await page.isVisible('#prerendered .headline'), false, `the built screen shows for ${path || init}`);
    await page.close();
  }
  // An edit is autosaved; undoing it returns to the default document, which is not.
  const { page, problems } = await app.open();
  const saved = () => page.evaluate(() => localStorage.getItem('cutoff.autosave'));
  assert.equal(await saved(), null);
  await page.selectOption('[data-testid="response"]', { label: 'Geofence: block accounts outside the U.S.' });
  await page.waitForFunction(() => localStorage.getItem('cutoff.autosave')?.includes('Geofence'));
  await page.click('[data-testid="undo"]');
  await page.waitForFunction(() => localStorage.getItem('cutoff.autosave') === null);
  assert.deepEqual(problems, []);
  await page.close();
});
