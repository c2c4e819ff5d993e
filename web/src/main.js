// Boot of a lesson page: load the simulator, start the lab in #lab, wire the exercises and
// the lesson's runnable code blocks. The server renders the page (see the DOM contract in
// notes/COMMON.md); this module only finds the elements and connects the parts.

import './app.css';
import { loadSim } from './sim.js';
import { Lab } from './lab.js';
import { logFromHash } from './state.js';
import { wireExercises } from './exercise.js';
import { button } from './dom.js';
import { FileEditor } from './editor.js';

async function boot() {
  wireExercises(document);
  const labElement = document.getElementById('lab');
  const host = document.getElementById('terminal');
  if (!labElement || !host) return;
  labElement.dataset.state = 'loading';
  const toolbar = document.createElement('div');
  toolbar.className = 'lab-toolbar';
  toolbar.setAttribute('role', 'toolbar');
  toolbar.setAttribute('aria-label', '실습 도구');
  const note = document.createElement('p');
  note.className = 'lab-status';
  note.setAttribute('role', 'status');
  note.textContent = '실습 클러스터를 준비하는 중…';
  host.before(toolbar, note);
  try {
    await loadSim(new URL('./pkg/sim_wasm_bg.wasm', import.meta.url));
    const shared = await logFromHash(window.location.hash);
    if (shared) history.replaceState(null, '', window.location.pathname + window.location.search);
    const lab = new Lab(host, labElement.dataset.lesson ?? '', localStorageOrNull());
    const replayed = lab.restore(shared ?? lab.saved.load());
    note.textContent = replayed === 0 ? '' : shared ? `공유된 실습 상태를 열었습니다 (명령 ${replayed}개).` : `이전 실습 상태를 복원했습니다 (명령 ${replayed}개).`;
    toolbar.append(
      button('처음부터', '클러스터와 파일을 처음 상태로 되돌립니다', () => {
        if (!window.confirm('클러스터와 파일을 처음 상태로 되돌릴까요? 지금까지의 실습 기록이 지워집니다.')) return;
        lab.reset();
        note.textContent = '새 클러스터를 만들었습니다.';
        lab.terminal.focus();
      }),
      button('공유 링크 복사', '지금 클러스터 상태를 여는 링크를 복사합니다 (조교에게 보내기)', async () => {
        const url = await lab.shareUrl();
        try {
          await navigator.clipboard.writeText(url);
          note.textContent = '공유 링크를 복사했습니다.';
        } catch {
          note.textContent = `공유 링크: ${url}`;
        }
      }),
    );
    const editor = new FileEditor(labElement, {
      read: (path) => lab.readFile(path),
      write: (path, contents) => lab.writeFile(path, contents),
      focusTerminal: () => lab.terminal.focus(),
    });
    lab.onEdit = (path) => editor.open(path);
    toolbar.append(button('편집기', 'YAML 편집기를 엽니다 (터미널에서 vi 파일이름 과 같습니다)', () => editor.open('manifest.yaml')));
    wireRunnableCode(lab);
    labElement.dataset.state = 'ready';
    performance.mark('netlab:ready');
    // Tests read the terminal's buffer through this handle; it is not an API for pages.
    window.__netlab = { lab, editor, terminal: lab.terminal, term: lab.terminal.term };
  } catch (error) {
    note.setAttribute('role', 'alert');
    note.textContent = `실습 클러스터를 불러오지 못했습니다: ${error?.message ?? error}`;
    labElement.dataset.state = 'error';
    throw error;
  }
}

/** localStorage throws in some privacy modes; the lab then simply is not saved. */
function localStorageOrNull() {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/**
 * Shell code blocks in the lesson get a "실행" button that types the command into the
 * terminal. The server marks them with `data-run` or a `language-bash`/`language-shell`
 * class; blocks of other languages (YAML) are left alone.
 * @param {Lab} lab
 */
function wireRunnableCode(lab) {
  const blocks = document.querySelectorAll(
    'pre > code.language-bash, pre > code.language-shell, pre > code.language-sh, pre > code.language-console, pre[data-run] > code',
  );
  for (const code of blocks) {
    const pre = code.parentElement;
    if (!pre || pre.querySelector('.run-command')) continue;
    const run = button('실행', '이 명령을 터미널에서 실행합니다', () => {
      lab.terminal.run((code.textContent ?? '').replace(/^\$ /gm, ''));
      lab.terminal.focus();
    });
    run.className = 'run-command';
    run.setAttribute('aria-label', `터미널에서 실행: ${(code.textContent ?? '').trim().split('\n')[0]}`);
    pre.append(run);
  }
}

boot();
