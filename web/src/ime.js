// IME input (Hangul above all) for the terminal: the text a composition commits reaches the
// line editor exactly once, in the order it was typed, however late the page gets to it.
// It owns xterm's hidden textarea's composition events; it knows nothing of lines, the
// prompt or the simulator (it hands committed text to a callback, and the syllable being
// composed to another for display).
//
// Why not leave this to xterm (6.0.0)? Its CompositionHelper does not send a composition at
// `compositionend`: it sets one shared flag (`_isSendingComposition`) and a `setTimeout(0)`
// that later reads the textarea from where that composition started to its end (or to
// where a newer composition starts). A Korean 2-set IME commits syllable N and starts N+1
// within one key press, and Chromium runs queued key presses before timers, so on a busy
// main thread two commits can happen before the first read runs. That read then sends both
// syllables and clears the flag; a third commit sets the flag again before the second read
// runs, and the second read sends its syllable a second time ("쿠버네티스" arrived as
// "쿠버네네티티스"). The flag cannot say which composition it was raised for, so xterm
// cannot be fixed from outside; we take the composition away from it instead:
//
// - composition events are stopped in the capture phase on an ancestor of the textarea, so
//   CompositionHelper never sees them (no deferred read, no shared flag);
// - at `compositionend` we hand on `event.data`, the committed text, at once. Every engine
//   we support fills it with exactly the text committed (UI Events), which is also right
//   for the Korean case xterm's comment worries about (a final consonant that moves to the
//   next syllable): it concerns `compositionupdate`, not the commit. Sending at once also
//   keeps the order with the key that follows (Enter after a syllable runs the line with it);
// - the keys an IME consumes (keydown with `isComposing`, or keyCode 229, "Process") are
//   kept from xterm: its CompositionHelper would otherwise diff the textarea after such a key
//   and, no longer knowing a composition is going on, send the jamo being composed;
// - text such a key inserts without a composition (a digit or punctuation typed while a
//   Korean IME is on, a space after a syllable on some IMEs) arrives as an `insertText`
//   input event, which xterm ignores while a key is down (it expected its own diff to send
//   it), so we hand it on ourselves — only for keys we kept from xterm, so text xterm does
//   send (key events, `insertText` with no key down: an on-screen keyboard, an emoji
//   picker) still arrives once, from xterm.

/**
 * @typedef {object} ImeSink
 * @property {(text: string) => void} commit  text the IME committed, to be typed once
 * @property {(preedit: string) => void} compose  the text being composed ('' when none)
 */

export class ImeInput {
  /**
   * @param {HTMLTextAreaElement} textarea  xterm's hidden textarea (where IMEs type)
   * @param {HTMLElement} ancestor  an element around it, where capture listeners run first
   * @param {ImeSink} sink
   */
  constructor(textarea, ancestor, sink) {
    this.textarea = textarea;
    this.sink = sink;
    this.composing = false;
    /** A key the IME took is down (kept from xterm); its `insertText`, if any, is ours. */
    this.imeKeyDown = false;

    /** @param {Event} event */
    const own = (event) => event.target === textarea;
    ancestor.addEventListener('compositionstart', (event) => {
      if (!own(event)) return;
      event.stopPropagation();
      this.composing = true;
      sink.compose('');
    }, true);
    ancestor.addEventListener('compositionupdate', (event) => {
      if (!own(event)) return;
      event.stopPropagation();
      sink.compose(/** @type {CompositionEvent} */ (event).data ?? '');
    }, true);
    ancestor.addEventListener('compositionend', (event) => {
      if (!own(event)) return;
      event.stopPropagation();
      this.composing = false;
      sink.compose('');
      // An empty commit is a cancelled composition (Escape, or Backspace over its last jamo).
      const text = /** @type {CompositionEvent} */ (event).data ?? '';
      if (text !== '') sink.commit(text);
    }, true);
    textarea.addEventListener('input', (event) => {
      const input = /** @type {InputEvent} */ (event);
      if (this.composing || !this.imeKeyDown || input.isComposing) return;
      if (input.inputType === 'insertText' && input.data) sink.commit(input.data);
    });
  }

  /**
   * Called with every key event xterm sees (from its custom key handler); true means the
   * key belongs to the IME and xterm must leave it alone.
   * @param {KeyboardEvent} event
   */
  ownsKey(event) {
    if (event.type === 'keyup') {
      this.imeKeyDown = false;
      return false;
    }
    if (event.type !== 'keydown') return false;
    this.imeKeyDown = event.isComposing || event.keyCode === 229;
    return this.imeKeyDown;
  }
}
