// Submitting the `ns-blue` exercise from the lesson page: the grader's verdict and each check
// appear in Korean in the exercise's result area.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { launchBrowser, lessonSlugs, newPage, openLesson, screenshot } from './helpers.mjs';

const EXERCISE = 'ns-blue';
const SECTION = `section.exercise[data-exercise-id="${EXERCISE}"]`;

/** @type {import('playwright-core').Browser} */
let browser;
/** The lesson that contains the exercise. */
let slug;

before(async () => {
  browser = await launchBrowser();
  const { page } = await newPage(browser);
  for (const candidate of await lessonSlugs(page)) {
    await openLesson(page, candidate);
    if ((await page.$(SECTION)) !== null) {
      slug = candidate;
      break;
    }
  }
  await page.context().close();
  assert.ok(slug, `no lesson page contains ${SECTION}`);
});

after(async () => {
  await browser?.close();
});

/** Types `yaml` into the exercise, submits it and returns the rendered result. */
async function submit(page, yaml) {
  await page.fill(`${SECTION} textarea.exercise-answer`, yaml);
  await page.click(`${SECTION} button.exercise-submit`);
  await page.waitForSelector(`${SECTION} .exercise-result[data-status]:not([aria-busy])`);
  return page.$eval(`${SECTION} .exercise-result`, (result) => ({
    status: result.getAttribute('data-status'),
    verdict: result.querySelector('.exercise-verdict')?.textContent ?? '',
    checks: [...result.querySelectorAll('.exercise-check')].map((check) => ({
      status: [...check.classList].find((c) => c.startsWith('check-'))?.slice('check-'.length),
      text: check.textContent ?? '',
    })),
    live: result.getAttribute('aria-live'),
  }));
}

test('the correct YAML passes and every check shows 통과', async () => {
  const { page, problems } = await newPage(browser);
  await openLesson(page, slug);
  const result = await submit(page, 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: blue\n');
  assert.equal(result.status, 'pass');
  assert.match(result.verdict, /^통과/);
  assert.ok(result.checks.length > 0, 'the report lists its checks');
  assert.ok(result.checks.every((check) => check.status === 'pass'), JSON.stringify(result.checks));
  assert.equal(result.live, 'polite');
  await page.locator(SECTION).scrollIntoViewIfNeeded();
  await screenshot(page, 'exercise-pass');
  assert.deepEqual(problems, []);
  await page.context().close();
});

test('a namespace with the wrong name fails and shows the failing check', async () => {
  const { page, problems } = await newPage(browser);
  await openLesson(page, slug);
  const result = await submit(page, 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: red\n');
  assert.equal(result.status, 'fail');
  assert.match(result.verdict, /^실패/);
  const failing = result.checks.filter((check) => check.status === 'fail');
  assert.ok(failing.length > 0, JSON.stringify(result.checks));
  assert.ok(failing.some((check) => check.text.includes('실패')), 'a failing check is labelled 실패');
  await page.locator(SECTION).scrollIntoViewIfNeeded();
  await screenshot(page, 'exercise-fail');
  assert.deepEqual(problems, []);
  await page.context().close();
});

test('YAML that does not parse is reported as an error, not a crash', async () => {
  const { page } = await newPage(browser);
  await openLesson(page, slug);
  const result = await submit(page, 'apiVersion: v1\nkind: [Namespace\n');
  assert.equal(result.status, 'error');
  assert.match(result.verdict, /^오류/);
  await page.context().close();
});

test('a failed check shows its expected and observed values and any packet trace the grader quotes', async () => {
  const { page } = await newPage(browser);
  await openLesson(page, slug);
  // Rendering only: the report is the grader's JSON contract, here with a behaviour check.
  await page.$eval(`${SECTION} .exercise-result`, (result) => {
    window.__netlab.renderReport(result, {
      status: 'fail',
      error: null,
      checks: [{
        id: 'curl-jenkins', title: 'http-go에서 srv-jenkins.blue:8080에 접속됩니다', status: 'fail',
        message: '요청이 거부되었습니다.', hint: '서비스의 targetPort를 확인하세요.',
        expected: 'HTTP 403 (Jenkins)', observed: 'curl: (7) Failed to connect',
        trace: ['DNS 응답: srv-jenkins.blue.svc.cluster.local → 10.107.41.13', '거부: 8080 포트에서 기다리는 프로세스가 없습니다'],
      }],
    });
  });
  const text = await page.textContent(`${SECTION} .exercise-result`);
  assert.match(text ?? '', /기대한 결과HTTP 403 \(Jenkins\)/);
  assert.match(text ?? '', /실제 결과curl: \(7\) Failed to connect/);
  assert.deepEqual(
    await page.$$eval(`${SECTION} .check-trace li`, (items) => items.map((i) => i.textContent)),
    ['DNS 응답: srv-jenkins.blue.svc.cluster.local → 10.107.41.13', '거부: 8080 포트에서 기다리는 프로세스가 없습니다'],
  );
  assert.equal(await page.getAttribute(`${SECTION} .check-trace`, 'open'), '');
  await page.context().close();
});
