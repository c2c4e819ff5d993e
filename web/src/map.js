// The cluster map: an SVG of the nodes with their pods (pause sandbox, containers, pod IP)
// and the services above them (ClusterIP, ports) joined to their endpoints. It renders only
// the simulator's ClusterView (sim-wasm view.rs) and redraws after every command; clicking
// an item opens a describe-like panel. A packet path highlights the pods and services whose
// addresses appear in the trace. JS keeps no cluster truth: each render starts from the view.

import { button, el, svgEl as svg } from './dom.js';

const NODE_WIDTH = 200;
const NODE_GAP = 16;
const POD_HEIGHT = 40;
const SERVICE_HEIGHT = 34;
const SERVICE_WIDTH = 170;
const TOP = 8;

/**
 * @typedef {{name: string, ip: string, roles: string[], ready: boolean, podCidr?: string}} NodeView
 * @typedef {{name: string, image: string, ready: boolean}} ContainerView
 * @typedef {{namespace: string, name: string, node: string | null, ip: string | null, phase: string,
 *   hostNetwork: boolean, containers: ContainerView[], labels: Record<string, string>}} PodView
 * @typedef {{port: number, targetPort: string, protocol: string, nodePort: number | null}} PortView
 * @typedef {{namespace: string, name: string, type: string, clusterIp: string | null, ports: PortView[],
 *   selector: Record<string, string>, endpoints: string[]}} ServiceView
 * @typedef {{nodes: NodeView[], pods: PodView[], services: ServiceView[]}} ClusterView
 */

export class ClusterMap {
  /** @param {HTMLElement} container  where the panel goes (inside #lab) */
  constructor(container) {
    this.panel = el('section', 'cluster-map');
    this.panel.setAttribute('aria-label', '클러스터 지도');
    // Hidden until the simulator provides a view.
    this.panel.hidden = true;
    const head = el('div', 'map-head');
    head.append(el('h2', 'map-title', '클러스터 지도'));
    this.systemToggle = el('label', 'map-toggle');
    this.showSystem = document.createElement('input');
    this.showSystem.type = 'checkbox';
    this.showSystem.addEventListener('change', () => this.render());
    this.systemToggle.append(this.showSystem, ' kube-system 포함');
    head.append(this.systemToggle);
    this.svg = svg('svg', { class: 'map-svg' });
    this.svg.setAttribute('role', 'group');
    this.svg.setAttribute('aria-label', '노드, 포드, 서비스');
    this.details = el('div', 'map-details');
    this.details.hidden = true;
    this.details.setAttribute('aria-live', 'polite');
    this.panel.append(head, this.svg, this.details);
    container.append(this.panel);
    /** @type {ClusterView | null} */
    this.view = null;
    /** Addresses on the last packet path (pod IPs, ClusterIPs), highlighted on the map. */
    this.hot = new Set();
    /** `kind/namespace/name` of the item whose details are open. */
    this.selected = null;
  }

  /** @param {ClusterView} view */
  update(view) {
    this.view = view;
    this.panel.hidden = false;
    this.render();
  }

  /** Highlights what a connection attempt touched (the IPs in its steps). */
  highlight(traces) {
    this.hot = new Set();
    for (const trace of traces ?? []) {
      for (const step of trace.steps ?? []) {
        for (const value of [step.ip, step.to, step.from, ...(step.answers ?? [])]) {
          if (typeof value === 'string') this.hot.add(value.replace(/:\d+$/, ''));
        }
      }
    }
    this.render();
  }

  render() {
    const view = this.view;
    if (!view) return;
    const visible = (namespace) => this.showSystem.checked || namespace !== 'kube-system';
    const pods = view.pods.filter((pod) => visible(pod.namespace));
    const services = view.services.filter((service) => visible(service.namespace));
    const nodes = view.nodes;
    const width = Math.max(nodes.length, 1) * (NODE_WIDTH + NODE_GAP);
    const perRow = Math.max(1, Math.floor(width / (SERVICE_WIDTH + 10)));
    const serviceRows = Math.ceil(services.length / perRow);
    const nodeTop = TOP + serviceRows * (SERVICE_HEIGHT + 10) + (services.length ? 20 : 0);
    const podsOn = (node) => pods.filter((pod) => pod.node === node);
    const tallest = Math.max(1, ...nodes.map((node) => podsOn(node.name).length));
    const height = nodeTop + 40 + tallest * (POD_HEIGHT + 8) + 10;
    this.svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    // Natural size in CSS pixels; CSS shrinks it to the panel (max-width: 100%), never grows it.
    this.svg.setAttribute('width', String(width));
    this.svg.setAttribute('height', String(height));

    /** Where each pod is drawn, by IP, for the service → endpoint lines. */
    const podAt = new Map();
    const nodeGroups = nodes.map((node, column) => {
      const x = column * (NODE_WIDTH + NODE_GAP) + NODE_GAP / 2;
      const group = svg('g', { class: 'map-node', 'data-node': node.name });
      group.append(
        svg('rect', { x, y: nodeTop, width: NODE_WIDTH, height: height - nodeTop - 4, rx: 10, class: 'map-node-box' }),
        svg('text', { x: x + 10, y: nodeTop + 18, class: 'map-node-name' }, node.name),
        svg('text', { x: x + 10, y: nodeTop + 32, class: 'map-node-ip' }, `${node.ip}${node.roles.length ? ` · ${node.roles.join(',')}` : ''}`),
      );
      podsOn(node.name).forEach((pod, row) => {
        const y = nodeTop + 40 + row * (POD_HEIGHT + 8);
        const id = `pod/${pod.namespace}/${pod.name}`;
        const classes = ['map-pod', `phase-${pod.phase.toLowerCase()}`];
        if (pod.ip && this.hot.has(pod.ip)) classes.push('hot');
        if (this.selected === id) classes.push('selected');
        const item = this.item(classes.join(' '), `포드 ${pod.namespace}/${pod.name}, ${pod.phase}, IP ${pod.ip ?? '없음'}`, () => this.select(id));
        item.setAttribute('data-pod', `${pod.namespace}/${pod.name}`);
        item.append(
          svg('rect', { x: x + 8, y, width: NODE_WIDTH - 16, height: POD_HEIGHT, rx: 6, class: 'map-pod-box' }),
          // The pause sandbox owns the pod's network namespace; the containers share it.
          svg('rect', { x: x + 14, y: y + 6, width: 10, height: POD_HEIGHT - 12, rx: 2, class: 'map-pause' }),
          svg('text', { x: x + 30, y: y + 16, class: 'map-pod-name' }, truncate(pod.name, 26)),
          svg('text', { x: x + 30, y: y + 31, class: 'map-pod-ip' }, `${pod.ip ?? '—'} · 컨테이너 ${pod.containers.length}`),
        );
        group.append(item);
        if (pod.ip && !pod.hostNetwork) podAt.set(pod.ip, { x: x + NODE_WIDTH / 2, y, hot: this.hot.has(pod.ip) });
      });
      return group;
    });

    const lines = [];
    const serviceGroups = services.map((service, index) => {
      const x = (index % perRow) * (SERVICE_WIDTH + 10) + 8;
      const y = TOP + Math.floor(index / perRow) * (SERVICE_HEIGHT + 10);
      const id = `svc/${service.namespace}/${service.name}`;
      const hot = service.clusterIp && this.hot.has(service.clusterIp);
      const classes = ['map-service', hot ? 'hot' : '', this.selected === id ? 'selected' : ''].filter(Boolean).join(' ');
      const ports = service.ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol}`).join(',');
      const item = this.item(classes, `서비스 ${service.namespace}/${service.name}, ${service.clusterIp ?? 'None'} ${ports}`, () => this.select(id));
      item.setAttribute('data-service', `${service.namespace}/${service.name}`);
      item.append(
        svg('rect', { x, y, width: SERVICE_WIDTH, height: SERVICE_HEIGHT, rx: 17, class: 'map-service-box' }),
        svg('text', { x: x + 12, y: y + 14, class: 'map-service-name' }, truncate(service.name, 20)),
        svg('text', { x: x + 12, y: y + 27, class: 'map-service-ip' }, truncate(`${service.clusterIp ?? 'None'} ${ports}`, 26)),
      );
      // One line per endpoint pod, however many ports it serves (kube-dns: 53/UDP, 53/TCP, 9153).
      const endpointIps = new Set(service.endpoints.map((endpoint) => endpoint.replace(/:\d+$/, '')));
      for (const ip of endpointIps) {
        const pod = podAt.get(ip);
        if (!pod) continue;
        // Only the endpoint the packet really went to carries the flow.
        const flow = hot && pod.hot;
        lines.push(svg('line', { x1: x + SERVICE_WIDTH / 2, y1: y + SERVICE_HEIGHT, x2: pod.x, y2: pod.y, class: `map-endpoint${flow ? ' hot' : ''}` }));
      }
      return item;
    });
    // Redrawing replaces every item, and a removed element takes the focus with it: put a
    // keyboard user back on the item they were on (Enter redraws, and so does every change
    // of the cluster), or they would be thrown back to the top of the page.
    const focused = itemKey(document.activeElement);
    this.svg.replaceChildren(...nodeGroups, ...lines, ...serviceGroups);
    if (focused) [...this.svg.querySelectorAll('[tabindex]')].find((item) => itemKey(item) === focused)?.focus();
    this.renderDetails();
  }

  /** A focusable, clickable SVG group (keyboard: Enter or Space). */
  item(className, label, onActivate) {
    const group = svg('g', { class: className, tabindex: 0, role: 'button', 'aria-label': label });
    group.addEventListener('click', onActivate);
    group.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        onActivate();
      }
    });
    return group;
  }

  /** @param {string} id */
  select(id) {
    this.selected = this.selected === id ? null : id;
    this.render();
  }

  /** The describe-like panel of the selected pod or service. */
  renderDetails() {
    const view = this.view;
    const [kind, namespace, name] = (this.selected ?? '').split('/');
    const pod = kind === 'pod' ? view?.pods.find((p) => p.namespace === namespace && p.name === name) : undefined;
    const service = kind === 'svc' ? view?.services.find((s) => s.namespace === namespace && s.name === name) : undefined;
    if (!pod && !service) {
      this.details.hidden = true;
      return;
    }
    const rows = pod
      ? [
          ['Name', pod.name],
          ['Namespace', pod.namespace],
          ['Node', pod.node ?? '<none>'],
          ['Status', pod.phase],
          ['IP', pod.ip ?? '<none>'],
          ['Labels', labels(pod.labels)],
          ['Containers', pod.containers.map((c) => `${c.name} (${c.image})${c.ready ? '' : ' — 준비 안 됨'}`).join('\n')],
          ['Sandbox', pod.hostNetwork ? '노드의 네트워크를 그대로 씁니다 (hostNetwork)' : 'pause 컨테이너가 네트워크 네임스페이스와 IP를 가집니다'],
        ]
      : [
          ['Name', service.name],
          ['Namespace', service.namespace],
          ['Type', service.type],
          ['IP', service.clusterIp ?? 'None'],
          ['Port', service.ports.map((p) => `${p.port}/${p.protocol} → ${p.targetPort}${p.nodePort ? ` (NodePort ${p.nodePort})` : ''}`).join('\n')],
          ['Selector', labels(service.selector)],
          ['Endpoints', service.endpoints.join(', ') || '<none>'],
        ];
    const list = el('dl', 'map-describe');
    for (const [term, value] of rows) list.append(el('dt', '', term), el('dd', '', value));
    const close = button('닫기', '자세히 보기를 닫습니다', () => this.select(this.selected ?? ''));
    const title = pod ? `포드 ${pod.namespace}/${pod.name}` : `서비스 ${service.namespace}/${service.name}`;
    this.details.replaceChildren(el('h3', 'map-details-title', title), list, close);
    this.details.hidden = false;
  }
}

/** `pod:ns/name` or `svc:ns/name` of a map item, or null for anything else. */
function itemKey(element) {
  const pod = element?.getAttribute?.('data-pod');
  const service = element?.getAttribute?.('data-service');
  return pod ? `pod:${pod}` : service ? `svc:${service}` : null;
}

function labels(map) {
  const entries = Object.entries(map ?? {});
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(',') : '<none>';
}

function truncate(text, length) {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
