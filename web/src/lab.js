// The lab of one lesson: a simulator, the terminal in front of it, the virtual clock, and the
// saved log that makes the lab survive a reload and travel in a link. It wires these parts
// together; commands mean nothing here (the simulator answers them).

import { seedFor, SimHandle } from './sim.js';
import { LabTerminal } from './terminal.js';
import { SavedLab } from './state.js';
import { completions } from './complete.js';

// How often the virtual clock follows the wall clock, so pods go from ContainerCreating to
// Running while the student watches.
const CLOCK_TICK_MS = 1000;

// `vi FILE`, `vim FILE`, `nano FILE` open the lab's editor instead of a full-screen editor
// the terminal could not draw.
/** kubectl's names for the kinds whose object names Tab can complete. */
const KIND_ALIASES = {
  pods: 'pods', pod: 'pods', po: 'pods',
  services: 'services', service: 'services', svc: 'services',
  nodes: 'nodes', node: 'nodes', no: 'nodes',
  namespaces: 'namespaces', namespace: 'namespaces', ns: 'namespaces',
};

const EDIT_COMMAND = /^\s*(?:sudo\s+)?(?:vi|vim|nano)\s+([^\s;|&<>]+)\s*$/;

export class Lab {
  /**
   * @param {HTMLElement} host  the #terminal element
   * @param {string} slug       the lesson (seeds the cluster, keys the saved state)
   * @param {Storage | null} storage
   */
  constructor(host, slug, storage) {
    this.slug = slug;
    this.saved = new SavedLab(slug, storage);
    this.seed = seedFor(slug);
    this.sim = new SimHandle(this.seed);
    /** Wall-clock `performance.now()` that corresponds to virtual time 0. */
    this.origin = performance.now();
    /** While a log is replayed, time comes from the log and nothing is recorded again. */
    this.replaying = false;
    /** The shell is inside a heredoc: lines are data, not commands. */
    this.continuation = false;
    /** Called with a home-relative path when the student runs `vi FILE` (main.js sets it). */
    this.onEdit = null;
    /** Called after anything may have changed the cluster (a command, a clock tick). */
    this.onChange = null;
    this.terminal = new LabTerminal(host, {
      exec: (line) => this.exec(line),
      interrupt: () => this.interrupt(),
      prompt: () => this.sim.prompt(),
      complete: (before) => completions(before, (kind, word) => this.names(kind, word)),
    });
    this.timer = setInterval(() => {
      this.advanceClock();
      this.changed();
    }, CLOCK_TICK_MS);
    this.changePending = false;
  }

  /**
   * Replays a saved or shared log (if any) and starts recording.
   * @param {import('./state.js').LabLog | null} log
   * @returns {number} how many typed lines were replayed
   */
  restore(log) {
    if (!log || log.entries.length === 0) {
      this.saved.start(this.seed);
      return 0;
    }
    if (BigInt(log.seed) !== this.seed) {
      this.seed = BigInt(log.seed);
      this.sim = new SimHandle(this.seed);
      this.terminal.reset();
    }
    this.replaying = true;
    try {
      for (const entry of log.entries) {
        this.sim.advanceTo(entry.t);
        if ('line' in entry) this.terminal.run(entry.line);
        else if ('interrupt' in entry) this.terminal.interrupt();
        else this.sim.writeFile(entry.file, entry.contents);
      }
    } finally {
      this.replaying = false;
    }
    // Continue the virtual clock from where the log stopped.
    this.origin = performance.now() - this.sim.now();
    this.saved.start(this.seed, log.entries);
    return log.entries.filter((entry) => 'line' in entry).length;
  }

  /** @param {string} line */
  exec(line) {
    const edit = this.continuation || this.replaying || !this.onEdit ? null : EDIT_COMMAND.exec(line);
    if (edit && this.onEdit) {
      this.onEdit(edit[1].replace(/^~\//, '').replace(/^\.\//, ''));
      return { stdout: '', stderr: '', display: '', exitCode: 0, continuation: false, prompt: this.sim.prompt(), traces: [] };
    }
    // The clock is not advanced here: catching controllers up costs the simulator a frame or
    // more on a busy cluster, so it happens on the 1 s tick, never while a student waits
    // for an answer. The virtual time a command sees is at most one tick old.
    const t = this.sim.now();
    const result = this.sim.exec(line);
    this.continuation = result.continuation;
    if (!this.replaying) {
      this.saved.record({ t, line });
      this.changed();
    }
    return result;
  }

  /**
   * Ctrl+C: the simulator forgets an unfinished heredoc. Recorded like a line, so a replay
   * (reload, shared link) does not read the lines typed afterwards as heredoc text.
   */
  interrupt() {
    const t = this.sim.now();
    this.sim.interrupt();
    this.continuation = false;
    if (!this.replaying) {
      this.saved.record({ t, interrupt: true });
      this.changed();
    }
  }

  /** Saves a file into the simulated home directory (the editor's save). */
  writeFile(path, contents) {
    this.advanceClock();
    this.sim.writeFile(path, contents);
    this.saved.record({ t: this.sim.now(), file: path, contents });
  }

  /** @param {string} path */
  readFile(path) {
    return this.sim.readFile(path);
  }

  /**
   * Names to complete for a kind as typed (`pods`, `po`, `svc`, …), from the simulator's
   * view of the cluster; for 'files', the paths in the shell's filesystem that complete `word`.
   * @param {string} kind
   * @param {string} [word]
   * @returns {string[]}
   */
  names(kind, word = '') {
    if (kind === 'files') return this.sim.completePath(word);
    const view = this.view();
    if (!view) return [];
    switch (KIND_ALIASES[kind]) {
      case 'pods':
        return view.pods.map((pod) => pod.name);
      case 'services':
        return view.services.map((service) => service.name);
      case 'nodes':
        return view.nodes.map((node) => node.name);
      case 'namespaces':
        return ['default', ...view.pods.map((pod) => pod.namespace), ...view.services.map((service) => service.namespace)];
      default:
        return [];
    }
  }

  /** A fresh cluster for this lesson; the saved state is forgotten. */
  reset() {
    this.saved.clear();
    this.seed = seedFor(this.slug);
    this.sim = new SimHandle(this.seed);
    this.origin = performance.now();
    this.saved.start(this.seed);
    this.continuation = false;
    this.terminal.reset();
    this.changed();
  }

  /** Tells the listener (the map) once per frame at most, after the command's output is on
   *  screen: redrawing is never part of how long a command takes to answer. */
  changed() {
    if (this.changePending || !this.onChange) return;
    this.changePending = true;
    requestAnimationFrame(() => {
      this.changePending = false;
      this.onChange?.();
    });
  }

  shareUrl() {
    return this.saved.shareUrl(window.location);
  }

  /** The virtual clock follows the wall clock (never backwards: the core ignores that). */
  advanceClock() {
    this.sim.advanceTo(performance.now() - this.origin);
  }

  /** @returns {import('./map.js').ClusterView | null} */
  view() {
    return this.sim.view();
  }
}
