// Issue 3's scale benchmark on the browser's build: the wasm package `cargo xtask web` wrote
// to web/dist/pkg, run under Node. The same cluster as `cargo bench -p sim-wasm --bench
// scale` (1,000 deployments × 5 replicas, 1,000 services, one manifest): apply, settle,
// `kubectl get pods -A`, `kubectl describe svc svc1`; medians of a few runs, and the wasm
// linear memory once the cluster has settled (it only grows, so it is the peak).
//
// The facade has no `settle()`: the browser moves the clock with `advanceTo`, so "settle"
// here is advancing the virtual clock one minute, which stops at the same deadlines.
//
//   node web/bench/scale.mjs [deployments=1000] [runs=3]

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

// Through web/src/sim.js, the facade the browser's terminal uses, so its JS side is timed too.
import { loadSimSync, SimHandle } from '../src/sim.js';

const deployments = Number(process.argv[2] ?? 1000);
const runs = Number(process.argv[3] ?? 3);

function manifest(n) {
  let text = '';
  for (let i = 0; i < n; i++) {
    text += `---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app${i}\nspec:\n  replicas: 5\n  selector:\n    matchLabels:\n      app: app${i}\n  template:\n    metadata:\n      labels:\n        app: app${i}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n        ports:\n        - containerPort: 80\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc${i}\nspec:\n  selector:\n    app: app${i}\n  ports:\n  - port: 80\n`;
  }
  return text;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timed(f) {
  const t = performance.now();
  const result = f();
  return [performance.now() - t, result];
}

const text = manifest(deployments);
const samples = { apply: [], settle: [], get: [], describe: [] };
// Linear memory never shrinks but freed blocks are reused, so after the runs (each cluster
// freed before the next) it is about the peak of one run.
const wasm = loadSimSync(readFileSync(new URL('../dist/pkg/sim_wasm_bg.wasm', import.meta.url)));
for (let seed = 0; seed < runs; seed++) {
  const sim = new SimHandle(seed);
  sim.writeFile('big.yaml', text);
  const [apply, out] = timed(() => sim.exec('kubectl apply -f big.yaml'));
  if (out.exitCode !== 0) throw new Error(out.stderr);
  samples.apply.push(apply);
  samples.settle.push(timed(() => sim.advanceTo(sim.now() + 60_000))[0]);
  const [get, pods] = timed(() => sim.exec('kubectl get pods -A'));
  if (pods.stdout.split('\n').length <= deployments * 5) throw new Error('too few pods listed');
  samples.get.push(get);
  samples.describe.push(timed(() => sim.exec('kubectl describe svc svc1'))[0]);
  sim.free();
}

const ms = (x) => `${x.toFixed(1)} ms`;
console.log(`wasm: ${deployments} deployments (${deployments * 5} pods), ${deployments} services, ${text.length} bytes of YAML, median of ${runs}:`);
console.log(`  kubectl apply -f:      ${ms(median(samples.apply))}`);
console.log(`  settle (advance 60 s): ${ms(median(samples.settle))}`);
console.log(`  kubectl get pods -A:   ${ms(median(samples.get))}`);
console.log(`  kubectl describe svc:  ${ms(median(samples.describe))}`);
console.log(`  wasm linear memory:    ${(wasm.memory.buffer.byteLength / 1024 / 1024).toFixed(1)} MB`);
