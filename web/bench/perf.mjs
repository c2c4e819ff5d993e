// Issue 6's performance budgets, measured in headless Chromium against a running server
// (`cargo xtask bench-web` starts one and sets BASE_URL). This is a benchmark, not a test:
// timings depend on the machine and its load, so it prints medians and whether each is within
// its budget, and never fails a build on a timing.

import { launchBrowser, lessonSlugs, newPage, openLesson } from '../e2e/helpers.mjs';

const RUNS = 5;
const FIRST_VISIT_BUDGET_BYTES = 600 * 1024;
const READY_BUDGET_MS = 1000;
const FRAME_BUDGET_MS = 16;

/** @type {import('playwright-core').Browser} */
let browser;
let slug;

const measurements = [];

/** Runs one measurement; `t.diagnostic` prints a figure, `t.budget` records a verdict. */
async function measure(name, body) {
  const verdicts = [];
  const t = {
    diagnostic: (text) => console.log(`  ${text}`),
    budget: (within, detail) => verdicts.push({ within, detail }),
  };
  console.log(name);
  try {
    await body(t);
    const over = verdicts.filter((v) => !v.within);
    const verdict = over.length === 0 ? 'within budget' : `OVER budget (${over.map((v) => v.detail).join('; ')})`;
    console.log(`  => ${verdict}`);
    measurements.push({ name, verdict });
  } catch (error) {
    console.log(`  => could not measure: ${error.message}`);
    measurements.push({ name, verdict: 'not measured' });
  }
}

browser = await launchBrowser();
{
  const { page } = await newPage(browser);
  slug = (await lessonSlugs(page))[0];
  await page.context().close();
  if (!slug) throw new Error('the index page links no lesson');
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

await measure('a first visit downloads at most 600 KB (compressed, fonts excluded)', async (t) => {
  const { page } = await newPage(browser);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const sizes = new Map();
  const urls = new Map();
  cdp.on('Network.responseReceived', (event) => urls.set(event.requestId, event.response.url));
  cdp.on('Network.loadingFinished', (event) => sizes.set(event.requestId, event.encodedDataLength));
  await openLesson(page, slug);
  await page.waitForLoadState('networkidle');
  const perUrl = [...sizes].map(([id, bytes]) => [urls.get(id) ?? id, bytes]).filter(([url]) => !/\.(woff2?|ttf|otf)(\?|$)/.test(url));
  const total = perUrl.reduce((sum, [, bytes]) => sum + bytes, 0);
  t.diagnostic(`first visit: ${total} bytes over the wire (${perUrl.map(([u, b]) => `${new URL(u).pathname} ${b}`).join(', ')})`);
  t.budget(total <= FIRST_VISIT_BUDGET_BYTES, `first visit is ${total} bytes`);
  await page.context().close();
});

await measure('the terminal accepts input within 1 s of navigation (median of 5 loads)', async (t) => {
  const { page } = await newPage(browser);
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    await openLesson(page, slug);
    times.push(await page.evaluate(() => performance.getEntriesByName('netlab:ready')[0]?.startTime ?? Infinity));
  }
  t.diagnostic(`navigation → terminal ready: median ${median(times).toFixed(0)} ms (${times.map((x) => x.toFixed(0)).join(', ')})`);
  t.budget(median(times) <= READY_BUDGET_MS, `median ${median(times)} ms`);
  await page.context().close();
});

await measure('a command answers within one frame (median over repeated kubectl get nodes)', async (t) => {
  const { page } = await newPage(browser);
  await openLesson(page, slug);
  const times = await page.evaluate(() => {
    const lab = window.__netlab.lab;
    const samples = [];
    for (let i = 0; i < 41; i++) {
      const start = performance.now();
      lab.terminal.run('kubectl get nodes');
      samples.push(performance.now() - start);
    }
    return samples;
  });
  t.diagnostic(`kubectl get nodes, exec + render: median ${median(times).toFixed(2)} ms, max ${Math.max(...times).toFixed(2)} ms`);
  t.budget(median(times) <= FRAME_BUDGET_MS, `median ${median(times)} ms`);
  await page.context().close();
});

/** Scales the lab's cluster to `replicas` pods of one deployment and waits until all run. */
async function clusterWithPods(page, replicas) {
  await page.evaluate((n) => window.__netlab.lab.exec(`kubectl create deployment load --image=nginx --replicas=${n}`), replicas);
  await page.waitForFunction(
    (n) => (window.__netlab.lab.view()?.pods ?? []).filter((p) => p.name.startsWith('load-') && p.phase === 'Running').length === n,
    replicas,
    { timeout: 60_000 },
  );
}

await measure('on a cluster of 50 pods each command of the DNS exercise answers within one frame (median)', async (t) => {
  const { page } = await newPage(browser);
  await openLesson(page, slug);
  await clusterWithPods(page, 50);
  const commands = [
    'kubectl create deployment http-go --image=gasbugs/http-go',
    'kubectl create namespace blue --dry-run=client -o yaml > blue-jenkins-svc-deploy.yaml',
    'echo --- >> blue-jenkins-svc-deploy.yaml',
    'kubectl create deployment pod-jenkins --image=jenkins/jenkins:lts-jdk11 --port=8080 -n blue --dry-run=client -o yaml >> blue-jenkins-svc-deploy.yaml',
    'echo --- >> blue-jenkins-svc-deploy.yaml',
    'kubectl expose deploy pod-jenkins --name srv-jenkins --dry-run=client -o yaml -n blue >> blue-jenkins-svc-deploy.yaml',
    'kubectl create -f blue-jenkins-svc-deploy.yaml',
    'kubectl get all -n blue',
    'kubectl get pods -o wide',
    'kubectl get ep srv-jenkins -n blue',
  ];
  // Through the terminal, as typed: the simulator's answer plus writing it to xterm.
  const times = await page.evaluate((lines) => {
    const terminal = window.__netlab.terminal;
    return lines.map((line) => {
      const start = performance.now();
      terminal.run(line);
      return performance.now() - start;
    });
  }, commands);
  t.diagnostic(`DNS exercise commands on 50 pods: median ${median(times).toFixed(2)} ms, max ${Math.max(...times).toFixed(2)} ms (${times.map((x) => x.toFixed(1)).join(', ')})`);
  t.budget(median(times) <= FRAME_BUDGET_MS, `median ${median(times)} ms`);
  await page.context().close();
});

await measure('with 200 pods the map redraws within a frame and its packet animation keeps 60 fps', async (t) => {
  const { page } = await newPage(browser);
  await openLesson(page, slug);
  await clusterWithPods(page, 200);
  const renders = await page.evaluate(() => {
    const { map, lab } = window.__netlab;
    const view = lab.view();
    const samples = [];
    for (let i = 0; i < 11; i++) {
      const start = performance.now();
      map.update(view);
      samples.push(performance.now() - start);
    }
    return samples;
  });
  const frames = await page.evaluate(async () => {
    const { map, lab } = window.__netlab;
    const pod = lab.view().pods.find((p) => p.name.startsWith('load-'));
    map.highlight([{ command: 'curl', source: 'node master', outcome: 'connected', steps: [{ kind: 'deliver', target: pod.name, ip: pod.ip, port: 80, explain: '' }] }]);
    const stamps = [];
    await new Promise((resolve) => {
      const tick = (now) => {
        stamps.push(now);
        if (stamps.length < 61) requestAnimationFrame(tick);
        else resolve();
      };
      requestAnimationFrame(tick);
    });
    return stamps.slice(1).map((stamp, i) => stamp - stamps[i]);
  });
  t.diagnostic(`map of 200 pods: render median ${median(renders).toFixed(2)} ms; animation frame interval median ${median(frames).toFixed(2)} ms`);
  t.budget(median(renders) <= FRAME_BUDGET_MS, `render median ${median(renders)} ms`);
  t.budget(median(frames) <= 1000 / 60 + 1, `frame interval median ${median(frames)} ms`);
  await page.context().close();
});

await browser.close();
console.log('\nsummary');
for (const { name, verdict } of measurements) console.log(`- ${name}: ${verdict}`);
