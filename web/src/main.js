// Boot of a lesson page: load the simulator, start the lab in #lab, wire the exercises and
// the lesson's runnable command buttons. The server renders the page (see the DOM contract in
// notes/COMMON.md); this module only finds the elements and connects the parts.

import './app.css';
import { loadSim } from './sim.js';
import { Lab } from './lab.js';
import { logFromHash } from './state.js';
import { renderReport, wireExercises } from './exercise.js';
import { button } from './dom.js';
import { PacketView } from './packet.js';
import { ClusterMap } from './map.js';

async function boot() {
  wireExercises(document);
  const labElement = document.getElementById('lab');
  const host = document.getElementById('terminal');
  if (!labElement || !host) return;
  labElement.dataset.state = 'loading';
  disableRunnableCommands();
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
    const lab = new Lab(host, labElement.dataset.lesson ?? '', localStorageOrNull(), {
      cni: labElement.dataset.cni,
      loadBalancer: labElement.dataset.loadBalancer,
    });
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
    // CodeMirror is most of the JavaScript; it loads the first time a file is opened, so
    // the terminal is ready sooner and a visit without editing never downloads it.
    let editor = null;
    const openEditor = async (path) => {
      if (!editor) {
        const { FileEditor } = await import('./editor.js');
        editor ??= new FileEditor(labElement, {
          read: (file) => lab.readFile(file),
          write: (file, contents) => lab.writeFile(file, contents),
          focusTerminal: () => lab.terminal.focus(),
          check: (text) => lab.sim.checkManifest(text),
        });
      }
      editor.open(path);
    };
    lab.onEdit = (path) => {
      openEditor(path).catch((error) => {
        note.textContent = `편집기를 불러오지 못했습니다: ${error?.message ?? error}`;
      });
    };
    const reader = document.createElement('label');
    reader.className = 'lab-reader';
    const readerBox = document.createElement('input');
    readerBox.type = 'checkbox';
    readerBox.addEventListener('change', () => lab.terminal.setScreenReaderMode(readerBox.checked));
    reader.append(readerBox, ' 화면 낭독기 모드');
    toolbar.append(button('편집기', 'YAML 편집기를 엽니다 (터미널의 vi 파일이름 과 같습니다)', () => lab.onEdit('manifest.yaml')));
    toolbar.append(reader);
    const packets = new PacketView(labElement);
    const map = new ClusterMap(labElement);
    // Redraw only when the view really changed: the clock ticks every second.
    let drawn = '';
    lab.onChange = () => {
      const view = lab.view();
      const text = JSON.stringify(view);
      if (view && text !== drawn) {
        drawn = text;
        map.update(view);
      }
    };
    lab.onChange();
    lab.terminal.onExec((_line, result) => {
      packets.show(result.traces);
      if (result.traces?.length) map.highlight(result.traces);
    });
    wireRunnableCommands(lab);
    labElement.dataset.state = 'ready';
    performance.mark('netlab:ready');
    // Tests read the terminal's buffer through this handle; it is not an API for pages.
    window.__netlab = { lab, packets, map, renderReport, terminal: lab.terminal, term: lab.terminal.term };
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
 * The lesson's command blocks: the server renders each command with a
 * `<button class="run-command" data-command="…">`; a click types it into the terminal.
 * The buttons stay disabled until the terminal can take input.
 * @param {Lab} lab
 */
function wireRunnableCommands(lab) {
  for (const run of document.querySelectorAll('button.run-command[data-command]')) {
    run.addEventListener('click', () => {
      lab.terminal.run(run.getAttribute('data-command') ?? '');
      lab.terminal.focus();
    });
    run.removeAttribute('disabled');
  }
}

function disableRunnableCommands() {
  for (const run of document.querySelectorAll('button.run-command[data-command]')) run.setAttribute('disabled', '');
}

boot();
