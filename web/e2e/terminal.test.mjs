// The lesson page's terminal in headless Chromium: it boots the wasm simulator, answers
// `kubectl get nodes` like kubectl 1.32, and takes Hangul typed through an IME intact.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  launchBrowser,
  lessonSlugs,
  newPage,
  openLesson,
  screenshot,
  typeLine,
  waitForLastLines,
  waitForTerminal,
} from './helpers.mjs';

/** @type {import('playwright-core').Browser} */
let browser;
let slug;

before(async () => {
  browser = await launchBrowser();
  const { page } = await newPage(browser);
  const slugs = await lessonSlugs(page);
  assert.ok(slugs.length > 0, 'the index page links at least one lesson');
  slug = slugs[0];
  await page.context().close();
});

after(async () => {
  await browser?.close();
});

test('typing kubectl get nodes prints the three nodes of the cluster', async () => {
  const { page, problems } = await newPage(browser);
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
  await page.context().close();
});

test('history, Ctrl+A/E editing and Ctrl+C work like bash', async () => {
  const { page, problems } = await newPage(browser);
  await openLesson(page, slug);
  await page.click('#terminal');
  await page.keyboard.type('foo');
  await page.keyboard.press('Enter');
  await waitForTerminal(page, 'bash: foo: command not found');

  // ↑ recalls "foo"; Ctrl+A then typing inserts at the start; Ctrl+E appends at the end.
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('x');
  await page.keyboard.press('Control+E');
  await page.keyboard.type('y');
  await page.keyboard.press('Enter');
  await waitForTerminal(page, 'bash: xfooy: command not found');

  await page.keyboard.type('never run');
  await page.keyboard.press('Control+C');
  const lines = await waitForLastLines(page, ['user@master:~$ never run^C', 'user@master:~$ ']);
  assert.ok(!lines.some((line) => line.includes('bash: never')), 'Ctrl+C must not run the line');
  assert.deepEqual(problems, []);
  await page.context().close();
});

test('Hangul typed through an IME arrives intact, once, and Backspace removes whole syllables', async () => {
  const { page, problems } = await newPage(browser);
  await openLesson(page, slug);
  await page.click('#terminal');
  await page.evaluate(() => {
    window.__submitted = [];
    window.__netlab.terminal.onExec((line) => window.__submitted.push(line));
  });
  await page.keyboard.type('echo ');

  // Chromium's IME path: the composition is built up jamo by jamo in xterm's hidden textarea
  // (compositionstart/update), then committed (compositionend + input), the way a Korean
  // 2-set keyboard produces "쿠버네티스": each syllable is committed when the next begins.
  const cdp = await page.context().newCDPSession(page);
  const compose = async (steps, commit) => {
    for (const text of steps) {
      await cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
    }
    await cdp.send('Input.insertText', { text: commit });
  };
  await compose(['ㅋ', '쿠'], '쿠');
  await compose(['ㅂ', '버'], '버');
  await compose(['ㄴ', '네'], '네');
  await compose(['ㅌ', '티'], '티');
  await compose(['ㅅ', '스'], '스');

  await waitForLastLines(page, ['user@master:~$ echo 쿠버네티스']);

  // Each syllable is one character and two cells: two Backspaces leave "쿠버네" with the
  // cursor right after it, and typing goes on from there.
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await compose(['ㄱ', '가'], '가');
  await waitForLastLines(page, ['user@master:~$ echo 쿠버네가']);
  await screenshot(page, 'hangul-ime');

  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.__submitted.length === 1);
  assert.deepEqual(await page.evaluate(() => window.__submitted), ['echo 쿠버네가']);
  assert.deepEqual(problems, []);
  await page.context().close();
});

test('Hangul committed while the page is busy arrives once: the IME outruns the main thread', async () => {
  const { page, problems } = await newPage(browser);
  await openLesson(page, slug);
  await page.click('#terminal');
  await page.evaluate(() => {
    window.__submitted = [];
    window.__netlab.terminal.onExec((line) => window.__submitted.push(line));
  });
  await page.keyboard.type('echo ');

  // A Korean 2-set IME ends syllable N and starts N+1 in the same key press (ㅋㅜㅂ reads
  // "쿱"; ㅓ commits "쿠" and starts "버"). When the main thread is busy (a redraw, the
  // simulator), key presses queue up and Chromium runs them before pending timers, so two
  // syllables can be committed before anything deferred at the first commit runs, and a
  // further key can land between two such deferred tasks. The page makes that happen on
  // purpose: the first commit keeps the main thread busy (keys 2 and 3 arrive meanwhile),
  // and the second commit queues a busy task behind whatever the first one deferred
  // (keys 4 and 5 arrive during it). Each busy spell tells the test it has started.
  let wake = () => {};
  await page.exposeFunction('__busyNow', () => wake());
  const busy = () =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the page never got busy: no composition was committed')), 15_000);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  await page.evaluate(() => {
    const spin = (ms) => {
      const end = performance.now() + ms;
      while (performance.now() < end);
    };
    let commits = 0;
    window.addEventListener('compositionend', () => {
      commits++;
      if (commits === 1) {
        window.__busyNow();
        spin(1000);
      } else if (commits === 2) {
        setTimeout(() => {
          window.__busyNow();
          spin(1000);
        }, 0);
      }
    }, true);
  });

  const cdp = await page.context().newCDPSession(page);
  const set = (text) => cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
  const commit = (text) => cdp.send('Input.insertText', { text });
  /** One key press of the IME: its CDP commands go out back to back, as one key's events do. */
  const key = (...commands) => Promise.all(commands.map((command) => command()));

  await key(() => set('ㅋ'));
  await key(() => set('쿠'));
  await key(() => set('쿱'));
  let started = busy();
  const pending = [key(() => commit('쿠'), () => set('버'))]; // ㅓ
  await started;
  started = busy();
  pending.push(key(() => set('번'))); // ㄴ
  pending.push(key(() => commit('버'), () => set('네'))); // ㅔ
  await started;
  pending.push(key(() => set('넽'))); // ㅌ
  pending.push(key(() => commit('네'), () => set('티'))); // ㅣ
  await Promise.all(pending);
  await key(() => set('팃')); // ㅅ
  await key(() => commit('티'), () => set('스')); // ㅡ
  await key(() => commit('스'));

  await waitForLastLines(page, ['user@master:~$ echo 쿠버네티스']);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.__submitted.length === 1);
  assert.deepEqual(await page.evaluate(() => window.__submitted), ['echo 쿠버네티스']);
  assert.deepEqual(problems, []);
  await page.context().close();
});

test('the syllable being composed shows at the cursor, mid-line too, and is typed only when committed', async () => {
  const { page, problems } = await newPage(browser);
  await openLesson(page, slug);
  await page.click('#terminal');
  await page.keyboard.type('echo ab');
  await page.keyboard.press('ArrowLeft');
  const cdp = await page.context().newCDPSession(page);
  const set = (text) => cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
  const line = () => page.evaluate(() => window.__netlab.terminal.chars.join(''));

  await set('ㅎ');
  await set('한');
  // Shown between "a" and "b", the rest of the line moved aside, but not yet in the line.
  await waitForLastLines(page, ['user@master:~$ echo a한b']);
  assert.equal(await line(), 'echo ab');
  await cdp.send('Input.insertText', { text: '한' });
  await waitForLastLines(page, ['user@master:~$ echo a한b']);
  assert.equal(await line(), 'echo a한b');

  // A composition taken back to nothing (Backspace over its only jamo) types nothing.
  await set('ㄱ');
  await waitForLastLines(page, ['user@master:~$ echo a한ㄱb']);
  await set('');
  await waitForLastLines(page, ['user@master:~$ echo a한b']);
  assert.equal(await line(), 'echo a한b');
  assert.deepEqual(problems, []);
  await page.context().close();
});

test('text an IME key inserts without composing (a digit with the Korean IME on) arrives once', async () => {
  const { page, problems } = await newPage(browser);
  await openLesson(page, slug);
  await page.click('#terminal');
  await page.keyboard.type('echo ');
  const cdp = await page.context().newCDPSession(page);
  // What Chromium reports for such a key: keydown "Process" (keyCode 229), the text as an
  // `insertText` input event, keyup.
  for (const digit of '12') {
    await cdp.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', key: 'Process', code: `Digit${digit}`, windowsVirtualKeyCode: 229 });
    await cdp.send('Input.insertText', { text: digit });
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: digit, code: `Digit${digit}`, windowsVirtualKeyCode: 48 + Number(digit) });
  }
  // And an on-screen keyboard or emoji picker: `insertText` with no key down at all.
  await cdp.send('Input.insertText', { text: '한' });
  await waitForLastLines(page, ['user@master:~$ echo 12한']);
  assert.equal(await page.evaluate(() => window.__netlab.terminal.chars.join('')), 'echo 12한');
  assert.deepEqual(problems, []);
  await page.context().close();
});

test('a multi-line paste runs each line, heredoc lines under the continuation prompt', async () => {
  const { page, problems } = await newPage(browser);
  await openLesson(page, slug);
  await page.click('#terminal');
  await page.evaluate(() => {
    window.__submitted = [];
    window.__netlab.terminal.onExec((line) => window.__submitted.push(line));
    window.__netlab.term.paste('foo\nbar\n');
  });
  await page.waitForFunction(() => window.__submitted.length === 2);
  assert.deepEqual(await page.evaluate(() => window.__submitted), ['foo', 'bar']);
  await waitForTerminal(page, 'bash: bar: command not found');
  assert.deepEqual(problems, []);
  await page.context().close();
});

test('Tab completes like bash: a unique word with a space, a common prefix, then a listing', async () => {
  const { page, problems } = await newPage(browser);
  await openLesson(page, slug);
  await page.click('#terminal');
  await page.keyboard.type('kubectl ge');
  await page.keyboard.press('Tab');
  await page.keyboard.type('nod');
  await page.keyboard.press('Tab');
  await waitForLastLines(page, ['user@master:~$ kubectl get node']);
  await page.keyboard.press('Tab');
  await waitForLastLines(page, ['user@master:~$ kubectl get node', 'node   nodes', 'user@master:~$ kubectl get node']);
  assert.deepEqual(problems, []);
  await page.context().close();
});

test('Tab completes files the shell made, through directories, as bash does', async () => {
  const { page, problems } = await newPage(browser);
  await openLesson(page, slug);
  await page.click('#terminal');
  await typeLine(page, 'mkdir yamls; echo x > yamls/svc.yaml; echo y > yamls/srv.yaml; echo z > deploy.yaml');
  await page.keyboard.type('kubectl apply -f ya');
  await page.keyboard.press('Tab');
  await waitForLastLines(page, ['user@master:~$ kubectl apply -f yamls/']);
  await page.keyboard.type('s');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await waitForLastLines(page, ['user@master:~$ kubectl apply -f yamls/s', 'srv.yaml  svc.yaml', 'user@master:~$ kubectl apply -f yamls/s']);
  await page.keyboard.type('v');
  await page.keyboard.press('Tab');
  await waitForLastLines(page, ['user@master:~$ kubectl apply -f yamls/svc.yaml ']);
  assert.deepEqual(problems, []);
  await page.context().close();
});

test('the keyboard alone can leave the terminal (Shift+Tab) and the screen-reader mode mirrors output', async () => {
  const { page, problems } = await newPage(browser);
  await openLesson(page, slug);
  await page.click('#terminal');
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('xterm-helper-textarea')), true);
  await page.keyboard.press('Shift+Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('xterm-helper-textarea')), false, 'focus left the terminal');
  assert.equal(await page.evaluate(() => window.__netlab.terminal.chars.length), 0, 'Shift+Tab typed nothing');

  await page.check('.lab-reader input');
  await page.click('#terminal');
  await page.keyboard.type('foo');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('.xterm-accessibility-tree')?.textContent?.includes('bash: foo: command not found'));

  // Hangul through the IME in that mode too (xterm lets key events through to the textarea
  // there, so the IME path must not depend on it), once.
  const cdp = await page.context().newCDPSession(page);
  await page.keyboard.type('echo ');
  for (const text of ['ㅎ', '하', '한']) await cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
  await cdp.send('Input.insertText', { text: '한' });
  await waitForLastLines(page, ['user@master:~$ echo 한']);
  assert.equal(await page.evaluate(() => window.__netlab.terminal.chars.join('')), 'echo 한');
  assert.deepEqual(problems, []);
  await page.context().close();
});

test('Tab completes object names from the cluster (here: nodes)', async () => {
  const { page, problems } = await newPage(browser);
  await openLesson(page, slug);
  await page.click('#terminal');
  await page.keyboard.type('kubectl describe node wor');
  await page.keyboard.press('Tab');
  await waitForLastLines(page, ['user@master:~$ kubectl describe node worker']);
  await page.keyboard.press('Tab');
  await waitForLastLines(page, ['user@master:~$ kubectl describe node worker', 'worker1  worker2', 'user@master:~$ kubectl describe node worker']);
  assert.deepEqual(problems, []);
  await page.context().close();
});
