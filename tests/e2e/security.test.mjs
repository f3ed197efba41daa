// Hostile text never runs: script-injection payloads in every field a scenario has end up as
// text, and the page has a Content-Security-Policy that allows no inline or remote script
// beyond Trunk's loader.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start } from './browser.mjs';

let app;
before(async () => { app = await start(); });
after(async () => { await app?.close(); });

const PAYLOADS = [
  '<script>window.__pwned = 1</script>',
  '<img src=x onerror="window.__pwned = 2">',
  '"><svg onload="window.__pwned = 3">',
  "javascript:window.__pwned = 4",
  '{{ __pwned }}<iframe src="javascript:parent.__pwned = 5"></iframe>',
];

function hostileScenario(payload) {
  const toml = JSON.stringify(payload); // a valid TOML basic string for these payloads
  const csvField = `"${payload.replaceAll('"', '""')}"`;
  return `title = ${toml}
description = ${toml}
sources = [${toml}]
as_of = 2026-11-21

[[products]]
id = "p"
name = ${toml}

[[directive]]
id = "d"
title = ${toml}
products = ["*"]
[[directive.rules]]
effect = "deny"
when = 'team == ${JSON.stringify(payload)}'
note = ${toml}

[population]
csv = '''
id,segment,nationality,residence,status,products,label,team,sector
${csvField},customer,DE,DE,foreign_national,p,${csvField},${csvField},${csvField}
'''
`;
}

test('the page carries a strict Content-Security-Policy', async () => {
  const { page } = await app.open();
  const policy = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.match(policy, /default-src 'self'/);
  // Exactly the page's two inline scripts, by hash: the opening check and Trunk's loader.
  const hashes = policy.match(/script-src 'self' 'wasm-unsafe-eval'((?: 'sha256-[A-Za-z0-9+/=]+')+)(;|$)/)?.[1].trim().split(' ');
  assert.equal(hashes?.length, 2, policy);
  assert.equal(await page.locator('script:not([src])').count(), 2);
  assert.doesNotMatch(policy, /script-src[^;]*'unsafe-inline'/);
  assert.match(policy, /object-src 'none'/);
  await page.close();
});

test('script-injection payloads in every field are shown as text and never run', async () => {
  for (const payload of PAYLOADS) {
    const { page, problems, foreign } = await app.open();
    await page.setInputFiles('[data-testid="import"]', { name: 'hostile.toml', mimeType: 'text/plain', buffer: Buffer.from(hostileScenario(payload)) });
    await page.waitForFunction((p) => document.querySelector('.results h2')?.textContent === p, payload);
    // Open everything that shows user text: the explorer's why panel, the builder, the map table.
    await page.click('.why-button');
    await page.waitForSelector('[data-testid="why"]');
    await page.click('[data-testid="builder"] summary');
    assert.equal(await page.evaluate(() => window.__pwned), undefined, payload);
    assert.equal(await page.locator('img[src="x"], svg[onload], iframe[src^="javascript"], body script:not([src]):not([type])').count(), 0, payload);
    assert.ok((await page.textContent('body')).includes(payload), 'the payload is shown as text');
    // The same payloads arriving through a link.
    await page.click('[data-testid="make-link"]');
    const link = await page.inputValue('[data-testid="share-link"]');
    const linked = await app.open(link.slice(app.url.length));
    await linked.page.waitForFunction((p) => document.querySelector('.results h2')?.textContent === p, payload);
    assert.equal(await linked.page.evaluate(() => window.__pwned), undefined, payload);
    assert.equal(await linked.page.locator('img[src="x"], svg[onload], iframe[src^="javascript"]').count(), 0, payload);
    assert.deepEqual(linked.problems, []);
    await linked.page.close();
    assert.deepEqual(foreign, []);
    assert.deepEqual(problems.filter((p) => !p.includes('favicon')), [], payload);
    await page.close();
  }
});
