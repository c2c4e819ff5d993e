// The packet path view renders the simulator's trace contract (sim-wasm net/trace.rs): every
// step in order with its Korean explanation, the outcome, and a node diagram.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { launchBrowser, lessonSlugs, newPage, openLesson, screenshot } from './helpers.mjs';

/** A trace shaped like the dataplane's for `curl srv-jenkins.blue:8080` refused by the pod. */
const REFUSED = {
  command: 'curl srv-jenkins.blue:8080',
  source: 'pod default/http-go-5c6f7d8b9-x2x7k (192.168.235.130) on worker1',
  steps: [
    { kind: 'dns_query', name: 'srv-jenkins.blue.default.svc.cluster.local', qtype: 'A', server: '10.96.0.10', explain: "search 목록에 따라 CoreDNS(10.96.0.10)에 묻습니다." },
    { kind: 'dns_answer', name: 'srv-jenkins.blue.default.svc.cluster.local', rcode: 'NXDOMAIN', answers: [], explain: '그런 이름은 없습니다(NXDOMAIN).' },
    { kind: 'dns_query', name: 'srv-jenkins.blue.svc.cluster.local', qtype: 'A', server: '10.96.0.10', explain: 'CoreDNS에 다시 묻습니다.' },
    { kind: 'dns_answer', name: 'srv-jenkins.blue.svc.cluster.local', rcode: 'NOERROR', answers: ['10.107.41.13'], explain: '주소를 찾았습니다: 10.107.41.13' },
    { kind: 'rule_matched', node: 'worker1', table: 'nat', chain: 'KUBE-SERVICES', rule: '-A KUBE-SERVICES -d 10.107.41.13/32 -p tcp -m comment --comment "blue/srv-jenkins cluster IP" -m tcp --dport 8080 -j KUBE-SVC-ABC', explain: '서비스 체인으로 갑니다.' },
    { kind: 'dnat', from: '10.107.41.13:8080', to: '192.168.189.66:8080', explain: 'KUBE-SEP 규칙이 목적지를 포드 IP로 바꿉니다.' },
    { kind: 'route', node: 'worker1', destination: '192.168.189.64/26', device: 'tunl0', gateway: '192.168.56.12', explain: 'Calico 경로로 worker2에 보냅니다.' },
    { kind: 'node_hop', from_node: 'worker1', to_node: 'worker2', device: 'tunl0', explain: 'IP-in-IP 터널로 worker2에 도착합니다.' },
    { kind: 'deliver', target: 'pod blue/jenkins-0', ip: '192.168.189.66', port: 8080, explain: 'pause 컨테이너의 네트워크 네임스페이스로 들어갑니다.' },
    { kind: 'refuse', reason: 'nothing listens on 8080', explain: '8080 포트에서 기다리는 프로세스가 없어 RST로 거부합니다.' },
  ],
  outcome: 'refused',
};

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

test('a refused curl lists every step in order and ends on the refusal, in Korean', async () => {
  const { page, problems } = await newPage(browser);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await openLesson(page, slug);
  assert.equal(await page.isHidden('.packet-path'), true, 'no panel before any connection attempt');
  await page.evaluate((trace) => window.__netlab.packets.show([trace]), REFUSED);

  const steps = await page.$$eval('.packet-step', (items) =>
    items.map((item) => [item.querySelector('.step-label')?.textContent, item.querySelector('.step-explain')?.textContent]),
  );
  assert.deepEqual(
    steps.map(([label]) => label),
    ['DNS 질의', 'DNS 응답', 'DNS 질의', 'DNS 응답', 'KUBE-SERVICES', 'DNAT', '라우팅', '노드 이동', '전달', '거부'],
  );
  assert.equal(steps[9][1], '8080 포트에서 기다리는 프로세스가 없어 RST로 거부합니다.');
  assert.match(await page.textContent('.packet-summary'), /^연결 거부 curl srv-jenkins\.blue:8080/);
  assert.equal(await page.getAttribute('.packet-path', 'data-outcome'), 'refused');

  // The diagram puts the hops on the nodes where they happen: worker1, then worker2.
  const columns = await page.$$eval('.diagram-step', (dots) => dots.map((dot) => dot.getAttribute('cx')));
  assert.equal(columns.length, 10);
  assert.ok(Number(columns[9]) > Number(columns[4]), 'the refusal is drawn on a later node than the first rule');
  assert.equal(await page.$$eval('.diagram-step.lit', (dots) => dots.length), 10, 'reduced motion shows the whole path at once');
  await page.locator('.packet-path').scrollIntoViewIfNeeded();
  await screenshot(page, 'packet-path-refused');
  assert.deepEqual(problems, []);
  await page.context().close();
});

test('the path animates step by step and can be replayed', async () => {
  const { page } = await newPage(browser);
  await openLesson(page, slug);
  await page.evaluate((trace) => window.__netlab.packets.show([trace]), REFUSED);
  const early = await page.$$eval('.packet-step.lit', (items) => items.length);
  await page.waitForFunction(() => document.querySelectorAll('.packet-step.lit').length === 10, null, { timeout: 10_000 });
  assert.ok(early < 10, `only ${early} steps lit at first`);
  await page.click('.packet-head button:has-text("다시 보기")');
  assert.ok((await page.$$eval('.packet-step.lit', (items) => items.length)) < 10);
  await page.context().close();
});

test('commands without connection attempts do not open the panel', async () => {
  const { page } = await newPage(browser);
  await openLesson(page, slug);
  await page.evaluate(() => window.__netlab.packets.show([]));
  assert.equal(await page.isHidden('.packet-path'), true);
  await page.context().close();
});
