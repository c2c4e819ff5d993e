// Boot of a lesson page: load the simulator, mount the terminal in #lab, wire the exercises.
// The server renders the page (see the DOM contract in notes/COMMON.md); this module only
// finds the elements and connects the parts. It is the bundle's entry point.

import './app.css';
import { loadSim, seedFor, SimHandle } from './sim.js';
import { LabTerminal } from './terminal.js';
import { wireExercises } from './exercise.js';

// How often the virtual clock follows the wall clock, so pods go from ContainerCreating to
// Running while the student watches.
const CLOCK_TICK_MS = 1000;

async function boot() {
  wireExercises(document);
  const lab = document.getElementById('lab');
  const host = document.getElementById('terminal');
  if (!lab || !host) return;
  lab.dataset.state = 'loading';
  const status = document.createElement('p');
  status.className = 'lab-status';
  status.setAttribute('role', 'status');
  status.textContent = '실습 클러스터를 준비하는 중…';
  host.before(status);
  try {
    await loadSim(new URL('./pkg/sim_wasm_bg.wasm', import.meta.url));
    const sim = new SimHandle(seedFor(lab.dataset.lesson ?? ''));
    const started = performance.now();
    const clock = () => sim.advanceTo(performance.now() - started);
    const terminal = new LabTerminal(host, {
      exec: (line) => {
        clock();
        return sim.exec(line);
      },
      prompt: () => sim.prompt(),
    });
    setInterval(clock, CLOCK_TICK_MS);
    wireRunnableCode(terminal);
    status.remove();
    lab.dataset.state = 'ready';
    // Tests read the terminal's buffer through this handle; it is not an API for pages.
    window.__netlab = { sim, terminal, term: terminal.term };
  } catch (error) {
    status.setAttribute('role', 'alert');
    status.textContent = `실습 클러스터를 불러오지 못했습니다: ${error?.message ?? error}`;
    lab.dataset.state = 'error';
    throw error;
  }
}

/**
 * Shell code blocks in the lesson get a "실행" button that types the command into the
 * terminal. The server marks them with `data-run` or a `language-bash`/`language-shell`
 * class; blocks of other languages (YAML) are left alone.
 * @param {LabTerminal} terminal
 */
function wireRunnableCode(terminal) {
  const blocks = document.querySelectorAll('pre > code.language-bash, pre > code.language-shell, pre > code.language-sh, pre[data-run] > code');
  for (const code of blocks) {
    const pre = code.parentElement;
    if (!pre || pre.querySelector('.run-command')) continue;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'run-command';
    button.textContent = '실행';
    button.setAttribute('aria-label', '이 명령을 터미널에서 실행');
    button.addEventListener('click', () => {
      terminal.run((code.textContent ?? '').replace(/^\$ /gm, ''));
      terminal.focus();
    });
    pre.append(button);
  }
}

boot();
