// The lab survives a reload, travels in a link to a TA, and can be reset: the cluster is the
// seed plus the replayed log, so the replayed terminal must show the same lines.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { launchBrowser, lessonSlugs, newPage, openLesson, terminalLines, typeLine, waitForTerminal } from './helpers.mjs';

/** @type {import('playwright-core').Browser} */
let browser;
let slug;

before(async () => {
  browser = await launchBrowser();
  const { page } = await newPage(browser);
  slug = (await lessonSlugs(page))[0];
  await page.context().close();
  assert.ok(slug, 'the index page links at least one lesson');
});

after(async () => {
  await browser?.close();
});

/** Types lines into the terminal and waits for each to be answered. */
async function typeLines(page, lines) {
  await page.click('#terminal');
  for (const line of lines) await typeLine(page, line);
}

test('a reload restores the terminal and the files, and says so', async () => {
  const { page, problems } = await newPage(browser);
  await openLesson(page, slug);
  await typeLines(page, ['foo', 'kubectl get nodes']);
  await page.evaluate(() => window.__netlab.lab.writeFile('메모.txt', '한글 메모\n'));
  await waitForTerminal(page, 'bash: foo: command not found');
  const beforeReload = await terminalLines(page);

  await page.reload();
  await page.waitForSelector('#lab[data-state="ready"]');
  assert.deepEqual(await terminalLines(page), beforeReload);
  assert.equal(await page.evaluate(() => window.__netlab.lab.readFile('메모.txt')), '한글 메모\n');
  assert.match(await page.textContent('.lab-status'), /복원했습니다 \(명령 2개\)/);
  assert.deepEqual(problems, []);
  await page.context().close();
});

test('a shared link opens the same lab in another browser profile', async () => {
  const { page } = await newPage(browser);
  await openLesson(page, slug);
  await typeLines(page, ['bar', 'baz']);
  const url = await page.evaluate(() => window.__netlab.lab.shareUrl());
  const expected = await terminalLines(page);
  await page.context().close();

  const { page: ta, problems } = await newPage(browser);
  await ta.goto(url);
  await ta.waitForSelector('#lab[data-state="ready"]');
  assert.deepEqual(await terminalLines(ta), expected);
  assert.match(await ta.textContent('.lab-status'), /공유된 실습 상태/);
  assert.ok(!ta.url().includes('#lab='), 'the fragment is removed once read');
  assert.deepEqual(problems, []);
  await ta.context().close();
});

test('처음부터 resets the cluster and forgets the saved log', async () => {
  const { page, problems } = await newPage(browser);
  await openLesson(page, slug);
  await typeLines(page, ['qux']);
  page.once('dialog', (dialog) => dialog.accept());
  await page.click('.lab-toolbar button:has-text("처음부터")');
  await page.waitForFunction(() => window.__netlab.term.buffer.active.getLine(0)?.translateToString(true) === 'user@master:~$ ');
  assert.deepEqual(await terminalLines(page), ['user@master:~$ ']);
  await page.reload();
  await page.waitForSelector('#lab[data-state="ready"]');
  assert.deepEqual(await terminalLines(page), ['user@master:~$ ']);
  assert.deepEqual(problems, []);
  await page.context().close();
});

test('Ctrl+C abandons a heredoc being typed, and a reload replays it the same way', async () => {
  const { page, problems } = await newPage(browser);
  await openLesson(page, slug);
  await typeLines(page, ['cat <<EOF > half.yaml', 'apiVersion: v1']);
  assert.equal(await page.evaluate(() => window.__netlab.lab.sim.prompt()), '> ');
  await page.keyboard.press('Control+c');
  await typeLines(page, ['echo after $?']);
  await waitForTerminal(page, 'after 130');
  const beforeReload = await terminalLines(page);
  assert.equal(await page.evaluate(() => window.__netlab.lab.readFile('half.yaml')), undefined);

  await page.reload();
  await page.waitForSelector('#lab[data-state="ready"]');
  assert.deepEqual(await terminalLines(page), beforeReload);
  assert.equal(await page.evaluate(() => window.__netlab.lab.sim.prompt()), 'user@master:~$ ');
  assert.deepEqual(problems, []);
  await page.context().close();
});
