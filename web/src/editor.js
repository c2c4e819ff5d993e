// The YAML editor of the lab: CodeMirror 6 over a file in the simulated home directory.
// `vi FILE` / `nano FILE` in the terminal open it (lab.js routes them here); Ctrl+S or 저장
// writes the file back into the simulator, where `cat` and `kubectl apply -f` see it; an
// exercise on the page can be submitted straight from the editor. The file's truth stays in
// the simulator: the editor reads it on open and writes it on save, nothing else.

import { EditorView, basicSetup } from 'codemirror';
import { keymap } from '@codemirror/view';
import { indentUnit } from '@codemirror/language';
import { yaml } from '@codemirror/lang-yaml';
import { linter, lintGutter } from '@codemirror/lint';

import { button } from './dom.js';
import { manifestDiagnostics } from './diagnostics.js';

/**
 * @typedef {object} FileAccess
 * @property {(path: string) => string | undefined} read
 * @property {(path: string, contents: string) => void} write
 * @property {() => void} focusTerminal
 * @property {(text: string) => import('./diagnostics.js').ManifestCheck | null} check
 *   the simulator's verdict on a manifest (null: no diagnostics available)
 */

export class FileEditor {
  /**
   * @param {HTMLElement} container  where the panel goes (inside #lab)
   * @param {FileAccess} files
   */
  constructor(container, files) {
    this.files = files;
    this.path = '';
    this.savedText = '';
    this.panel = document.createElement('section');
    this.panel.className = 'lab-editor';
    this.panel.hidden = true;
    this.panel.setAttribute('aria-label', 'YAML 편집기');

    const bar = document.createElement('div');
    bar.className = 'editor-bar';
    this.title = document.createElement('span');
    this.title.className = 'editor-path';
    const save = button('저장', '파일을 저장합니다 (Ctrl+S)', () => this.save());
    this.exerciseSelect = document.createElement('select');
    this.exerciseSelect.className = 'editor-exercise';
    this.exerciseSelect.setAttribute('aria-label', '제출할 연습 문제');
    const submit = button('연습 문제에 제출', '이 파일을 선택한 연습 문제의 답으로 제출합니다', () => this.submitToExercise());
    submit.classList.add('editor-submit');
    const close = button('닫기', '편집기를 닫고 터미널로 돌아갑니다', () => this.close());
    bar.append(this.title, save, this.exerciseSelect, submit, close);

    this.host = document.createElement('div');
    this.host.className = 'editor-host';
    this.status = document.createElement('p');
    this.status.className = 'editor-status';
    this.status.setAttribute('role', 'status');
    this.panel.append(bar, this.host, this.status);
    // Right under the terminal, where `vi` was typed.
    const terminal = container.querySelector('#terminal');
    if (terminal) terminal.after(this.panel);
    else container.append(this.panel);

    const exercises = document.querySelectorAll('section.exercise[data-exercise-id]');
    for (const section of exercises) {
      const id = section.getAttribute('data-exercise-id') ?? '';
      const heading = section.querySelector('h1, h2, h3, h4')?.textContent?.trim();
      this.exerciseSelect.append(new Option(heading ? `${heading} (${id})` : id, id));
    }
    if (exercises.length === 0) {
      this.exerciseSelect.hidden = true;
      submit.hidden = true;
    }

    this.view = new EditorView({
      parent: this.host,
      extensions: [
        basicSetup,
        yaml(),
        indentUnit.of('  '),
        keymap.of([
          { key: 'Mod-s', preventDefault: true, run: () => (this.save(), true) },
          { key: 'Escape', run: () => (this.close(), true) },
        ]),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) this.showDirty();
        }),
        EditorView.contentAttributes.of({ 'aria-label': 'YAML 편집기 내용' }),
        lintGutter(),
        // Live diagnostics from the simulator's own YAML reader: the same message
        // `kubectl apply -f` would print, on the line it means.
        linter(
          (view) => {
            if (!/\.(ya?ml|json)$/i.test(this.path)) return [];
            const text = view.state.doc.toString();
            const check = this.files.check(text);
            return check ? manifestDiagnostics(text, check, this.path) : [];
          },
          { delay: 300 },
        ),
      ],
    });
  }

  /** Opens `path` (relative to the home directory); a missing file starts empty, like vi. */
  open(path) {
    this.path = path;
    const text = this.files.read(path);
    this.savedText = text ?? '';
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: this.savedText } });
    this.status.textContent = text === undefined ? '새 파일입니다. 저장하면 만들어집니다.' : '';
    this.panel.hidden = false;
    this.showDirty();
    this.panel.scrollIntoView({ block: 'nearest' });
    this.view.focus();
  }

  close() {
    this.panel.hidden = true;
    this.files.focusTerminal();
  }

  save() {
    const text = this.view.state.doc.toString();
    this.files.write(this.path, text);
    this.savedText = text;
    this.showDirty();
    this.status.textContent = `${displayPath(this.path)} 파일을 저장했습니다.`;
  }

  /** Copies the file into the chosen exercise's answer box and submits it there, so the
   *  result appears where the exercise is. */
  submitToExercise() {
    const id = this.exerciseSelect.value;
    const section = [...document.querySelectorAll('section.exercise[data-exercise-id]')].find(
      (s) => s.getAttribute('data-exercise-id') === id,
    );
    const answer = section?.querySelector('textarea.exercise-answer');
    const submit = section?.querySelector('button.exercise-submit');
    if (!(answer instanceof HTMLTextAreaElement) || !(submit instanceof HTMLButtonElement)) return;
    this.save();
    answer.value = this.view.state.doc.toString();
    submit.click();
    section?.scrollIntoView({ block: 'start', behavior: 'smooth' });
    this.status.textContent = '연습 문제에 제출했습니다. 결과는 연습 문제 아래에 나옵니다.';
  }

  showDirty() {
    const dirty = this.view.state.doc.toString() !== this.savedText;
    this.title.textContent = `${displayPath(this.path)}${dirty ? ' (저장 안 됨)' : ''}`;
  }
}

/** Paths are relative to the home directory unless absolute, as the simulator reads them. */
function displayPath(path) {
  return path.startsWith('/') ? path : `~/${path}`;
}
