// The lab's YAML editor: `vi FILE` opens it, Ctrl+S saves into the simulated home directory
// (so the shell sees the file), and an exercise can be submitted from it.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { launchBrowser, lessonSlugs, newPage, openLesson, screenshot, terminalLines } from './helpers.mjs';

/** @type {import('playwright-core').Browser} */
let browser;
let slug;

before(async () => {
  browser = await launchBrowser();
  const { page } = await newPage(browser);
  for (const candidate of await lessonSlugs(page)) {
    await openLesson(page, candidate);
    if ((await page.$('section.exercise[data-exercise-id="ns-blue"]')) !== null) {
      slug = candidate;
      break;
    }
  }
  await page.context().close();
  assert.ok(slug, 'a lesson contains the ns-blue exercise');
});

after(async () => {
  await browser?.close();
});

test('vi opens the editor, Ctrl+S saves the file into the simulator, Escape returns to the terminal', async () => {
  const { page, problems } = await newPage(browser);
  await openLesson(page, slug);
  await page.click('#terminal');
  await page.keyboard.type('vi ns.yaml');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.lab-editor:not([hidden]) .cm-content');
  assert.equal(await page.textContent('.editor-path'), '~/ns.yaml');

  await page.keyboard.type('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: blue');
  assert.equal(await page.textContent('.editor-path'), '~/ns.yaml (저장 안 됨)');
  await page.keyboard.press('Control+s');
  assert.equal(await page.textContent('.editor-path'), '~/ns.yaml');
  assert.equal(
    await page.evaluate(() => window.__netlab.lab.readFile('ns.yaml')),
    'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: blue',
  );
  await screenshot(page, 'editor');

  await page.keyboard.press('Escape');
  assert.equal(await page.isHidden('.lab-editor'), true);
  const lines = await terminalLines(page);
  assert.equal(lines[lines.length - 1], 'user@master:~$ ', 'vi left no output behind');
  assert.deepEqual(problems, []);
  await page.context().close();
});

test('an exercise can be submitted from the editor and its result shows under the exercise', async () => {
  const { page, problems } = await newPage(browser);
  await openLesson(page, slug);
  await page.evaluate(() => window.__netlab.lab.writeFile('blue.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: blue\n'));
  await page.click('#terminal');
  await page.keyboard.type('vi blue.yaml');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.lab-editor:not([hidden])');
  await page.selectOption('.editor-exercise', 'ns-blue');
  await page.click('.editor-submit');
  const section = 'section.exercise[data-exercise-id="ns-blue"]';
  await page.waitForSelector(`${section} .exercise-result[data-status]:not([aria-busy])`);
  assert.equal(await page.getAttribute(`${section} .exercise-result`, 'data-status'), 'pass');
  assert.equal(await page.inputValue(`${section} textarea.exercise-answer`), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: blue\n');
  assert.deepEqual(problems, []);
  await page.context().close();
});
