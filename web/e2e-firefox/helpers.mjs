// Shared helpers of the Firefox browser tests: Debian's firefox-esr driven by puppeteer-core
// over WebDriver BiDi (no geckodriver, never a downloaded browser), the server under test
// from BASE_URL, and reading xterm's buffer. The Chromium suite (web/e2e/) has its own
// helpers on playwright-core; these mirror them so the assertions read the same.

import { mkdirSync } from 'node:fs';
import puppeteer from 'puppeteer-core';

/** The server under test, e.g. `http://127.0.0.1:41234/` (set by `cargo xtask test`). */
export function baseUrl() {
  const url = process.env.BASE_URL;
  if (!url) {
    throw new Error('BASE_URL is not set: run the browser tests through `cargo xtask e2e`, or start the server and set BASE_URL');
  }
  return url.endsWith('/') ? url : `${url}/`;
}

/**
 * Firefox, headless, with a fresh temporary profile (puppeteer creates one per launch and
 * deletes it on close). `--no-remote` keeps it from handing the launch to another running
 * Firefox; MOZ_HEADLESS covers anything Firefox starts before it reads its arguments.
 */
export async function launchBrowser() {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr',
    headless: true,
    args: ['--no-remote'],
    env: { ...process.env, MOZ_HEADLESS: '1' },
    extraPrefsFirefox: {
      // Like the Chromium suite's `locale: 'ko-KR'`: what a Korean student's browser asks for.
      'intl.accept_languages': 'ko-KR, ko',
      // Nothing in the lab needs the network beyond the server under test.
      'network.captive-portal-service.enabled': false,
      'browser.safebrowsing.update.enabled': false,
    },
    protocolTimeout: 60_000,
  });
}

/**
 * A page in its own browser context (its own storage, like a fresh profile) that collects
 * uncaught errors, console errors and failed requests, so a broken page is never mistaken
 * for a slow one.
 * @param {import('puppeteer-core').Browser} browser
 */
export async function newPage(browser, { width = 1400, height = 900 } = {}) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({ width, height });
  // A wait that is going to fail should fail well before the suite's budget runs out.
  page.setDefaultTimeout(10_000);
  const problems = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('response', (response) => {
    // The browser asks for /favicon.ico on its own; the site does not have to serve one.
    if (response.status() >= 400 && new URL(response.url()).pathname !== '/favicon.ico') {
      problems.push(`HTTP ${response.status()}: ${response.url()}`);
    }
  });
  return { page, problems, close: () => context.close() };
}

/**
 * The lesson slugs linked from the index page, in page order.
 * @param {import('puppeteer-core').Page} page
 */
export async function lessonSlugs(page) {
  await page.goto(baseUrl());
  const hrefs = await page.$$eval('a[href*="lessons/"]', (links) => links.map((a) => a.getAttribute('href') ?? ''));
  const slugs = hrefs.map((href) => /lessons\/([^/?#]+)/.exec(href)?.[1]).filter(Boolean);
  return [...new Set(slugs)];
}

/** The first lesson whose page has an element matching `selector`. */
export async function lessonWith(page, selector) {
  for (const slug of await lessonSlugs(page)) {
    await page.goto(`${baseUrl()}lessons/${slug}`);
    if ((await page.$(selector)) !== null) return slug;
  }
  throw new Error(`no lesson page contains ${selector}`);
}

/** Opens a lesson and waits until its terminal accepts input. */
export async function openLesson(page, slug) {
  await page.goto(`${baseUrl()}lessons/${slug}`);
  await waitForReady(page);
}

/** Waits until the lab says its terminal accepts input (after a goto or a reload). */
export async function waitForReady(page) {
  await page.waitForSelector('#lab[data-state="ready"]', { timeout: 20_000 });
}

/**
 * The terminal's text, one string per buffer row (wrapped rows stay separate), right-trimmed.
 * @param {import('puppeteer-core').Page} page
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

/**
 * Polls `read` until `done(value)` holds, and fails with `describe(value)` when it never
 * does: a wait for a condition, never a fixed sleep.
 */
async function until(read, done, describe, timeout) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(describe(value));
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Waits until some terminal row satisfies `pattern` (a string to include, or a RegExp). */
export async function waitForTerminal(page, pattern, timeout = 10_000) {
  return until(
    () => terminalLines(page),
    (lines) => lines.some((line) => (typeof pattern === 'string' ? line.includes(pattern) : pattern.test(line))),
    (lines) => `terminal never showed ${pattern}; it shows:\n${lines.join('\n')}`,
    timeout,
  );
}

/**
 * Waits until the terminal's last rows equal `expected` (xterm applies writes
 * asynchronously, so a read right after a key press can see the previous frame).
 * @param {string[]} expected
 */
export async function waitForLastLines(page, expected, timeout = 10_000) {
  return until(
    () => terminalLines(page),
    (lines) => JSON.stringify(lines.slice(-expected.length)) === JSON.stringify(expected),
    (lines) => `terminal ends with ${JSON.stringify(lines.slice(-expected.length))}, expected ${JSON.stringify(expected)}`,
    timeout,
  );
}

/** Records every line the terminal submits (with its result) into `window.__executed`. */
export async function recordExecuted(page) {
  return page.evaluate(() => {
    if (window.__executed === undefined) {
      window.__executed = [];
      window.__netlab.terminal.onExec((line, result) => window.__executed.push({ line, exitCode: result.exitCode, traces: result.traces.length }));
    }
    return window.__executed.length;
  });
}

/**
 * Types `line` into the terminal, presses Enter and waits until the simulator has answered
 * (the terminal reports every executed line to its listeners).
 * @param {import('puppeteer-core').Page} page
 */
export async function typeLine(page, line) {
  const before = await recordExecuted(page);
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
  await page.waitForFunction((n) => window.__executed.length > n, { timeout: 10_000 }, before);
}

/** The page's `selector` text content (or null when nothing matches). */
export async function textOf(page, selector) {
  return page.$eval(selector, (element) => element.textContent).catch(() => null);
}

/** Saves a screenshot under web/e2e-firefox/screenshots/ (gitignored). */
export async function screenshot(page, name) {
  const dir = new URL('./screenshots/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, dir).pathname });
}
