// Saving and sharing a lab: the cluster is deterministic, so its whole state is the seed plus
// the log of what the student did (typed lines and saved files) at which virtual time.
// Replaying the log into a fresh simulator rebuilds the cluster, the files and the
// terminal's scrollback exactly. This module stores and encodes logs; it never looks inside
// the cluster.

const VERSION = 1;
/** Older entries are dropped past this, so one lesson cannot fill the storage quota. */
const MAX_ENTRIES = 5000;
const HASH_KEY = 'lab=';

/**
 * @typedef {{t: number, line: string} | {t: number, interrupt: true} | {t: number, file: string, contents: string}} LogEntry
 * @typedef {{version: number, seed: string, entries: LogEntry[]}} LabLog
 */

export class SavedLab {
  /**
   * @param {string} slug  the lesson
   * @param {Storage | null} storage  localStorage, or null where it is unavailable
   */
  constructor(slug, storage) {
    this.key = `k8s-netlab:lab:${slug}`;
    this.storage = storage;
    /** @type {LabLog | null} */
    this.log = null;
    this.saveTimer = 0;
    /** @type {(() => void) | null} */
    this.flushOnHide = null;
  }

  /** The saved log of this lesson, if it is one we can replay. */
  load() {
    try {
      return parseLog(this.storage?.getItem(this.key) ?? null);
    } catch {
      return null;
    }
  }

  /** Starts recording for a cluster created with `seed` (after a replay: with its entries). */
  start(seed, entries = []) {
    this.log = { version: VERSION, seed: String(seed), entries: [...entries] };
    this.save();
  }

  /** @param {LogEntry} entry */
  record(entry) {
    if (!this.log) return;
    this.log.entries.push(entry);
    if (this.log.entries.length > MAX_ENTRIES) this.log.entries.splice(0, this.log.entries.length - MAX_ENTRIES);
    // Writing the whole log is O(log size): do it right after the command has answered,
    // once for a burst of commands (a paste), and for sure before the page goes away.
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => this.save(), 0);
    if (!this.flushOnHide) {
      this.flushOnHide = () => this.save();
      window.addEventListener('pagehide', this.flushOnHide);
    }
  }

  clear() {
    clearTimeout(this.saveTimer);
    this.saveTimer = 0;
    this.log = null;
    try {
      this.storage?.removeItem(this.key);
    } catch {
      // Storage can be disabled (private mode, quota); the lab still works, unsaved.
    }
  }

  save() {
    clearTimeout(this.saveTimer);
    this.saveTimer = 0;
    if (!this.log) return;
    try {
      this.storage?.setItem(this.key, JSON.stringify(this.log));
    } catch {
      // See clear(): losing persistence must never break the terminal.
    }
  }

  /** A URL that opens this lesson with the same cluster (for a TA). */
  async shareUrl(location) {
    const json = JSON.stringify(this.log ?? { version: VERSION, seed: '0', entries: [] });
    const url = new URL(location.href);
    url.hash = HASH_KEY + (await compress(json));
    return url.toString();
  }
}

/**
 * The log carried in a shared link's fragment (`#lab=…`), or null.
 * @param {string} hash  location.hash
 */
export async function logFromHash(hash) {
  const index = hash.indexOf(HASH_KEY);
  if (index === -1) return null;
  try {
    return parseLog(await decompress(hash.slice(index + HASH_KEY.length)));
  } catch {
    return null;
  }
}

/** @param {string | null} text @returns {LabLog | null} */
function parseLog(text) {
  if (!text) return null;
  const log = JSON.parse(text);
  if (log?.version !== VERSION || typeof log.seed !== 'string' || !/^\d+$/.test(log.seed) || !Array.isArray(log.entries)) {
    return null;
  }
  const entries = log.entries.filter(
    (e) =>
      typeof e?.t === 'number' &&
      Number.isFinite(e.t) &&
      (typeof e.line === 'string' ||
        e.interrupt === true ||
        (typeof e.file === 'string' && typeof e.contents === 'string')),
  );
  return { version: VERSION, seed: log.seed, entries };
}

/** deflate-raw + base64url: a day of typing fits in a link. */
async function compress(text) {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function decompress(encoded) {
  const binary = atob(encoded.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new Response(stream).text();
}
