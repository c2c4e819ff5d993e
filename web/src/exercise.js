// Exercise sections of a lesson page: send the answer to the grader and show its report.
// The page (rendered by the server) provides, per exercise:
//   <section class="exercise" data-exercise-id="ID">
//     <textarea class="exercise-answer"> <button class="exercise-submit"> <div class="exercise-result" aria-live="polite">
// The grader's JSON is the contract in notes/COMMON.md; this module only renders it, with
// DOM nodes and textContent (never innerHTML), because messages echo what the student wrote.

import { el } from './dom.js';

const STATUS_LABELS = {
  pass: '통과',
  fail: '실패',
  skip: '건너뜀',
  error: '오류',
};

const SUMMARY = {
  pass: '통과했습니다. 모든 검사를 만족합니다.',
  fail: '아직 통과하지 못했습니다. 아래 검사 결과와 힌트를 확인하세요.',
  error: '제출한 YAML을 채점할 수 없습니다.',
};

/** Wires every exercise section under `root`. */
export function wireExercises(root) {
  for (const section of root.querySelectorAll('section.exercise[data-exercise-id]')) {
    const id = section.getAttribute('data-exercise-id') ?? '';
    const answer = section.querySelector('textarea.exercise-answer');
    const button = section.querySelector('button.exercise-submit');
    const result = section.querySelector('.exercise-result');
    if (!(answer instanceof HTMLTextAreaElement) || !button || !result) continue;
    const submit = () => submitAnswer(id, answer.value, button, result);
    button.addEventListener('click', submit);
    // Ctrl+Enter (⌘+Enter) submits from the keyboard without leaving the textarea.
    answer.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        submit();
      }
    });
  }
}

/**
 * @param {string} id
 * @param {string} yaml
 * @param {Element} button
 * @param {Element} result
 */
export async function submitAnswer(id, yaml, button, result) {
  button.setAttribute('disabled', '');
  result.setAttribute('aria-busy', 'true');
  result.replaceChildren(el('p', 'exercise-pending', '채점하는 중…'));
  try {
    const response = await fetch(`/api/exercises/${encodeURIComponent(id)}/submissions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/yaml', Accept: 'application/json' },
      body: yaml,
    });
    let report;
    try {
      report = await response.json();
    } catch {
      throw new Error(`서버 응답을 읽을 수 없습니다 (HTTP ${response.status}).`);
    }
    renderReport(result, report);
  } catch (error) {
    const message = error instanceof TypeError ? '서버에 연결할 수 없습니다.' : String(error.message ?? error);
    result.replaceChildren(verdictNode('error', message));
  } finally {
    button.removeAttribute('disabled');
    result.removeAttribute('aria-busy');
  }
}

/**
 * Renders the grader's report (or an error body such as `{ error: {message, hint} }`).
 * @param {Element} result
 * @param {any} report
 */
export function renderReport(result, report) {
  const status = ['pass', 'fail', 'error'].includes(report?.status) ? report.status : 'error';
  const nodes = [verdictNode(status, SUMMARY[status])];
  if (report?.error) {
    const box = el('div', 'exercise-error');
    box.append(el('p', 'exercise-error-message', String(report.error.message ?? '')));
    if (report.error.hint) box.append(hintNode(report.error.hint));
    nodes.push(box);
  }
  const checks = Array.isArray(report?.checks) ? report.checks : [];
  if (checks.length > 0) {
    const list = el('ul', 'exercise-checks');
    for (const check of checks) list.append(checkNode(check));
    nodes.push(list);
  }
  result.replaceChildren(...nodes);
  result.setAttribute('data-status', status);
}

/** @param {any} check */
function checkNode(check) {
  const status = STATUS_LABELS[check.status] ? check.status : 'fail';
  const item = el('li', `exercise-check check-${status}`);
  item.setAttribute('data-check-id', String(check.id ?? ''));
  const head = el('p', 'check-head');
  head.append(el('span', `badge badge-${status}`, STATUS_LABELS[status]), ' ', String(check.title ?? check.id ?? ''));
  item.append(head);
  if (check.message) item.append(el('p', 'check-message', String(check.message)));
  if (status !== 'pass' && check.hint) item.append(hintNode(check.hint));
  const present = (value) => value != null && value !== '';
  if (status === 'fail' && (present(check.expected) || present(check.observed))) {
    const details = el('dl', 'check-details');
    if (present(check.expected)) details.append(el('dt', '', '기대한 결과'), el('dd', '', stringify(check.expected)));
    if (present(check.observed)) details.append(el('dt', '', '실제 결과'), el('dd', '', stringify(check.observed)));
    item.append(details);
  }
  // A failed behaviour check carries the packet trace that explains it, one step per line.
  if (Array.isArray(check.trace) && check.trace.length > 0) {
    const trace = el('details', 'check-trace');
    trace.open = status === 'fail';
    trace.append(el('summary', '', '패킷 경로'));
    const steps = el('ol', '');
    for (const step of check.trace) steps.append(el('li', '', String(step)));
    trace.append(steps);
    item.append(trace);
  }
  return item;
}

/** @param {string} status @param {string} text */
function verdictNode(status, text) {
  const node = el('p', `exercise-verdict verdict-${status}`);
  node.append(el('strong', '', STATUS_LABELS[status] ?? status), ' ', text);
  return node;
}

/** @param {string} hint */
function hintNode(hint) {
  const node = el('p', 'check-hint');
  node.append(el('strong', '', '힌트:'), ' ', String(hint));
  return node;
}

function stringify(value) {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}
