// The cluster map draws the simulator's ClusterView: nodes with their pods (pause sandbox,
// pod IP), services joined to their endpoints, a describe-like panel on click or Enter, and
// the pods and services a packet path touched.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { launchBrowser, lessonSlugs, newPage, openLesson, screenshot, typeLine } from './helpers.mjs';

/** A small cluster as sim-wasm's view.rs describes it. */
const VIEW = {
  nodes: [
    { name: 'master', ip: '192.168.56.10', roles: ['control-plane'], ready: true },
    { name: 'worker1', ip: '192.168.56.11', roles: [], ready: true },
    { name: 'worker2', ip: '192.168.56.12', roles: [], ready: true },
  ],
  pods: [
    { namespace: 'kube-system', name: 'coredns-668d6bf9bc-7k2lx', node: 'master', ip: '192.168.219.65', phase: 'Running', hostNetwork: false, containers: [{ name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.11.3', ready: true }], labels: { 'k8s-app': 'kube-dns' } },
    { namespace: 'default', name: 'web-7d4b9c8f6d-abcde', node: 'worker1', ip: '192.168.235.129', phase: 'Running', hostNetwork: false, containers: [{ name: 'nginx', image: 'nginx', ready: true }], labels: { app: 'web' } },
    { namespace: 'default', name: 'web-7d4b9c8f6d-fghij', node: 'worker2', ip: '192.168.189.65', phase: 'Running', hostNetwork: false, containers: [{ name: 'nginx', image: 'nginx', ready: true }], labels: { app: 'web' } },
    { namespace: 'default', name: 'client', node: 'worker2', ip: null, phase: 'Pending', hostNetwork: false, containers: [{ name: 'busybox', image: 'busybox:1.28', ready: false }], labels: { run: 'client' } },
  ],
  services: [
    { namespace: 'default', name: 'kubernetes', type: 'ClusterIP', clusterIp: '10.96.0.1', ports: [{ port: 443, targetPort: '6443', protocol: 'TCP', nodePort: null }], selector: {}, endpoints: ['192.168.56.10:6443'] },
    { namespace: 'default', name: 'web', type: 'ClusterIP', clusterIp: '10.104.7.20', ports: [{ port: 80, targetPort: '80', protocol: 'TCP', nodePort: null }], selector: { app: 'web' }, endpoints: ['192.168.235.129:80', '192.168.189.65:80'] },
  ],
};

/**
 * Draws `view` instead of the simulator's own. The lab redraws the map from the simulator
 * whenever the cluster's view changes (checked on every 1 s clock tick); stopping that
 * first keeps a tick on a slow machine from replacing `view` in the middle of a test.
 * @param {import('playwright-core').Page} page
 */
async function showView(page, view) {
  await page.evaluate((v) => {
    window.__netlab.lab.onChange = null;
    window.__netlab.map.update(v);
  }, view);
}

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

test('pods sit in their node, services join their endpoints, kube-system is hidden until asked', async () => {
  const { page, problems } = await newPage(browser);
  await openLesson(page, slug);
  await showView(page, VIEW);
  const podsOn = (node) => page.$$eval(`.map-node[data-node="${node}"] .map-pod`, (pods) => pods.map((p) => p.getAttribute('data-pod')));
  assert.deepEqual(await podsOn('master'), []);
  assert.deepEqual(await podsOn('worker1'), ['default/web-7d4b9c8f6d-abcde']);
  assert.deepEqual(await podsOn('worker2'), ['default/web-7d4b9c8f6d-fghij', 'default/client']);
  assert.equal(await page.$$eval('.map-endpoint', (lines) => lines.length), 2, 'web → its two pods (the apiserver endpoint is a node, not a pod)');
  assert.match(await page.textContent('.map-service[data-service="default/web"]'), /10\.104\.7\.20 80\/TCP/);

  await page.check('.map-toggle input');
  assert.deepEqual(await podsOn('master'), ['kube-system/coredns-668d6bf9bc-7k2lx']);
  assert.deepEqual(problems, []);
  await page.context().close();
});

test('clicking a pod (or Enter on a focused service) opens its details', async () => {
  const { page } = await newPage(browser);
  await openLesson(page, slug);
  await showView(page, VIEW);
  await page.click('.map-pod[data-pod="default/client"]');
  const details = await page.textContent('.map-details');
  assert.match(details, /포드 default\/client/);
  assert.match(details, /StatusPending/);
  assert.match(details, /busybox \(busybox:1\.28\) — 준비 안 됨/);

  await page.focus('.map-service[data-service="default/web"]');
  await page.keyboard.press('Enter');
  assert.match(await page.textContent('.map-details'), /Endpoints192\.168\.235\.129:80, 192\.168\.189\.65:80/);
  await page.context().close();
});

test('a packet path lights up the service and the pod it reached', async () => {
  const { page } = await newPage(browser);
  await openLesson(page, slug);
  await showView(page, VIEW);
  const trace = {
    command: 'curl web',
    source: 'node master',
    outcome: 'connected',
    steps: [
      { kind: 'dns_answer', name: 'web.default.svc.cluster.local', rcode: 'NOERROR', answers: ['10.104.7.20'], explain: '' },
      { kind: 'dnat', from: '10.104.7.20:80', to: '192.168.189.65:80', explain: '' },
      { kind: 'deliver', target: 'pod default/web-7d4b9c8f6d-fghij', ip: '192.168.189.65', port: 80, explain: '' },
      { kind: 'accept', process: 'nginx', explain: '' },
    ],
  };
  await page.evaluate((t) => {
    window.__netlab.map.highlight([t]);
    window.__netlab.packets.show([t]);
  }, trace);
  assert.deepEqual(await page.$$eval('.map-pod.hot', (pods) => pods.map((p) => p.getAttribute('data-pod'))), ['default/web-7d4b9c8f6d-fghij']);
  assert.deepEqual(await page.$$eval('.map-service.hot', (s) => s.map((x) => x.getAttribute('data-service'))), ['default/web']);
  await page.locator('.cluster-map').scrollIntoViewIfNeeded();
  await screenshot(page, 'map-packet-path');
  await page.context().close();
});

test('the map follows the simulated cluster: a pod applied in the terminal appears on a worker', async () => {
  const { page, problems } = await newPage(browser);
  await openLesson(page, slug);
  await page.waitForSelector('.cluster-map:not([hidden])');
  assert.deepEqual(await page.$$eval('.map-node', (nodes) => nodes.map((n) => n.getAttribute('data-node'))), ['master', 'worker1', 'worker2']);
  assert.match(await page.textContent('.map-service[data-service="default/kubernetes"]'), /10\.96\.0\.1 443\/TCP/);

  await page.click('#terminal');
  for (const line of ['cat <<EOF > web.yaml', 'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: web', 'spec:', '  containers:', '  - name: nginx', '    image: nginx', 'EOF', 'kubectl apply -f web.yaml']) {
    await typeLine(page, line);
  }
  await page.waitForSelector('.map-pod[data-pod="default/web"]');
  const node = await page.$eval('.map-pod[data-pod="default/web"]', (pod) => pod.closest('.map-node')?.getAttribute('data-node'));
  assert.ok(node === 'worker1' || node === 'worker2', `web runs on ${node}`);
  await page.locator('.cluster-map').scrollIntoViewIfNeeded();
  await screenshot(page, 'map-live');
  assert.deepEqual(problems, []);
  await page.context().close();
});
