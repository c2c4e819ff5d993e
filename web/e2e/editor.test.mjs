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

test('the editor marks YAML errors with kubectl’s message on the right line, and warns on a missing ---', async () => {
  const { page, problems } = await newPage(browser);
  await openLesson(page, slug);
  // Two objects appended without a `---` between them: the Service's keys replace the
  // Deployment's, which kubectl does without a word; then a broken second document.
  await page.evaluate(() =>
    window.__netlab.lab.writeFile(
      'broken.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: [blue\n',
    ),
  );
  await page.click('#terminal');
  await page.keyboard.type('vi broken.yaml');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.lab-editor:not([hidden]) .cm-lintRange-error', { timeout: 10_000 });
  // The lint panel lists every diagnostic as text (Ctrl+Shift+M, CodeMirror's default key).
  await page.click('.cm-content');
  await page.keyboard.press('Control+Shift+KeyM');
  await page.waitForSelector('.cm-panel-lint li');
  const messages = await page.$$eval('.cm-panel.cm-panel-lint li', (items) => items.map((item) => item.textContent ?? ''));
  assert.ok(messages.some((m) => m.startsWith('apiVersion 키가 1번째 줄에도 있습니다')), messages.join('\n'));
  const error = messages.find((m) => m.startsWith('error parsing broken.yaml: error converting YAML to JSON: yaml: line'));
  assert.ok(error, messages.join('\n'));
  const errorLine = await page.$eval('.cm-lintRange-error', (range) => {
    const line = range.closest('.cm-line');
    return [...document.querySelectorAll('.cm-content .cm-line')].indexOf(line) + 1;
  });
  assert.equal(errorLine, 13, 'the error is on `name: [blue`, line 13 of the file (line 4 of its document)');
  await screenshot(page, 'editor-diagnostics');
  assert.deepEqual(problems, []);
  await page.context().close();
});
