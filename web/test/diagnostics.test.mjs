// Editor diagnostics (web/src/diagnostics.js): the simulator's verdict placed on the right
// lines of the editor's text, with kubectl's wording for errors.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { manifestDiagnostics } from '../src/diagnostics.js';

const lineOf = (text, from) => text.slice(0, from).split('\n').length;

test('a parse error in the second document lands on its line of the whole file', () => {
  const text = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: blue\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: [srv\n';
  const check = {
    documents: [{ firstLine: 1, kind: 'Namespace', name: 'blue' }],
    duplicates: [],
    error: { line: 4, message: 'error converting YAML to JSON: yaml: line 4: did not find expected node content' },
  };
  const [diagnostic] = manifestDiagnostics(text, check, 'svc.yaml');
  assert.equal(diagnostic.severity, 'error');
  assert.equal(lineOf(text, diagnostic.from), 9);
  assert.equal(diagnostic.message, 'error parsing svc.yaml: error converting YAML to JSON: yaml: line 4: did not find expected node content');
});

test('a repeated key is a warning on the line that silently wins', () => {
  const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\napiVersion: v1\nkind: Service\n';
  const check = {
    documents: [{ firstLine: 1, kind: 'Service', name: 'web' }],
    duplicates: [
      { key: 'apiVersion', path: '', firstLine: 1, line: 5 },
      { key: 'kind', path: '', firstLine: 2, line: 6 },
    ],
    error: null,
  };
  const diagnostics = manifestDiagnostics(text, check, 'web.yaml');
  assert.deepEqual(diagnostics.map((d) => [d.severity, lineOf(text, d.from)]), [['warning', 5], ['warning', 6]]);
  assert.match(diagnostics[0].message, /^apiVersion 키가 1번째 줄에도 있습니다/);
});

test('an error without a line marks the first line, and a clean manifest has no diagnostics', () => {
  const text = 'kind: Namespace\n';
  assert.deepEqual(manifestDiagnostics(text, { documents: [], duplicates: [], error: { line: null, message: 'invalid Yaml document separator: x' } }, 'a.yaml').map((d) => [d.from, d.to]), [[0, 15]]);
  assert.deepEqual(manifestDiagnostics(text, { documents: [{ firstLine: 1, kind: 'Namespace', name: '' }], duplicates: [], error: null }, 'a.yaml'), []);
});
