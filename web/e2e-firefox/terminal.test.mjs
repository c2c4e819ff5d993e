// The lesson page's terminal in headless Firefox: the page loads clean, the wasm simulator
// boots, `kubectl get nodes` answers like kubectl 1.32, a heredoc typed line by line writes
// a file, Tab completes, bash-like keys work, and Hangul arrives intact.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  launchBrowser,
  lessonSlugs,
  newPage,
  openLesson,
  recordExecuted,
  screenshot,
  terminalLines,
  typeLine,
  waitForLastLines,
  waitForTerminal,
} from './helpers.mjs';

/** @type {import('puppeteer-core').Browser} */
let browser;
let slug;

before(async () => {
  browser = await launchBrowser();
  const { page, close } = await newPage(browser);
  const slugs = await lessonSlugs(page);
  assert.ok(slugs.length > 0, 'the index page links at least one lesson');
  slug = slugs[0];
  await close();
});

after(async () => {
  await browser?.close();
});

test('the lesson page loads without errors and kubectl get nodes prints the three nodes', async () => {
  const { page, problems, close } = await newPage(browser);
  await openLesson(page, slug);
  await waitForTerminal(page, /^user@master:~\$ $/);
  await page.click('#terminal');
  await page.keyboard.type('kubectl get nodes');
  await page.keyboard.press('Enter');
  await waitForTerminal(page, 'worker2');
  const lines = await waitForLastLines(page, ['user@master:~$ ']);

  const header = lines.findIndex((line) => line.startsWith('NAME'));
  assert.notEqual(header, -1, `no table header in:\n${lines.join('\n')}`);
  assert.equal(lines[header], 'NAME      STATUS   ROLES           AGE   VERSION');
  assert.deepEqual(
    lines.slice(header + 1, header + 4).map((line) => line.split(/\s+/).filter((_, i) => i !== 3)),
    [
      ['master', 'Ready', 'control-plane', 'v1.32.4'],
      ['worker1', 'Ready', '<none>', 'v1.32.4'],
      ['worker2', 'Ready', '<none>', 'v1.32.4'],
    ],
  );
  assert.equal(lines[header - 1], 'user@master:~$ kubectl get nodes');
  assert.equal(lines[header + 4], 'user@master:~$ ', 'a fresh prompt follows the table');
  await screenshot(page, 'lesson-terminal');
  assert.deepEqual(problems, []);
  await close();
});

test('a heredoc typed line by line writes the file, under the continuation prompt', async () => {
  const { page, problems, close } = await newPage(browser);
  await openLesson(page, slug);
  await page.click('#terminal');
  const yaml = ['apiVersion: v1', 'kind: Namespace', 'metadata:', '  name: blue'];
  await typeLine(page, 'cat <<EOF > ns.yaml');
  for (const line of yaml) {
    assert.equal(await page.evaluate(() => window.__netlab.lab.sim.prompt()), '> ');
    await typeLine(page, line);
  }
  await typeLine(page, 'EOF');
  assert.equal(await page.evaluate(() => window.__netlab.lab.readFile('ns.yaml')), `${yaml.join('\n')}\n`);

  await typeLine(page, 'kubectl apply -f ns.yaml');
  await waitForTerminal(page, 'namespace/blue created');
  const lines = await terminalLines(page);
  const start = lines.indexOf('user@master:~$ cat <<EOF > ns.yaml');
  assert.deepEqual(lines.slice(start + 1, start + 6), [...yaml.map((line) => `> ${line}`), '> EOF']);
  assert.deepEqual(problems, []);
  await close();
});

test('Tab completes like bash: a unique word with a space, a common prefix, then a listing', async () => {
  const { page, problems, close } = await newPage(browser);
  await openLesson(page, slug);
  await page.click('#terminal');
  await page.keyboard.type('kubectl ge');
  await page.keyboard.press('Tab');
  await page.keyboard.type('nod');
  await page.keyboard.press('Tab');
  await waitForLastLines(page, ['user@master:~$ kubectl get node']);
  await page.keyboard.press('Tab');
  await waitForLastLines(page, ['user@master:~$ kubectl get node', 'node   nodes', 'user@master:~$ kubectl get node']);

  // Object names come from the cluster; Tab never moves focus out of the terminal.
  await page.keyboard.press('Enter');
  await page.keyboard.type('kubectl describe node wor');
  await page.keyboard.press('Tab');
  await waitForLastLines(page, ['user@master:~$ kubectl describe node worker']);
  await page.keyboard.press('Tab');
  await waitForLastLines(page, ['user@master:~$ kubectl describe node worker', 'worker1  worker2', 'user@master:~$ kubectl describe node worker']);
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('xterm-helper-textarea')), true);
  assert.deepEqual(problems, []);
  await close();
});

test('history, Ctrl+A/E editing and Ctrl+C work like bash (Firefox keeps its own shortcuts out)', async () => {
  const { page, problems, close } = await newPage(browser);
  await openLesson(page, slug);
  await page.click('#terminal');
  await typeLine(page, 'foo');
  await waitForTerminal(page, 'bash: foo: command not found');

  // ↑ recalls "foo"; Ctrl+A then typing inserts at the start; Ctrl+E appends at the end.
  await page.keyboard.press('ArrowUp');
  await page.keyboard.down('Control');
  await page.keyboard.press('a');
  await page.keyboard.up('Control');
  await page.keyboard.type('x');
  await page.keyboard.down('Control');
  await page.keyboard.press('e');
  await page.keyboard.up('Control');
  await page.keyboard.type('y');
  await page.keyboard.press('Enter');
  await waitForTerminal(page, 'bash: xfooy: command not found');

  await page.keyboard.type('never run');
  await page.keyboard.down('Control');
  await page.keyboard.press('c');
  await page.keyboard.up('Control');
  const lines = await waitForLastLines(page, ['user@master:~$ never run^C', 'user@master:~$ ']);
  assert.ok(!lines.some((line) => line.includes('bash: never')), 'Ctrl+C must not run the line');
  assert.deepEqual(problems, []);
  await close();
});

/**
 * Gecko's event order for a Korean 2-set IME, played on xterm's hidden textarea. WebDriver
 * BiDi has no IME command (CDP's Input.imeSetComposition has no Firefox counterpart), so the
 * page dispatches the events the way Firefox does: every key is a keydown with key
 * "Process" / keyCode 229; the syllable being built is rewritten in place by
 * compositionupdate + input (isComposing); and the key that starts the next syllable first
 * commits the previous one (compositionend, then Firefox's extra `input` with
 * isComposing false, which Chromium does not send) and starts a new composition, all within
 * that one key press.
 */
async function installFirefoxIme(page) {
  await page.evaluate(() => {
    const textarea = /** @type {HTMLTextAreaElement} */ (document.querySelector('.xterm-helper-textarea'));
    let composing = null;
    let start = 0;
    const key = (type) =>
      textarea.dispatchEvent(new KeyboardEvent(type, { key: 'Process', keyCode: 229, which: 229, isComposing: composing !== null, bubbles: true, cancelable: true, composed: true }));
    const input = (data, isComposing) =>
      textarea.dispatchEvent(new InputEvent('input', { data, inputType: 'insertCompositionText', isComposing, bubbles: true, composed: true }));
    const commit = () => {
      if (composing === null) return;
      const data = composing;
      composing = null;
      textarea.dispatchEvent(new CompositionEvent('compositionend', { data, bubbles: true }));
      input(data, false);
    };
    window.__ime = {
      /** One key press: `text` is the syllable as it now reads; `next` starts a new one. */
      press(text, next) {
        key('keydown');
        if (next) commit();
        if (composing === null) {
          textarea.dispatchEvent(new CompositionEvent('compositionstart', { data: '', bubbles: true }));
          start = textarea.value.length;
        }
        composing = text;
        textarea.dispatchEvent(new CompositionEvent('compositionupdate', { data: text, bubbles: true }));
        textarea.value = textarea.value.slice(0, start) + text;
        textarea.setSelectionRange(textarea.value.length, textarea.value.length);
        input(text, true);
        key('keyup');
      },
      commit,
      isComposing: () => composing !== null,
    };
  });
}

/**
 * Types Hangul syllables through the emulated IME, one jamo key at a time, leaving the
 * last syllable composing (as a real IME does until the next key). Each press is its own
 * task, so xterm's deferred reads of the textarea run between keys as they would for a
 * person typing.
 * @param {string[][]} syllables  each syllable as it reads after each of its keys
 */
async function typeHangul(page, syllables) {
  for (const stages of syllables) {
    for (const [index, text] of stages.entries()) {
      await page.evaluate((t, next) => window.__ime.press(t, next), text, index === 0);
    }
  }
}

test('Hangul typed through a Firefox-style IME composition arrives intact, once, and Backspace removes whole syllables', async () => {
  const { page, problems, close } = await newPage(browser);
  await openLesson(page, slug);
  await page.click('#terminal');
  await page.evaluate(() => {
    window.__submitted = [];
    window.__netlab.terminal.onExec((line) => window.__submitted.push(line));
  });
  await installFirefoxIme(page);
  await page.keyboard.type('echo ');

  // "쿠버네티스" on a 2-set keyboard: ㅋ ㅜ ㅂ ㅓ ㄴ ㅔ ㅌ ㅣ ㅅ ㅡ.
  await typeHangul(page, [['ㅋ', '쿠'], ['ㅂ', '버'], ['ㄴ', '네'], ['ㅌ', '티'], ['ㅅ', '스']]);
  // The last syllable is still being composed; the next non-IME key (here: none yet)
  // would commit it. Commit it as the IME does when focus stays and typing pauses.
  await page.evaluate(() => window.__ime.commit());
  await waitForLastLines(page, ['user@master:~$ echo 쿠버네티스']);

  // Each syllable is one character and two cells: two Backspaces leave "쿠버네".
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await waitForLastLines(page, ['user@master:~$ echo 쿠버네']);

  // "가" is still composing when Enter is pressed: Firefox commits it, then Enter runs the
  // line with it, not without it (or twice).
  await typeHangul(page, [['ㄱ', '가']]);
  await page.evaluate(() => window.__ime.commit());
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.__submitted.length === 1);
  assert.deepEqual(await page.evaluate(() => window.__submitted), ['echo 쿠버네가']);
  await waitForLastLines(page, ['user@master:~$ echo 쿠버네가', '쿠버네가', 'user@master:~$ ']);
  await screenshot(page, 'hangul-ime');
  assert.deepEqual(problems, []);
  await close();
});

test('Hangul typed faster than a busy page keeps up arrives once (several commits in one task)', async () => {
  const { page, problems, close } = await newPage(browser);
  await openLesson(page, slug);
  await page.click('#terminal');
  await page.evaluate(() => {
    window.__submitted = [];
    window.__netlab.terminal.onExec((line) => window.__submitted.push(line));
  });
  await installFirefoxIme(page);
  await page.keyboard.type('echo ');
  await typeHangul(page, [['ㅋ', '쿠']]);

  // The page was busy while ㅓ and ㅔ were pressed: both keys (each ends one syllable and
  // starts the next) run in one task, and ㅣ runs as a task queued between anything those two
  // commits deferred. A browser runs waiting key presses before its timers, so this is what
  // a fast typist gets on a loaded machine; each syllable must still arrive once.
  await page.evaluate(() => {
    window.__ime.press('버', true);
    setTimeout(() => {
      window.__ime.press('티', true);
      window.__lateKeyDone = true;
    }, 0);
    window.__ime.press('네', true);
  });
  await page.waitForFunction(() => window.__lateKeyDone === true);
  await typeHangul(page, [['ㅅ', '스']]);
  await page.evaluate(() => window.__ime.commit());
  await waitForLastLines(page, ['user@master:~$ echo 쿠버네티스']);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.__submitted.length === 1);
  assert.deepEqual(await page.evaluate(() => window.__submitted), ['echo 쿠버네티스']);
  assert.deepEqual(problems, []);
  await close();
});

test('Hangul from key events and from insertText (a Hangul layout, an on-screen keyboard) arrives once', async () => {
  const { page, problems, close } = await newPage(browser);
  await openLesson(page, slug);
  await page.click('#terminal');
  await page.evaluate(() => {
    window.__submitted = [];
    window.__netlab.terminal.onExec((line) => window.__submitted.push(line));
  });
  // WebDriver key actions with Hangul characters: keydown/keypress/input per syllable.
  await page.keyboard.type('echo 한글 ');
  // puppeteer's sendCharacter: document.execCommand('insertText'), an `input` event alone.
  for (const ch of '입력') await page.keyboard.sendCharacter(ch);
  await waitForLastLines(page, ['user@master:~$ echo 한글 입력']);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.__submitted.length === 1);
  assert.deepEqual(await page.evaluate(() => window.__submitted), ['echo 한글 입력']);
  await waitForLastLines(page, ['user@master:~$ echo 한글 입력', '한글 입력', 'user@master:~$ ']);
  assert.deepEqual(problems, []);
  await close();
});

test('copy and paste through the clipboard: Ctrl+V runs each pasted line, Ctrl+C copies a selection', async () => {
  const { page, problems, close } = await newPage(browser);
  await openLesson(page, slug);
  await page.evaluate(() => {
    window.__submitted = [];
    window.__netlab.terminal.onExec((line) => window.__submitted.push(line));
    // Somewhere to copy from and paste into: a plain text box, like the lesson's own.
    const box = document.createElement('textarea');
    box.id = 'clipboard-box';
    box.value = 'cat <<EOF > p.txt\n붙여넣기 한 줄\nEOF\nfoo\n';
    document.body.prepend(box);
    box.focus();
    box.select();
  });
  const chord = async (key) => {
    await page.keyboard.down('Control');
    await page.keyboard.press(key);
    await page.keyboard.up('Control');
  };
  await chord('c');
  await page.click('#terminal');
  await chord('v');
  await page.waitForFunction(() => window.__submitted.length === 4);
  assert.deepEqual(await page.evaluate(() => window.__submitted), ['cat <<EOF > p.txt', '붙여넣기 한 줄', 'EOF', 'foo']);
  assert.equal(await page.evaluate(() => window.__netlab.lab.readFile('p.txt')), '붙여넣기 한 줄\n');
  const lines = await waitForLastLines(page, ['> 붙여넣기 한 줄', '> EOF', 'user@master:~$ foo', 'bash: foo: command not found', 'user@master:~$ ']);

  // Ctrl+C with a selection copies it and does not interrupt the line.
  await page.evaluate((row) => window.__netlab.term.selectLines(row, row), lines.length - 2);
  await chord('c');
  await page.focus('#clipboard-box');
  await page.$eval('#clipboard-box', (box) => {
    box.value = '';
  });
  await chord('v');
  await page.waitForFunction(() => document.querySelector('#clipboard-box')?.value.trim() === 'bash: foo: command not found');
  assert.ok(!(await terminalLines(page)).some((line) => line.endsWith('^C')), 'the copy was not an interrupt');
  assert.deepEqual(problems, []);
  await close();
});

test('the keyboard alone can leave the terminal (Shift+Tab) and the screen-reader mode mirrors output', async () => {
  const { page, problems, close } = await newPage(browser);
  await openLesson(page, slug);
  await page.click('#terminal');
  const inTerminal = () => page.evaluate(() => document.activeElement?.classList.contains('xterm-helper-textarea'));
  assert.equal(await inTerminal(), true);
  await page.keyboard.down('Shift');
  await page.keyboard.press('Tab');
  await page.keyboard.up('Shift');
  assert.equal(await inTerminal(), false, 'focus left the terminal');
  assert.equal(await page.evaluate(() => window.__netlab.terminal.chars.length), 0, 'Shift+Tab typed nothing');

  await page.click('.lab-reader input');
  assert.equal(await page.$eval('.lab-reader input', (box) => box.checked), true);
  await page.click('#terminal');
  await typeLine(page, 'foo');
  await page.waitForFunction(() => document.querySelector('.xterm-accessibility-tree')?.textContent?.includes('bash: foo: command not found'));
  assert.deepEqual(problems, []);
  await close();
});

test('a lesson command button types its command into the terminal and runs it', async () => {
  const { page, problems, close } = await newPage(browser);
  await openLesson(page, slug);
  const command = 'kubectl get nodes';
  const button = await page.waitForSelector(`button.run-command[data-command="${command}"]:not([disabled])`);
  await recordExecuted(page);
  await button.click();
  await page.waitForFunction(() => window.__executed.length === 1);
  assert.deepEqual(await page.evaluate(() => window.__executed.map((run) => run.line)), [command]);
  await waitForTerminal(page, `user@master:~$ ${command}`);
  await waitForLastLines(page, ['user@master:~$ ']);
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('xterm-helper-textarea')), true, 'the terminal has the focus afterwards');
  assert.deepEqual(problems, []);
  await close();
});
