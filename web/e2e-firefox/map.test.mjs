// The cluster map and the packet path in headless Firefox, driven from the terminal: a pod
// and its service appear on the map, a curl to the service lists its path in Korean and
// lights up the service and the pod it reached; the map's SVG items open their details by
// click and by keyboard; a shared link opens the same lab in a fresh profile.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  launchBrowser,
  lessonSlugs,
  newPage,
  openLesson,
  screenshot,
  terminalLines,
  textOf,
  typeLine,
  waitForReady,
  waitForTerminal,
} from './helpers.mjs';

/** @type {import('puppeteer-core').Browser} */
let browser;
let slug;

before(async () => {
  browser = await launchBrowser();
  const { page, close } = await newPage(browser);
  slug = (await lessonSlugs(page))[0];
  await close();
  assert.ok(slug, 'the index page links at least one lesson');
});

after(async () => {
  await browser?.close();
});

test('a curl to a service draws its packet path and lights up the service and the pod on the map', async () => {
  const { page, problems, close } = await newPage(browser, { width: 1400, height: 1000 });
  await openLesson(page, slug);
  await page.waitForSelector('.cluster-map:not([hidden])');
  assert.deepEqual(await page.$$eval('.map-node', (nodes) => nodes.map((n) => n.getAttribute('data-node'))), ['master', 'worker1', 'worker2']);
  assert.equal(await page.$eval('.packet-path', (panel) => panel.hidden), true, 'no packet path before any connection attempt');

  await page.click('#terminal');
  await typeLine(page, 'kubectl run web --image=nginx');
  await typeLine(page, 'kubectl expose pod web --port 80');
  await page.waitForSelector('.map-pod[data-pod="default/web"]');
  await page.waitForSelector('.map-service[data-service="default/web"]');
  // The clock follows the wall clock: wait until the pod runs (a few virtual seconds).
  await page.waitForFunction(() => window.__netlab.lab.view()?.pods.find((p) => p.name === 'web')?.phase === 'Running', { timeout: 30_000 });
  const clusterIp = await page.evaluate(() => window.__netlab.lab.view()?.services.find((s) => s.name === 'web')?.clusterIp);
  assert.match(clusterIp ?? '', /^10\.\d+\.\d+\.\d+$/);

  await page.evaluate(() => window.matchMedia('(prefers-reduced-motion: reduce)').matches).then((reduced) => assert.equal(reduced, false));
  await typeLine(page, `curl ${clusterIp}`);
  // Read right away: the path lights up one step every 450 ms.
  const lit = () => page.$$eval('.packet-step.lit', (items) => items.length);
  const early = await lit();
  await waitForTerminal(page, '<title>Welcome to nginx!</title>');

  await page.waitForSelector('.packet-path:not([hidden])');
  assert.equal(await page.$eval('.packet-path', (panel) => panel.getAttribute('data-outcome')), 'connected');
  assert.match(await textOf(page, '.packet-summary'), new RegExp(`^연결됨 curl ${clusterIp.replaceAll('.', '\\.')}`));
  const labels = await page.$$eval('.packet-step .step-label', (items) => items.map((item) => item.textContent));
  for (const expected of ['KUBE-SERVICES', 'DNAT', '전달', '수락']) {
    assert.ok(labels.includes(expected), `${expected} missing from ${labels.join(' → ')}`);
  }
  assert.equal(labels[labels.length - 1], '수락');
  // The animation lights the steps one by one (its interval runs in Firefox too); seeing
  // it move on is enough, without sitting through the whole path.
  assert.ok(early < labels.length, `only ${early} of ${labels.length} steps lit at first`);
  await page.waitForFunction((n) => document.querySelectorAll('.packet-step.lit').length > n, { timeout: 5_000 }, early);
  const [items, dots] = await page.evaluate(() => ['.packet-step.lit', '.diagram-step.lit'].map((s) => document.querySelectorAll(s).length));
  assert.equal(dots, items, 'the diagram keeps pace with the list');
  assert.equal(await page.$$eval('.diagram-step', (dots) => dots.length), labels.length);

  assert.deepEqual(await page.$$eval('.map-pod.hot', (pods) => pods.map((p) => p.getAttribute('data-pod'))), ['default/web']);
  assert.deepEqual(await page.$$eval('.map-service.hot', (s) => s.map((x) => x.getAttribute('data-service'))), ['default/web']);
  await page.$eval('.packet-path', (panel) => panel.scrollIntoView());
  await screenshot(page, 'packet-path');
  await page.$eval('.cluster-map', (map) => map.scrollIntoView());
  await screenshot(page, 'map-packet-path');
  assert.deepEqual(problems, []);
  await close();
});

test('clicking a pod (or Enter on a focused service) opens its details', async () => {
  const { page, problems, close } = await newPage(browser);
  await openLesson(page, slug);
  await page.click('#terminal');
  await typeLine(page, 'kubectl run client --image=busybox:1.28 -- sleep 3600');
  // Wait for Running: until then every status change redraws the map and replaces the
  // pod's element, and puppeteer (unlike Playwright) fails a click whose element was
  // replaced between finding it and clicking it ('Node is detached from document').
  await page.waitForSelector('.map-pod.phase-running[data-pod="default/client"]');
  await page.click('.map-pod[data-pod="default/client"]');
  const details = await textOf(page, '.map-details');
  assert.match(details, /포드 default\/client/);
  assert.match(details, /client \(busybox:1\.28\)/);

  // SVG items take focus in Firefox too: Tab order reaches them and Enter opens them.
  // From the map's checkbox, Tab walks into the SVG: the pods in their nodes, then the
  // services. Enter opens the focused item, and focus stays on it although the map redraws
  // (on activation and on every change of the cluster), so Enter again closes it.
  await page.$eval('.map-toggle input', (box) => box.focus());
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-service') ?? document.activeElement?.getAttribute('data-pod') ?? document.activeElement?.tagName);
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'default/client');
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'default/kubernetes');
  await page.keyboard.press('Enter');
  assert.match(await textOf(page, '.map-details'), /Endpoints192\.168\.56\.10:6443/);
  assert.equal(await focused(), 'default/kubernetes', 'focus stays on the item after the redraw');
  await page.keyboard.press('Enter');
  assert.equal(await page.$eval('.map-details', (details) => details.hidden), true);
  await page.keyboard.down('Shift');
  await page.keyboard.press('Tab');
  await page.keyboard.up('Shift');
  assert.equal(await focused(), 'default/client');
  assert.deepEqual(problems, []);
  await close();
});

test('a shared link opens the same lab in another browser profile', async () => {
  const { page, close } = await newPage(browser);
  await openLesson(page, slug);
  await page.click('#terminal');
  await typeLine(page, 'bar');
  await typeLine(page, 'echo 공유 $((6*7))');
  await waitForTerminal(page, '공유 42');
  const url = await page.evaluate(() => window.__netlab.lab.shareUrl());
  const expected = await terminalLines(page);
  await close();

  const { page: ta, problems, close: closeTa } = await newPage(browser);
  await ta.goto(url);
  await waitForReady(ta);
  assert.deepEqual(await terminalLines(ta), expected);
  assert.match(await textOf(ta, '.lab-status'), /공유된 실습 상태/);
  assert.ok(!ta.url().includes('#lab='), 'the fragment is removed once read');
  assert.deepEqual(problems, []);
  await closeTa();
});
