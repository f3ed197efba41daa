// The static build from a sub-path, and the embed view that "Copy embed code" produces.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { start } from './browser.mjs';

const apps = [];
after(async () => { for (const app of apps) await app.close(); });

test('the build works from a sub-path of a static host', async () => {
  const app = await start({ prefix: '/project/cutoff/' });
  apps.push(app);
  const { page, problems, foreign } = await app.open();
  assert.match(app.url, /\/project\/cutoff\/$/);
  assert.match(await page.textContent('[data-testid="headline"]'), /lose access/);
  assert.deepEqual(problems, []);
  assert.deepEqual(foreign, []);
  await page.close();
});

test('the embed view shows the chosen charts and reader controls, and works from a sub-path', async () => {
  const app = await start({ prefix: '/explainers/cutoff/' });
  apps.push(app);
  const { page, problems } = await app.open();
  const option = page.locator('[data-testid="preset"] option[data-path="friday-letter/offline-for-everyone.scenario.toml"]');
  await page.selectOption('[data-testid="preset"]', await option.getAttribute('value'));
  await page.click('[data-testid="make-embed"]');
  const code = await page.inputValue('[data-testid="embed-code"]');
  const src = code.match(/src="([^"]+)"/)[1];
  assert.ok(src.startsWith(app.url + '?embed=headline,matrix,units&controls=response#s=2.'), src);
  assert.match(code, /^<iframe .*title="Cutoff: Friday letter: the provider takes both models offline for everyone"/);

  assert.match(code, /^<iframe data-cutoff src=/);
  assert.match(code, /<script>addEventListener\("message"/);

  // Pasted into another page (a blank one: the app's own pages forbid inline scripts),
  // the frame takes the height its content reports.
  const hostPage = await app.blank();
  const hostProblems = [];
  hostPage.on('pageerror', (e) => hostProblems.push(e.message));
  await hostPage.setContent(`<!doctype html><title>Host</title><body>${code}</body>`);
  const frame = hostPage.locator('iframe[data-cutoff]');
  const framed = await (await frame.elementHandle()).contentFrame();
  await framed.waitForSelector('[data-testid="headline"]');
  await hostPage.waitForFunction(() => document.querySelector('iframe[data-cutoff]').style.height !== '');
  const content = await framed.evaluate(() => document.body.scrollHeight);
  await hostPage.waitForFunction((h) => document.querySelector('iframe[data-cutoff]').style.height === `${h}px`, content);
  assert.notEqual(content, 720, 'the content is not exactly the default height');
  // When the content grows, the frame follows.
  await framed.evaluate(() => { document.body.insertAdjacentHTML('beforeend', '<div id="grown" style="height:400px"></div>'); });
  await hostPage.waitForFunction((h) => document.querySelector('iframe[data-cutoff]').style.height === `${h + 400}px`, content);
  assert.deepEqual(hostProblems, []);
  await hostPage.close();
  await page.close();

  const embed = await app.open(src.slice(app.url.length));
  const p = embed.page;
  await p.waitForSelector('[data-testid="embed"]');
  assert.equal(await p.locator('[data-testid="editor"]').count(), 0, 'no editor in an embed');
  assert.match(await p.textContent('[data-testid="headline"]'), /184,076 of the 184,076 people and organisations who had access lose access/);
  assert.ok(Number(await p.getAttribute('[data-testid="matrix-allowed-blocked"]', 'data-value')) > 0);
  assert.equal(await p.locator('.unit-chart').count(), 1);
  await p.selectOption('[data-testid="response"]', { label: 'Follows the law exactly' });
  await p.waitForFunction(() => document.querySelector('[data-testid="matrix-allowed-blocked"]')?.dataset.value === '0');
  assert.deepEqual([...problems, ...embed.problems], []);
  await p.close();

  const byPreset = await app.open('?embed=headline,map&preset=campus%2Fcampus.scenario.toml');
  await byPreset.page.waitForSelector('[data-testid="map"]');
  assert.match(await byPreset.page.textContent('[data-testid="headline"]'), /49 of 725 people and organisations lose access/);
  await byPreset.page.close();
});
