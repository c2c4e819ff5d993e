// The only module that imports the wasm package (web/dist/pkg, written by `cargo xtask web`).
// Everything else talks to the simulator through `SimHandle`, which turns the facade's JSON
// strings into plain objects. It holds no cluster state of its own: the truth lives in wasm.

import init, { initSync, Sim } from '../dist/pkg/sim_wasm.js';

/**
 * Loads and instantiates the wasm module once. `wasmUrl` is passed explicitly because the
 * glue's default (`import.meta.url`) points at app.js's folder once bundled.
 * @param {URL|string} wasmUrl
 */
export async function loadSim(wasmUrl) {
  await init({ module_or_path: wasmUrl });
}

/**
 * Synchronous instantiation from the module's bytes (Node tests and benchmarks); returns
 * the module's exports (the scale benchmark reads its linear memory).
 * @param {BufferSource} bytes
 */
export function loadSimSync(bytes) {
  return initSync({ module: bytes });
}

/**
 * @typedef {object} ExecResult
 * @property {string} stdout
 * @property {string} stderr
 * @property {string} display        both streams interleaved as a terminal shows them
 * @property {number} exitCode
 * @property {boolean} continuation  an unfinished heredoc: send the next line
 * @property {string} prompt         the prompt to show next
 * @property {Array<{steps: Array<{kind: string, detail: string}>}>} traces
 */

/** One simulated cluster plus the student's shell. */
export class SimHandle {
  /**
   * @param {number|bigint} seed
   * @param {{cni?: string, loadBalancer?: string}} [cluster]  the lesson's `lab:` settings
   *   (`calico`|`flannel`|`weave-net`, `none`|`metallb`); left out: Calico, no load balancer
   */
  constructor(seed, cluster = {}) {
    this.sim = new Sim(BigInt(seed), cluster.cni, cluster.loadBalancer);
  }

  /**
   * Runs one typed line (or several separated by `\n`).
   * @param {string} line
   * @returns {ExecResult}
   */
  exec(line) {
    // The text comes as plain strings after the JSON (see sim-wasm/src/wasm.rs: escaping a
    // long output into JSON and parsing it back cost more than the command itself).
    const { displayIsStdout, ...result } = JSON.parse(this.sim.exec(line));
    result.stdout = this.sim.takeStdout();
    result.stderr = this.sim.takeStderr();
    result.display = displayIsStdout ? result.stdout : this.sim.takeDisplay();
    return result;
  }

  /** Releases the cluster's memory now instead of whenever JS collects this handle. */
  free() {
    this.sim.free();
  }

  /** Ctrl+C: drops an unfinished heredoc and sets `$?` to 130, as bash does. */
  interrupt() {
    this.sim.interrupt();
  }

  /** @returns {string} */
  prompt() {
    return this.sim.prompt();
  }

  /** @param {string} path @param {string} contents */
  writeFile(path, contents) {
    this.sim.writeFile(path, contents);
  }

  /** @param {string} path @returns {string|undefined} */
  readFile(path) {
    return this.sim.readFile(path);
  }

  /**
   * Paths completing `word` in the shell's current directory (directories end in `/`).
   * @param {string} word
   * @returns {string[]}
   */
  completePath(word) {
    return this.sim.completePath(word);
  }

  /** Moves the virtual clock to `ms` milliseconds after the cluster's creation. */
  advanceTo(ms) {
    this.sim.advanceTo(ms);
  }

  /**
   * The cluster as the map draws it (nodes, pods, services with endpoints), or null while
   * the wasm module has no `view` (older builds).
   * @returns {import('./map.js').ClusterView | null}
   */
  view() {
    if (typeof this.sim.view !== 'function') return null;
    const text = this.sim.view();
    return text ? JSON.parse(text) : null;
  }

  /**
   * What `kubectl apply -f` would say about a manifest's YAML, without applying it: the
   * documents it read, repeated keys (the later value silently wins), and the parse error.
   * Null while the wasm module has no `checkManifest` (older builds).
   * @param {string} text
   * @returns {{documents: {firstLine: number, kind: string, name: string}[],
   *   duplicates: {key: string, path: string, firstLine: number, line: number}[],
   *   error: {message: string, line: number | null} | null} | null}
   */
  checkManifest(text) {
    if (typeof this.sim.checkManifest !== 'function') return null;
    return JSON.parse(this.sim.checkManifest(text));
  }

  /** @returns {number} the virtual clock in milliseconds */
  now() {
    return this.sim.now();
  }
}

/**
 * A stable 64-bit seed for a lesson (FNV-1a over its slug's UTF-16 units), so the same lesson
 * shows the same generated names and addresses on every visit.
 * @param {string} slug
 */
export function seedFor(slug) {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < slug.length; i++) {
    hash ^= BigInt(slug.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash;
}
