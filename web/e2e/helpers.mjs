// Shared helpers of the browser tests: Debian's chromium through playwright-core (never a
// downloaded browser), the server under test from BASE_URL, and reading xterm's buffer.

import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

/** The server under test, e.g. `http://127.0.0.1:41234/` (set by `cargo xtask test`). */
export function baseUrl() {
  const url = process.env.BASE_URL;
  if (!url) {
    throw new Error('BASE_URL is not set: run the browser tests through `cargo xtask test`, or start the server and set BASE_URL');
  }
  return url.endsWith('/') ? url : `${url}/`;
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/**
 * A page that collects uncaught errors, console errors (a CSP violation, a wasm that does
 * not instantiate) and failed requests, so a broken page is never mistaken for a slow one.
 * @param {import('playwright-core').Browser} browser
 */
export async function newPage(browser, { width = 1400, height = 900 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'ko-KR' });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // A failed request is reported below with its URL; the console's copy has none.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      problems.push(`console: ${message.text()}`);
    }
  });
  page.on('response', (response) => {
    // The browser asks for /favicon.ico on its own; the site does not have to serve one.
    if (response.status() >= 400 && new URL(response.url()).pathname !== '/favicon.ico') {
      problems.push(`HTTP ${response.status()}: ${response.url()}`);
    }
  });
  return { page, problems };
}

/**
 * The lesson slugs linked from the index page, in page order.
 * @param {import('playwright-core').Page} page
 */
export async function lessonSlugs(page) {
  await page.goto(baseUrl());
  const hrefs = await page.$$eval('a[href*="lessons/"]', (links) => links.map((a) => a.getAttribute('href') ?? ''));
  const slugs = hrefs.map((href) => /lessons\/([^/?#]+)/.exec(href)?.[1]).filter(Boolean);
  return [...new Set(slugs)];
}

/** Opens a lesson and waits until its terminal accepts input. */
export async function openLesson(page, slug) {
  await page.goto(`${baseUrl()}lessons/${slug}`);
  await page.waitForSelector('#lab[data-state="ready"]', { timeout: 20_000 });
}

/**
 * The terminal's text, one string per buffer row (wrapped rows stay separate), right-trimmed.
 * @param {import('playwright-core').Page} page
 */
export async function terminalLines(page) {
  return page.evaluate(async () => {
    // xterm parses writes asynchronously; an empty write's callback runs after every
    // earlier write has reached the buffer, so the rows read below are the whole output.
    await new Promise((resolve) => window.__netlab.term.write('', resolve));
    const buffer = window.__netlab.term.buffer.active;
    const lines = [];
    for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i)?.translateToString(true) ?? '');
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return lines;
  });
}

/** Waits until some terminal row satisfies `predicate` (a string to include, or a RegExp). */
export async function waitForTerminal(page, pattern, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const lines = await terminalLines(page);
    const hit = lines.some((line) => (typeof pattern === 'string' ? line.includes(pattern) : pattern.test(line)));
    if (hit) return lines;
    if (Date.now() > deadline) {
      throw new Error(`terminal never showed ${pattern}; it shows:\n${lines.join('\n')}`);
    }
    await page.waitForTimeout(50);
  }
}

/** Saves a screenshot under web/e2e/screenshots/ (gitignored). */
export async function screenshot(page, name) {
  const dir = new URL('./screenshots/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, dir).pathname, fullPage: false });
}

/**
 * Types `line` into the terminal, presses Enter and waits until the simulator has answered
 * (the terminal reports every executed line to its listeners).
 * @param {import('playwright-core').Page} page
 */
export async function typeLine(page, line) {
  const before = await page.evaluate(() => {
    if (window.__executed === undefined) {
      window.__executed = [];
      window.__netlab.terminal.onExec((executed) => window.__executed.push(executed));
    }
    return window.__executed.length;
  });
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
  await page.waitForFunction((n) => window.__executed.length > n, before);
}

/**
 * Waits until the terminal's last rows equal `expected` (xterm applies writes
 * asynchronously, so a read right after a key press can see the previous frame).
 * @param {import('playwright-core').Page} page
 * @param {string[]} expected
 */
export async function waitForLastLines(page, expected, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const lines = await terminalLines(page);
    const tail = lines.slice(-expected.length);
    if (JSON.stringify(tail) === JSON.stringify(expected)) return lines;
    if (Date.now() > deadline) {
      throw new Error(`terminal ends with ${JSON.stringify(tail)}, expected ${JSON.stringify(expected)}`);
    }
    await page.waitForTimeout(25);
  }
}
