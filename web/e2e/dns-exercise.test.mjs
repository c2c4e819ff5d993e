// Issue 6's walk-through: the seed's DNS exercise done in the browser as a student would, by
// running the lesson's own command blocks in order (heredoc-free: the `>>` appends, the
// `---` trap, create, expose), then `kubectl exec … -- curl srv-jenkins.blue:8080 -s` from
// the http-go pod: Jenkins answers, the packet path shows DNS → KUBE-SERVICES → DNAT →
// the jenkins pod, and the map lights that pod up.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { launchBrowser, lessonSlugs, newPage, openLesson, screenshot, waitForTerminal } from './helpers.mjs';

const CHECK_COMMAND = 'curl srv-jenkins.blue:8080';

/** @type {import('playwright-core').Browser} */
let browser;
let slug;

before(async () => {
  browser = await launchBrowser();
  const { page } = await newPage(browser);
  for (const candidate of await lessonSlugs(page)) {
    await openLesson(page, candidate);
    const commands = await page.$$eval('button.run-command[data-command]', (buttons) => buttons.map((b) => b.dataset.command ?? ''));
    if (commands.some((command) => command.includes(CHECK_COMMAND))) {
      slug = candidate;
      break;
    }
  }
  await page.context().close();
  assert.ok(slug, `a lesson runs \`${CHECK_COMMAND}\``);
});

after(async () => {
  await browser?.close();
});

/** Waits until every pod outside kube-system is Running (the clock follows the wall clock). */
async function waitForRunningPods(page) {
  await page.waitForFunction(
    () => (window.__netlab.lab.view()?.pods ?? []).filter((p) => p.namespace !== 'kube-system').every((p) => p.phase === 'Running'),
    null,
    { timeout: 60_000 },
  );
}

test('the DNS exercise, run from the lesson: Jenkins answers and the packet path shows how', async () => {
  const { page, problems } = await newPage(browser, { width: 1400, height: 1000 });
  await openLesson(page, slug);
  await page.evaluate(() => {
    window.__executed = [];
    window.__netlab.terminal.onExec((line, result) => window.__executed.push({ line, result }));
  });
  const buttons = await page.$$('button.run-command[data-command]');
  for (const [index, button] of buttons.entries()) {
    const command = (await button.getAttribute('data-command')) ?? '';
    if (/\b(exec|curl)\b/.test(command)) await waitForRunningPods(page);
    await button.click();
    await page.waitForFunction((n) => window.__executed.length > n, index);
  }
  const runs = await page.evaluate(() => window.__executed.map(({ line, result }) => ({ line, exitCode: result.exitCode, traces: result.traces.length, stdout: result.stdout, stderr: result.stderr })));
  const check = runs.find((run) => run.line.includes(CHECK_COMMAND));
  assert.ok(check, runs.map((r) => r.line).join('\n'));
  assert.equal(check.exitCode, 0, `${check.line}\n${check.stderr}`);
  assert.match(check.stdout, /Authentication required/);
  await waitForTerminal(page, 'Authentication required');

  await page.waitForSelector('.packet-path:not([hidden])');
  assert.equal(await page.getAttribute('.packet-path', 'data-outcome'), 'connected');
  const labels = await page.$$eval('.packet-step .step-label', (items) => items.map((item) => item.textContent));
  for (const expected of ['DNS 질의', 'DNS 응답', 'KUBE-SERVICES', 'DNAT', '전달', '수락']) {
    assert.ok(labels.includes(expected), `${expected} missing from ${labels.join(' → ')}`);
  }
  const hot = await page.$$eval('.map-pod.hot', (pods) => pods.map((p) => p.getAttribute('data-pod')));
  assert.ok(hot.some((pod) => pod?.startsWith('blue/pod-jenkins-')), `hot pods: ${hot.join(', ')}`);
  await page.locator('.packet-path').scrollIntoViewIfNeeded();
  await screenshot(page, 'dns-exercise-packet-path');
  await page.locator('.cluster-map').scrollIntoViewIfNeeded();
  await screenshot(page, 'dns-exercise-map');
  assert.deepEqual(problems, []);
  await page.context().close();
});
