// The JS facade of the simulator, exercised from Node without a browser: web/src/sim.js over
// the wasm module that `cargo xtask web` wrote to web/dist/pkg.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { loadSimSync, seedFor, SimHandle } from '../src/sim.js';

loadSimSync(readFileSync(new URL('../dist/pkg/sim_wasm_bg.wasm', import.meta.url)));

test('an unknown command answers like bash with exit code 127', () => {
  const sim = new SimHandle(1);
  const result = sim.exec('foo');
  assert.deepEqual(
    { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode, continuation: result.continuation },
    { stdout: '', stderr: 'bash: foo: command not found\n', exitCode: 127, continuation: false },
  );
  assert.deepEqual(result.traces, []);
});

test('display interleaves the two streams in the order a terminal shows them', () => {
  const sim = new SimHandle(1);
  const result = sim.exec('foo; echo hi');
  assert.equal(result.stdout, 'hi\n');
  assert.equal(result.stderr, 'bash: foo: command not found\n');
  assert.equal(result.display, 'bash: foo: command not found\nhi\n');
});

test('exec returns the next prompt so the terminal needs no second call', () => {
  const sim = new SimHandle(1);
  const result = sim.exec('foo');
  assert.equal(result.prompt, 'user@master:~$ ');
  assert.equal(sim.prompt(), result.prompt);
});

test('files written through the facade read back, missing files are undefined', () => {
  const sim = new SimHandle(7);
  sim.writeFile('ns.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: 파랑\n');
  assert.equal(sim.readFile('ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: 파랑\n');
  assert.equal(sim.readFile('nope.yaml'), undefined);
});

test('the virtual clock only moves forward and clamps nonsense to zero', () => {
  const sim = new SimHandle(1);
  sim.advanceTo(-5);
  sim.advanceTo(Number.NaN);
  assert.equal(sim.now(), 0);
  sim.advanceTo(1500);
  assert.equal(sim.now(), 1500);
  sim.advanceTo(1000);
  assert.equal(sim.now(), 1500);
});

test('seeds are stable per lesson slug and fit in 64 bits', () => {
  assert.equal(seedFor('network-model'), seedFor('network-model'));
  assert.notEqual(seedFor('network-model'), seedFor('dns'));
  assert.ok(seedFor('한글-슬러그') < 2n ** 64n);
  // A u64 seed beyond 2^53 crosses the boundary as a BigInt without losing bits.
  assert.doesNotThrow(() => new SimHandle(2n ** 64n - 1n));
});

test('interrupt drops an unfinished heredoc and leaves $? at 130', () => {
  const sim = new SimHandle(1);
  assert.equal(sim.exec('cat <<EOF > half.yaml').continuation, true);
  assert.equal(sim.prompt(), '> ');
  sim.interrupt();
  assert.equal(sim.prompt(), 'user@master:~$ ');
  assert.equal(sim.exec('echo $?').stdout, '130\n');
  assert.equal(sim.readFile('half.yaml'), undefined);
});
