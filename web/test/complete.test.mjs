// Tab completion's vocabulary and word splitting (web/src/complete.js), without a browser.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { commonPrefix, completions } from '../src/complete.js';

const names = (kind) => ({ files: ['ns.yaml', 'nginx.yaml'], pods: ['web-1', 'web-2'], namespaces: ['blue', 'default'] })[kind] ?? [];

test('the first word completes to commands', () => {
  assert.deepEqual(completions('kub', names), { word: 'kub', candidates: ['kubectl'] });
  assert.deepEqual(completions('sudo ipt', names).candidates, ['iptables', 'iptables-save']);
});

test('kubectl completes verbs, then kinds, then object names', () => {
  assert.deepEqual(completions('kubectl ge', names).candidates, ['get']);
  assert.deepEqual(completions('kubectl get svc', names).candidates, ['svc']);
  assert.deepEqual(completions('kubectl get pods w', names).candidates, ['web-1', 'web-2']);
  assert.deepEqual(completions('kubectl exec -it w', names).candidates, ['web-1', 'web-2']);
});

test('flags and their values complete', () => {
  assert.deepEqual(completions('kubectl get pods --all', names).candidates, ['--all-namespaces']);
  assert.deepEqual(completions('kubectl get pods -n b', names).candidates, ['blue']);
  assert.deepEqual(completions('kubectl apply -f n', names).candidates, ['nginx.yaml', 'ns.yaml']);
  assert.deepEqual(completions('kubectl get nodes -o w', names).candidates, ['wide']);
});

test('other commands complete file names, and an empty word offers everything', () => {
  assert.deepEqual(completions('cat ', names).candidates, ['nginx.yaml', 'ns.yaml']);
});

test('the common prefix of several candidates is what a first Tab inserts', () => {
  assert.equal(commonPrefix(['nginx.yaml', 'ns.yaml']), 'n');
  assert.equal(commonPrefix(['iptables', 'iptables-save']), 'iptables');
  assert.equal(commonPrefix([]), '');
});
