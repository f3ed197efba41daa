// Launches Debian's Chromium through playwright-core, and opens the app while recording
// console errors, page errors and every request that leaves the page's origin.
import { chromium } from 'playwright-core';
import { mkdir } from 'node:fs/promises';
import { serve } from './server.mjs';

export const ARTIFACTS = 'target/e2e-artifacts';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Starts the server and the browser; returns helpers and a `close`. */
export async function start({ prefix = '/' } = {}) {
  const dist = process.env.DIST ?? 'dist';
  const server = await serve(dist, prefix);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  await mkdir(ARTIFACTS, { recursive: true });
  return {
    url: server.url,
    /** Opens a new page on the app and waits for the first results. */
    async open(path = '', { init } = {}) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
      const problems = [];
      const foreign = [];
      const origin = new URL(server.url).origin;
      page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('request', (r) => {
        const url = r.url();
        if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) foreign.push(url);
      });
      if (init) await page.addInitScript(init);
      await page.goto(server.url + path);
      await page.waitForSelector('[data-testid="preset"], [data-testid="embed"], [data-testid="story"], [data-testid="notice"], [data-testid="api-output"], [data-testid="bench"]');
      return { page, problems, foreign };
    },
    /** A blank page of another site: a host for embeds, without the app's policies. */
    async blank() {
      return browser.newPage({ viewport: { width: 1280, height: 900 } });
    },
    /** A blank page in a browser context with JavaScript turned off. */
    async withoutScripts() {
      const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
      return context.newPage();
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** Opens the shipped scenario at `path` (under `policies/`) and waits for its results. */
export async function choosePreset(page, path) {
  const option = page.locator(`[data-testid="preset"] option[data-path="${path}"]`);
  const title = await option.textContent();
  await page.selectOption('[data-testid="preset"]', await option.getAttribute('value'));
  await page.waitForFunction((t) => document.querySelector('.results h2')?.textContent === t, title);
  await drawn(page);
}

/** Waits until the charts drawn a task after the numbers (the map, the unit chart's marks) are drawn. */
export async function drawn(page) {
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
}

/**
 * Waits until the page has finished opening, or a new scenario has settled: the parts
 * below the first screen drawn, no chart waiting to draw, and the analyst views' answers
 * in (their worker takes one of the two cores while it works them out).
 */
export async function opened(page) {
  await page.waitForSelector('[data-testid="explorer"]', { state: 'attached' });
  await page.waitForSelector('[data-testid="story-editor"]', { state: 'attached' });
  await page.waitForSelector('[data-testid="map"] path', { state: 'attached' });
  await drawn(page);
  for (const view of ['range', 'sweep', 'days']) {
    await page.waitForSelector(`[data-testid="${view}"][data-busy="false"]`, { state: 'attached', timeout: 120_000 });
  }
}
