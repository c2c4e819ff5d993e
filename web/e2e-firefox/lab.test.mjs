// The lab around the terminal, in headless Firefox: an exercise graded by the server shows
// its verdict and checks, a reload restores the saved lab, and the YAML editor opens from
// `vi`, saves with Ctrl+S (not Firefox's "Save Page As") and submits an exercise.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  launchBrowser,
  lessonWith,
  newPage,
  openLesson,
  recordExecuted,
  screenshot,
  terminalLines,
  textOf,
  typeLine,
  waitForLastLines,
  waitForReady,
  waitForTerminal,
} from './helpers.mjs';

const EXERCISE = 'ns-blue';
const SECTION = `section.exercise[data-exercise-id="${EXERCISE}"]`;
const BLUE = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: blue\n';

/** @type {import('puppeteer-core').Browser} */
let browser;
/** The lesson that contains the exercise. */
let slug;

before(async () => {
  browser = await launchBrowser();
  const { page, close } = await newPage(browser);
  slug = await lessonWith(page, SECTION);
  await close();
});

after(async () => {
  await browser?.close();
});

/** Waits for the exercise's graded result and returns it as the student sees it. */
async function gradedResult(page) {
  await page.waitForSelector(`${SECTION} .exercise-result[data-status]:not([aria-busy])`, { timeout: 15_000 });
  return page.$eval(`${SECTION} .exercise-result`, (result) => ({
    status: result.getAttribute('data-status'),
    verdict: result.querySelector('.exercise-verdict')?.textContent ?? '',
    checks: [...result.querySelectorAll('.exercise-check')].map((check) => ({
      status: [...check.classList].find((c) => c.startsWith('check-'))?.slice('check-'.length),
      text: check.textContent ?? '',
    })),
  }));
}

/** Types `yaml` into the exercise's answer box (as keys, like a student) and submits it. */
async function submit(page, yaml) {
  await page.$eval(`${SECTION} textarea.exercise-answer`, (answer) => {
    answer.value = '';
  });
  await page.click(`${SECTION} textarea.exercise-answer`);
  await page.keyboard.type(yaml);
  await page.click(`${SECTION} button.exercise-submit`);
  return gradedResult(page);
}

test('the correct YAML passes and every check shows 통과', async () => {
  const { page, problems, close } = await newPage(browser);
  await openLesson(page, slug);
  const result = await submit(page, BLUE);
  assert.equal(result.status, 'pass');
  assert.match(result.verdict, /^통과/);
  assert.ok(result.checks.length > 0, 'the report lists its checks');
  assert.ok(result.checks.every((check) => check.status === 'pass'), JSON.stringify(result.checks));
  assert.equal(await page.$eval(`${SECTION} textarea.exercise-answer`, (answer) => answer.value), BLUE, 'typed text arrived as typed');
  await page.$eval(SECTION, (section) => section.scrollIntoView());
  await screenshot(page, 'exercise-pass');
  assert.deepEqual(problems, []);
  await close();
});

test('a namespace with the wrong name fails and shows the failing check, submitted with Ctrl+Enter', async () => {
  const { page, problems, close } = await newPage(browser);
  await openLesson(page, slug);
  await page.click(`${SECTION} textarea.exercise-answer`);
  await page.keyboard.type(BLUE.replace('blue', 'red'));
  await page.keyboard.down('Control');
  await page.keyboard.press('Enter');
  await page.keyboard.up('Control');
  const result = await gradedResult(page);
  assert.equal(result.status, 'fail');
  assert.match(result.verdict, /^실패/);
  const failing = result.checks.filter((check) => check.status === 'fail');
  assert.ok(failing.length > 0, JSON.stringify(result.checks));
  assert.ok(failing.some((check) => check.text.includes('실패')), 'a failing check is labelled 실패');
  await page.$eval(SECTION, (section) => section.scrollIntoView());
  await screenshot(page, 'exercise-fail');
  assert.deepEqual(problems, []);
  await close();
});

test('a reload restores the terminal and the files, and says so', async () => {
  const { page, problems, close } = await newPage(browser);
  await openLesson(page, slug);
  await page.click('#terminal');
  await typeLine(page, 'foo');
  await typeLine(page, 'kubectl get nodes');
  await page.evaluate(() => window.__netlab.lab.writeFile('메모.txt', '한글 메모\n'));
  await waitForTerminal(page, 'bash: foo: command not found');
  const beforeReload = await terminalLines(page);

  await page.reload();
  await waitForReady(page);
  assert.deepEqual(await terminalLines(page), beforeReload);
  assert.equal(await page.evaluate(() => window.__netlab.lab.readFile('메모.txt')), '한글 메모\n');
  assert.match(await textOf(page, '.lab-status'), /복원했습니다 \(명령 2개\)/);

  // The restored lab goes on from where it was: history and the cluster came back too.
  // `worker2` is on screen already (restored), so wait for the line to run, not for it.
  await page.click('#terminal');
  const ran = await recordExecuted(page);
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await page.waitForFunction((n) => window.__executed.length > n, { timeout: 10_000 }, ran);
  const lines = await waitForLastLines(page, ['user@master:~$ ']);
  assert.equal(lines.filter((line) => line === 'user@master:~$ kubectl get nodes').length, 2);
  assert.deepEqual(problems, []);
  await close();
});

test('처음부터 resets the cluster after the confirm dialog, and a reload keeps it reset', async () => {
  const { page, problems, close } = await newPage(browser);
  await openLesson(page, slug);
  await page.click('#terminal');
  await typeLine(page, 'qux');
  page.once('dialog', (dialog) => dialog.accept());
  const [reset] = await page.$$('.lab-toolbar button');
  assert.equal(await reset.evaluate((b) => b.textContent), '처음부터');
  await reset.click();
  await page.waitForFunction(() => window.__netlab.term.buffer.active.getLine(1)?.translateToString(true) === '' && window.__netlab.term.buffer.active.getLine(0)?.translateToString(true) === 'user@master:~$ ');
  assert.deepEqual(await terminalLines(page), ['user@master:~$ ']);
  await page.reload();
  await waitForReady(page);
  assert.deepEqual(await terminalLines(page), ['user@master:~$ ']);
  assert.deepEqual(problems, []);
  await close();
});

test('vi opens the editor, Ctrl+S saves the file into the simulator, Escape returns to the terminal', async () => {
  const { page, problems, close } = await newPage(browser);
  await openLesson(page, slug);
  await page.click('#terminal');
  await page.keyboard.type('vi ns.yaml');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.lab-editor:not([hidden]) .cm-content');
  await page.waitForFunction(() => document.activeElement?.classList.contains('cm-content'));
  assert.equal(await textOf(page, '.editor-path'), '~/ns.yaml');

  await page.keyboard.type('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: blue');
  assert.equal(await textOf(page, '.editor-path'), '~/ns.yaml (저장 안 됨)');
  await page.keyboard.down('Control');
  await page.keyboard.press('s');
  await page.keyboard.up('Control');
  await page.waitForFunction(() => document.querySelector('.editor-path')?.textContent === '~/ns.yaml');
  assert.equal(
    await page.evaluate(() => window.__netlab.lab.readFile('ns.yaml')),
    'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: blue',
  );
  await screenshot(page, 'editor');

  await page.keyboard.press('Escape');
  await page.waitForSelector('.lab-editor[hidden]');
  await page.waitForFunction(() => document.activeElement?.classList.contains('xterm-helper-textarea'));
  await typeLine(page, 'kubectl apply -f ns.yaml');
  await waitForTerminal(page, 'namespace/blue created');
  assert.deepEqual(problems, []);
  await close();
});

test('an exercise can be submitted from the editor and its result shows under the exercise', async () => {
  const { page, problems, close } = await newPage(browser);
  await openLesson(page, slug);
  await page.evaluate((yaml) => window.__netlab.lab.writeFile('blue.yaml', yaml), BLUE);
  await page.click('#terminal');
  await page.keyboard.type('vi blue.yaml');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.lab-editor:not([hidden])');
  await page.select('.editor-exercise', EXERCISE);
  await page.click('.editor-submit');
  const result = await gradedResult(page);
  assert.equal(result.status, 'pass', JSON.stringify(result));
  assert.equal(await page.$eval(`${SECTION} textarea.exercise-answer`, (answer) => answer.value), BLUE);
  assert.deepEqual(problems, []);
  await close();
});

test('the editor marks YAML errors with kubectl’s message on the right line (lint panel by Ctrl+Shift+M)', async () => {
  const { page, problems, close } = await newPage(browser);
  await openLesson(page, slug);
  await page.evaluate(() =>
    window.__netlab.lab.writeFile('broken.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: [blue\n'),
  );
  await page.click('#terminal');
  await page.keyboard.type('vi broken.yaml');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.lab-editor:not([hidden]) .cm-lintRange-error');
  const errorLine = await page.$eval('.cm-lintRange-error', (range) => {
    const line = range.closest('.cm-line');
    return [...document.querySelectorAll('.cm-content .cm-line')].indexOf(line) + 1;
  });
  assert.equal(errorLine, 4, 'the error is on `name: [blue`');

  await page.click('.cm-content');
  await page.keyboard.down('Control');
  await page.keyboard.down('Shift');
  await page.keyboard.press('KeyM');
  await page.keyboard.up('Shift');
  await page.keyboard.up('Control');
  await page.waitForSelector('.cm-panel-lint li');
  const messages = await page.$$eval('.cm-panel.cm-panel-lint li', (items) => items.map((item) => item.textContent ?? ''));
  assert.ok(messages.some((m) => m.startsWith('error parsing broken.yaml: error converting YAML to JSON: yaml: line')), messages.join('\n'));
  await screenshot(page, 'editor-diagnostics');
  assert.deepEqual(problems, []);
  await close();
});
