// The browser terminal: xterm.js for display plus a small line editor in front of the
// simulator. It knows how to edit and submit a line and how to print a result; what a line
// means is entirely the simulator's business (it even supplies the prompt).
//
// Input reaches the editor through xterm's `onData` only: keys, paste and, through
// `term.input`, the text an IME commits. Composition itself (Hangul) is not xterm's: `ime.js`
// takes it over, because xterm's own handling can send a syllable twice when the page is
// busy (see there). The syllable being composed is drawn inline at the cursor, underlined,
// by the editor, so the rest of the line moves aside for it as it will for the committed
// text. Hangul syllables are 2 cells wide; the editor lays the line out in cells (not
// characters) so Backspace and cursor moves stay aligned.

import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';

import { commonPrefix } from './complete.js';
import { ImeInput } from './ime.js';

const CONTINUATION_PROMPT = '> ';
const HISTORY_LIMIT = 500;

/**
 * @typedef {object} LineSink  what the terminal submits lines to (the lab in the app)
 * @property {(line: string) => import('./sim.js').ExecResult} exec
 * @property {() => string} prompt
 * @property {() => void} [interrupt] Ctrl+C: the simulator drops an unfinished heredoc
 * @property {(before: string) => {word: string, candidates: string[]}} [complete]
 *   completions for the word that ends `before` (the line up to the cursor)
 */

export class LabTerminal {
  /**
   * @param {HTMLElement} element
   * @param {LineSink} sink
   */
  constructor(element, sink) {
    this.sink = sink;
    this.term = new Terminal({
      cursorBlink: true,
      convertEol: false,
      fontFamily: '"D2Coding", "NanumGothicCoding", "Noto Sans Mono CJK KR", ui-monospace, Menlo, Consolas, monospace',
      fontSize: 14,
      scrollback: 5000,
      screenReaderMode: false,
      theme: { background: '#1e1e1e', foreground: '#e6e6e6' },
    });
    this.fit = new FitAddon();
    this.term.loadAddon(this.fit);
    this.term.open(element);
    this.term.textarea?.setAttribute('aria-label', '실습 터미널 입력. Tab은 자동 완성, Shift+Tab은 터미널 밖으로 이동');
    this.term.attachCustomKeyEventHandler((event) => this.filterKey(event));
    /** @type {string[]} the syllable an IME is composing, shown at the cursor, not yet typed */
    this.preedit = [];
    if (this.term.textarea) {
      this.ime = new ImeInput(this.term.textarea, element, {
        // Through xterm, so committed text takes the one path every input takes (and
        // scrolls the terminal down like a typed key does).
        commit: (text) => this.term.input(text, true),
        compose: (text) => this.setPreedit(text),
      });
    }
    this.fit.fit();
    this.resizeObserver = new ResizeObserver(() => this.fit.fit());
    this.resizeObserver.observe(element);

    /** @type {string[]} characters (code points) of the line being edited */
    this.chars = [];
    this.cursor = 0;
    /** @type {string[]} */
    this.history = [];
    this.historyIndex = 0;
    this.draft = [];
    this.promptText = sink.prompt();
    this.inContinuation = false;
    this.lastWasTab = false;
    /** Where xterm's cursor is, in rows/cols relative to the row the prompt starts on. */
    this.at = { row: 0, col: 0 };
    /** Listeners called after each submitted line with (line, result). */
    this.listeners = [];

    this.term.onData((data) => this.handleData(data));
    this.showPrompt();
  }

  /** Clears the screen and the line for a fresh cluster; history stays, like a new shell. */
  reset() {
    this.term.reset();
    this.chars = [];
    this.cursor = 0;
    this.inContinuation = false;
    this.historyIndex = this.history.length;
    this.promptText = this.sink.prompt();
    this.showPrompt();
  }

  /**
   * Keys the terminal leaves to the browser (returning false stops xterm from handling
   * them): Shift+Tab moves focus out, so keyboard users are never trapped by Tab completion;
   * Ctrl+C with a selection copies it (without one it is the interrupt, as in a terminal);
   * Ctrl+V pastes.
   * @param {KeyboardEvent} event
   */
  filterKey(event) {
    // Keys an IME is taking (Hangul jamo) are the IME's, not xterm's; see ime.js.
    if (this.ime?.ownsKey(event)) return false;
    if (event.key === 'Tab' && event.shiftKey) return false;
    if (event.type === 'keydown' && event.ctrlKey && !event.altKey && event.key.toLowerCase() === 'c' && this.term.hasSelection()) {
      navigator.clipboard?.writeText(this.term.getSelection()).catch(() => {});
      this.term.clearSelection();
      event.preventDefault();
      return false;
    }
    // Ctrl+V pastes, as students expect from every other text box (xterm would send ^V,
    // bash's quoted insert, which this line editor ignores). Left to the browser, the key
    // fires a native paste event that xterm reads; Ctrl+Shift+V already worked that way.
    if (event.type === 'keydown' && event.ctrlKey && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'v') return false;
    return true;
  }

  /** Turns xterm's screen-reader mode (a live DOM mirror of the output) on or off. */
  setScreenReaderMode(on) {
    this.term.options.screenReaderMode = on;
  }

  /** @param {(line: string, result: import('./sim.js').ExecResult) => void} listener */
  onExec(listener) {
    this.listeners.push(listener);
  }

  focus() {
    this.term.focus();
  }

  /**
   * Runs a command as if typed (lesson code blocks call this), replacing the current draft.
   * @param {string} text  one or more lines
   */
  run(text) {
    this.setLine([]);
    this.handleData(text.replace(/\r?\n$/, '') + '\r');
  }

  // ---------------------------------------------------------------- input

  /**
   * Ctrl+C, typed or replayed from a saved log: `^C`, the simulator drops any unfinished
   * heredoc, and a fresh prompt.
   */
  interrupt() {
    this.moveTo(this.endPosition());
    this.term.write('^C\r\n');
    this.sink.interrupt?.();
    this.chars = [];
    this.cursor = 0;
    this.historyIndex = this.history.length;
    this.promptText = this.sink.prompt();
    this.showPrompt();
  }

  /** @param {string} data */
  handleData(data) {
    let i = 0;
    while (i < data.length) {
      const escape = /^\x1b(?:\[[0-9;]*[A-Za-z~]|O[A-Za-z])/.exec(data.slice(i));
      if (escape) {
        this.handleEscape(escape[0]);
        i += escape[0].length;
        continue;
      }
      const codePoint = data.codePointAt(i) ?? 0;
      const ch = String.fromCodePoint(codePoint);
      i += ch.length;
      // A pasted "\r\n" is one line break, not two.
      if (ch === '\r' && data[i] === '\n') i++;
      this.handleChar(ch);
    }
  }

  /** @param {string} ch */
  handleChar(ch) {
    const secondTab = ch === '\t' && this.lastWasTab;
    this.lastWasTab = ch === '\t' && !secondTab;
    if (secondTab) {
      this.listCompletions();
      return;
    }
    switch (ch) {
      case '\r':
      case '\n':
        this.submit();
        return;
      case '\x7f':
      case '\b':
        if (this.cursor > 0) {
          this.chars.splice(this.cursor - 1, 1);
          this.cursor--;
          this.redraw();
        }
        return;
      case '\x03': // Ctrl+C: abandon the line (and an unfinished heredoc), like bash.
        this.interrupt();
        return;
      case '\x0c': // Ctrl+L: clear the screen, keep the line being typed.
        this.term.write('\x1b[H\x1b[2J');
        this.showPrompt();
        return;
      case '\x01': // Ctrl+A
        this.setCursor(0);
        return;
      case '\x05': // Ctrl+E
        this.setCursor(this.chars.length);
        return;
      case '\x02': // Ctrl+B
        this.setCursor(this.cursor - 1);
        return;
      case '\x06': // Ctrl+F
        this.setCursor(this.cursor + 1);
        return;
      case '\x04': // Ctrl+D deletes forward (we never close the shell).
        this.deleteForward();
        return;
      case '\x0b': // Ctrl+K
        this.chars.splice(this.cursor);
        this.redraw();
        return;
      case '\x15': // Ctrl+U
        this.chars.splice(0, this.cursor);
        this.cursor = 0;
        this.redraw();
        return;
      case '\x17': { // Ctrl+W: delete the word before the cursor.
        let start = this.cursor;
        while (start > 0 && this.chars[start - 1] === ' ') start--;
        while (start > 0 && this.chars[start - 1] !== ' ') start--;
        this.chars.splice(start, this.cursor - start);
        this.cursor = start;
        this.redraw();
        return;
      }
      case '\t':
        this.complete();
        return;
      default:
        if (ch < ' ') return;
        this.chars.splice(this.cursor, 0, ch);
        this.cursor++;
        this.redraw();
    }
  }

  /** @param {string} seq */
  handleEscape(seq) {
    switch (seq) {
      case '\x1b[A':
      case '\x1bOA':
        this.historyMove(-1);
        break;
      case '\x1b[B':
      case '\x1bOB':
        this.historyMove(1);
        break;
      case '\x1b[C':
      case '\x1bOC':
        this.setCursor(this.cursor + 1);
        break;
      case '\x1b[D':
      case '\x1bOD':
        this.setCursor(this.cursor - 1);
        break;
      case '\x1b[H':
      case '\x1bOH':
      case '\x1b[1~':
        this.setCursor(0);
        break;
      case '\x1b[F':
      case '\x1bOF':
      case '\x1b[4~':
        this.setCursor(this.chars.length);
        break;
      case '\x1b[3~':
        this.deleteForward();
        break;
      default:
        break;
    }
  }

  /** Like bash: a unique completion is inserted with a space (a directory with its `/`, so
   *  Tab can go on into it); several insert their common prefix, and a second Tab lists them. */
  complete() {
    if (!this.sink.complete || this.inContinuation) return;
    const { word, candidates } = this.sink.complete(this.chars.slice(0, this.cursor).join(''));
    if (candidates.length === 0) return;
    const unique = candidates.length === 1 ? candidates[0] : null;
    const insert = unique === null ? commonPrefix(candidates) : unique.endsWith('/') ? unique : `${unique} `;
    const added = Array.from(insert.slice(word.length));
    if (added.length === 0) return;
    this.chars.splice(this.cursor, 0, ...added);
    this.cursor += added.length;
    this.redraw();
    if (candidates.length === 1) this.lastWasTab = false;
  }

  listCompletions() {
    if (!this.sink.complete || this.inContinuation) return;
    const { candidates } = this.sink.complete(this.chars.slice(0, this.cursor).join(''));
    if (candidates.length < 2) return;
    // bash lists paths by their last component (`dir/a.yaml` shows as `a.yaml`).
    const shown = candidates.map((c) => c.replace(/^.*\/(?=.)/, ''));
    const width = Math.max(...shown.map((c) => c.length)) + 2;
    const perRow = Math.max(1, Math.floor(this.term.cols / width));
    let listing = '';
    shown.forEach((candidate, index) => {
      listing += candidate.padEnd(width);
      if ((index + 1) % perRow === 0 || index === candidates.length - 1) listing = `${listing.trimEnd()}\r\n`;
    });
    this.moveTo(this.endPosition());
    this.term.write(`\r\n${listing}`);
    this.showPrompt();
  }

  deleteForward() {
    if (this.cursor < this.chars.length) {
      this.chars.splice(this.cursor, 1);
      this.redraw();
    }
  }

  /** @param {number} direction -1 older, +1 newer */
  historyMove(direction) {
    if (this.inContinuation) return;
    const target = this.historyIndex + direction;
    if (target < 0 || target > this.history.length) return;
    if (this.historyIndex === this.history.length) this.draft = this.chars;
    this.historyIndex = target;
    const line = target === this.history.length ? this.draft : Array.from(this.history[target]);
    this.setLine(line);
  }

  submit() {
    const line = this.chars.join('');
    this.moveTo(this.endPosition());
    this.term.write('\r\n');
    if (!this.inContinuation && line.trim() !== '') {
      if (this.history[this.history.length - 1] !== line) this.history.push(line);
      if (this.history.length > HISTORY_LIMIT) this.history.shift();
    }
    this.historyIndex = this.history.length;
    this.draft = [];
    this.chars = [];
    this.cursor = 0;

    const result = this.sink.exec(line);
    const text = result.display;
    if (text !== '') this.term.write(text.replace(/\r?\n/g, '\r\n'));
    // Like bash, start the prompt on a fresh line when the output did not end with one.
    if (text !== '' && !text.endsWith('\n')) this.term.write('\r\n');
    this.inContinuation = result.continuation;
    this.promptText = result.prompt || (result.continuation ? CONTINUATION_PROMPT : '$ ');
    this.showPrompt();
    for (const listener of this.listeners) listener(line, result);
  }

  // ---------------------------------------------------------------- drawing

  showPrompt() {
    this.term.write(colorPrompt(this.promptText));
    // The prompt starts at column 0 of the current row; positions are relative to it.
    this.at = layout(Array.from(this.promptText), { row: 0, col: 0 }, this.term.cols).end;
    this.redraw();
  }

  /** @param {string[]} chars */
  setLine(chars) {
    this.chars = [...chars];
    this.cursor = this.chars.length;
    this.redraw();
  }

  /** @param {number} index */
  setCursor(index) {
    const clamped = Math.max(0, Math.min(this.chars.length, index));
    if (clamped === this.cursor) return;
    this.cursor = clamped;
    // A syllable being composed sits at the cursor, so it moves with it.
    if (this.preedit.length > 0) this.redraw();
    else this.moveTo(this.positions().cells[this.cursor]);
  }

  /**
   * Shows the syllable an IME is composing at the cursor ('' removes it). It is not part
   * of the line until the IME commits it (through `onData`, like any typed text).
   * @param {string} text
   */
  setPreedit(text) {
    const preedit = Array.from(text);
    if (preedit.join('') === this.preedit.join('')) return;
    this.preedit = preedit;
    this.redraw();
  }

  /** Rewrites the input from its first cell, clears what is left of the old text, and
   *  puts the cursor back where the editor says it is (after a syllable being composed,
   *  like the caret of a text box). */
  redraw() {
    const { cells, end, start, shown } = this.positions();
    this.moveTo(start);
    let out = this.chars.join('');
    if (this.preedit.length > 0) {
      const before = this.chars.slice(0, this.cursor).join('');
      const after = this.chars.slice(this.cursor).join('');
      out = `${before}\x1b[4m${this.preedit.join('')}\x1b[24m${after}`;
    }
    // A line that exactly fills its last row leaves xterm's cursor in the "pending wrap"
    // state on that row; "\r\n" makes it really stand on the next row, as `end` says.
    if (end.col === 0 && end.row > start.row && shown > 0) out += '\r\n';
    this.term.write(out + '\x1b[J');
    this.at = end;
    this.moveTo(cells[this.cursor + this.preedit.length]);
  }

  endPosition() {
    return this.positions().end;
  }

  /** Where the prompt ends and each shown character (the line with any syllable being
   *  composed inserted at the cursor) lands, plus the cell after the last one. */
  positions() {
    const cols = this.term.cols;
    const start = layout(Array.from(this.promptText), { row: 0, col: 0 }, cols).end;
    const chars = this.preedit.length === 0
      ? this.chars
      : [...this.chars.slice(0, this.cursor), ...this.preedit, ...this.chars.slice(this.cursor)];
    const { cells, end } = layout(chars, start, cols);
    cells.push(end);
    return { cells, end, start, shown: chars.length };
  }

  /** @param {{row: number, col: number}} target */
  moveTo(target) {
    let seq = '';
    const dy = target.row - this.at.row;
    if (dy < 0) seq += `\x1b[${-dy}A`;
    if (dy > 0) seq += `\x1b[${dy}B`;
    seq += '\r';
    if (target.col > 0) seq += `\x1b[${target.col}C`;
    this.term.write(seq);
    this.at = target;
  }
}

/**
 * Where each character of `chars` lands when written from `from` on a terminal `cols` wide,
 * wrapping like xterm: a wide character that does not fit in the last column moves to the
 * next row whole.
 * @param {string[]} chars
 * @param {{row: number, col: number}} from
 * @param {number} cols
 */
export function layout(chars, from, cols) {
  let { row, col } = from;
  const cells = [];
  for (const ch of chars) {
    const width = cellWidth(ch);
    if (col + width > cols) {
      row++;
      col = 0;
    }
    cells.push({ row, col });
    col += width;
  }
  if (col >= cols) {
    row++;
    col = 0;
  }
  return { cells, end: { row, col } };
}

/**
 * Terminal cells a character takes: 2 for East Asian wide/fullwidth (Hangul syllables and
 * jamo, CJK, fullwidth forms, most emoji), 0 for combining marks, else 1. The ranges follow
 * xterm.js's Unicode 6 width table closely enough for what students type.
 * @param {string} ch
 */
export function cellWidth(ch) {
  const cp = ch.codePointAt(0) ?? 0;
  if ((cp >= 0x0300 && cp <= 0x036f) || (cp >= 0x1160 && cp <= 0x11ff) || cp === 0x200b) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/**
 * Ubuntu's default bash colours: bold green `user@host`, bold blue directory.
 * @param {string} prompt
 */
function colorPrompt(prompt) {
  const parts = /^([^@\s]+@[^:\s]+):(.*?)([$#] )$/.exec(prompt);
  if (!parts) return prompt;
  return `\x1b[1;32m${parts[1]}\x1b[0m:\x1b[1;34m${parts[2]}\x1b[0m${parts[3]}`;
}
