// The packet path view: after a command that made connection attempts (curl, wget,
// nslookup, ping), show where each packet went and why it stopped, step by step in Korean,
// with a small node diagram that animates the hops. It renders only the simulator's traces
// (the JSON contract of sim-wasm's net/trace.rs); it never computes a path itself.

import { button, el, svgEl as svg } from './dom.js';

/** How long each step stays highlighted while the path plays. */
const STEP_MS = 450;

const OUTCOMES = {
  connected: ['연결됨', 'pass'],
  resolved: ['이름 확인됨', 'pass'],
  refused: ['연결 거부', 'fail'],
  dns_failure: ['DNS 이름 확인 실패', 'fail'],
  timeout: ['시간 초과', 'fail'],
  no_route: ['경로 없음', 'fail'],
};

/**
 * A step's short label and its technical detail line.
 * @param {any} step
 * @returns {[string, string]}
 */
export function describeStep(step) {
  switch (step.kind) {
    case 'dns_query':
      return ['DNS 질의', `${step.name} ${step.qtype} → ${step.server}`];
    case 'dns_answer':
      return ['DNS 응답', `${step.name} ${step.rcode}${step.answers?.length ? ` ${step.answers.join(', ')}` : ''}`];
    case 'rule_matched':
      return [step.chain, `[${step.node} ${step.table}] ${step.rule}`];
    case 'dnat':
      return ['DNAT', `${step.from} → ${step.to}`];
    case 'route':
      return ['라우팅', `[${step.node}] ${step.destination}${step.gateway ? ` via ${step.gateway}` : ''} dev ${step.device}`];
    case 'node_hop':
      return ['노드 이동', `${step.from_node} → ${step.to_node} (${step.device})`];
    case 'deliver':
      return ['전달', `${step.target} ${step.ip}${step.port != null ? `:${step.port}` : ''}`];
    case 'accept':
      return ['수락', step.process];
    case 'refuse':
      return ['거부', step.reason];
    case 'drop':
      return ['폐기', step.reason];
    case 'timeout':
      return ['시간 초과', `${step.after_ms} ms`];
    default:
      return [String(step.kind ?? '?'), ''];
  }
}

/** The node a step happens on, when it says. */
function stepNode(step) {
  if (step.kind === 'node_hop') return step.to_node;
  return step.node ?? null;
}

export class PacketView {
  /** @param {HTMLElement} container  where the panel goes (inside #lab) */
  constructor(container) {
    this.panel = el('section', 'packet-path');
    this.panel.hidden = true;
    this.panel.setAttribute('aria-label', '패킷 경로');
    const head = el('div', 'packet-head');
    this.title = el('h2', 'packet-title', '패킷 경로');
    this.picker = el('select', 'packet-picker');
    this.picker.setAttribute('aria-label', '연결 시도 선택');
    this.picker.addEventListener('change', () => this.render(Number(this.picker.value)));
    const replay = button('다시 보기', '패킷 경로 애니메이션을 다시 재생합니다', () => this.play());
    const close = button('닫기', '패킷 경로를 닫습니다', () => {
      this.panel.hidden = true;
    });
    head.append(this.title, this.picker, replay, close);
    this.summary = el('p', 'packet-summary');
    this.summary.setAttribute('aria-live', 'polite');
    this.diagram = svg('svg', { class: 'packet-diagram' });
    this.diagram.setAttribute('role', 'img');
    this.steps = el('ol', 'packet-steps');
    this.panel.append(head, this.summary, this.diagram, this.steps);
    container.append(this.panel);
    /** @type {any[]} */
    this.traces = [];
    this.timer = 0;
  }

  /** Shows the traces of one command (the last attempt first); nothing when there are none. */
  show(traces) {
    if (!Array.isArray(traces) || traces.length === 0) return;
    this.traces = traces;
    this.picker.replaceChildren(
      ...traces.map((trace, index) => new Option(`${index + 1}. ${trace.command ?? ''}`, String(index))),
    );
    this.picker.hidden = traces.length < 2;
    this.picker.value = String(traces.length - 1);
    this.panel.hidden = false;
    this.render(traces.length - 1);
  }

  /** @param {number} index */
  render(index) {
    const trace = this.traces[index];
    if (!trace) return;
    const [outcome, tone] = OUTCOMES[trace.outcome] ?? [String(trace.outcome ?? ''), 'fail'];
    this.summary.replaceChildren(
      el('span', `badge badge-${tone}`, outcome),
      ' ',
      el('code', '', trace.command ?? ''),
      el('span', 'packet-source', ` — 출발: ${trace.source ?? ''}`),
    );
    this.panel.dataset.outcome = String(trace.outcome ?? '');
    const steps = Array.isArray(trace.steps) ? trace.steps : [];
    this.steps.replaceChildren(
      ...steps.map((step) => {
        const [label, detail] = describeStep(step);
        const item = el('li', `packet-step step-${step.kind}`);
        item.append(el('span', 'step-label', label), ' ', el('code', 'step-detail', detail));
        if (step.explain) item.append(el('p', 'step-explain', step.explain));
        return item;
      }),
    );
    this.drawDiagram(trace, steps);
    this.play();
  }

  /** Nodes as columns; each step is a dot in its node's column, joined in order. */
  drawDiagram(trace, steps) {
    const nodes = ['master', 'worker1', 'worker2'];
    for (const step of steps) {
      const node = stepNode(step);
      if (node && !nodes.includes(node)) nodes.push(node);
    }
    const width = 120 * nodes.length;
    const rowHeight = 26;
    const height = 40 + rowHeight * Math.max(steps.length, 1);
    this.diagram.setAttribute('viewBox', `0 0 ${width} ${height}`);
    this.diagram.setAttribute('width', String(width));
    this.diagram.setAttribute('height', String(height));
    this.diagram.setAttribute('aria-label', `노드 ${nodes.join(', ')} 사이의 패킷 경로, ${steps.length}단계`);
    const parts = [];
    nodes.forEach((node, column) => {
      const x = 60 + column * 120;
      parts.push(svg('rect', { x: x - 52, y: 4, width: 104, height: height - 8, rx: 8, class: 'diagram-node' }));
      parts.push(svg('text', { x, y: 22, 'text-anchor': 'middle', class: 'diagram-node-name' }, node));
    });
    let column = Math.max(0, nodes.indexOf(sourceNode(trace) ?? 'master'));
    const points = steps.map((step, row) => {
      const node = stepNode(step);
      if (node && nodes.includes(node)) column = nodes.indexOf(node);
      return [60 + column * 120, 44 + row * rowHeight];
    });
    if (points.length > 1) {
      parts.push(svg('polyline', { points: points.map((p) => p.join(',')).join(' '), class: 'diagram-path' }));
    }
    points.forEach(([x, y], row) => {
      const [label] = describeStep(steps[row]);
      parts.push(svg('circle', { cx: x, cy: y, r: 6, class: `diagram-step step-${steps[row].kind}`, 'data-step': row }));
      parts.push(svg('text', { x: x + 10, y: y + 4, class: 'diagram-step-label' }, label.length > 18 ? `${label.slice(0, 17)}…` : label));
    });
    this.diagram.replaceChildren(...parts);
  }

  /** Highlights the steps one after another (instantly when the user prefers less motion). */
  play() {
    clearInterval(this.timer);
    const items = [...this.steps.children];
    const dots = [...this.diagram.querySelectorAll('.diagram-step')];
    const reduce = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
    const light = (upTo) => {
      items.forEach((item, i) => item.classList.toggle('lit', i <= upTo));
      dots.forEach((dot, i) => dot.classList.toggle('lit', i <= upTo));
    };
    if (reduce) {
      light(items.length - 1);
      return;
    }
    let current = -1;
    light(current);
    this.timer = setInterval(() => {
      current++;
      light(current);
      if (current >= items.length - 1) clearInterval(this.timer);
    }, STEP_MS);
  }
}

/** `pod default/web (10.0.0.5) on worker1` → `worker1`; a node source is its own name. */
function sourceNode(trace) {
  const source = String(trace.source ?? '');
  const on = / on ([\w.-]+)\s*$/.exec(source);
  if (on) return on[1];
  const node = /^(?:node\s+)?([\w.-]+)/.exec(source);
  return node ? node[1] : null;
}
