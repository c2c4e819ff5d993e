// Editor diagnostics from the simulator's own YAML reader: the message `kubectl apply -f`
// would print, placed on the line it means, and a warning on every repeated key (the
// `>>`-without-`---` trap, where kubectl silently keeps the later value). Pure functions
// from the simulator's check result to CodeMirror-style diagnostics; no parsing here.

/**
 * @typedef {{from: number, to: number, severity: 'error' | 'warning', message: string}} Diagnostic
 * @typedef {NonNullable<ReturnType<import('./sim.js').SimHandle['checkManifest']>>} ManifestCheck
 */

/**
 * @param {string} text  the editor's document
 * @param {ManifestCheck} check  the simulator's verdict on `text`
 * @param {string} fileName  as kubectl would name the file in its message
 * @returns {Diagnostic[]}
 */
export function manifestDiagnostics(text, check, fileName) {
  const lines = text.split('\n');
  /** Character range of a 1-based line, clamped into the document. */
  const range = (line) => {
    const index = Math.min(Math.max(line, 1), lines.length) - 1;
    let from = 0;
    for (let i = 0; i < index; i++) from += lines[i].length + 1;
    return { from, to: from + lines[index].length };
  };
  const diagnostics = [];
  for (const duplicate of check.duplicates) {
    const where = duplicate.path ? `${duplicate.path}.${duplicate.key}` : duplicate.key;
    diagnostics.push({
      ...range(duplicate.line),
      severity: 'warning',
      message: `${where} 키가 ${duplicate.firstLine}번째 줄에도 있습니다. kubectl은 경고 없이 뒤의 값으로 덮어씁니다. 오브젝트를 덧붙였다면 그 앞에 문서 구분선 --- 이 필요합니다.`,
    });
  }
  if (check.error) {
    const line = check.error.line == null ? 1 : failingDocumentStart(lines, check.documents) + check.error.line - 1;
    diagnostics.push({ ...range(line), severity: 'error', message: `error parsing ${fileName}: ${check.error.message}` });
  }
  return diagnostics;
}

/**
 * kubectl numbers error lines from the start of the failing document. That document is the
 * first non-empty one after those the simulator read: documents begin on line 1 and after
 * every `---` line (apimachinery's YAMLReader).
 * @param {string[]} lines
 * @param {{firstLine: number}[]} documents
 */
function failingDocumentStart(lines, documents) {
  const lastRead = Math.max(0, ...documents.map((d) => d.firstLine));
  const starts = [1];
  lines.forEach((line, index) => {
    if (line.startsWith('---')) starts.push(index + 2);
  });
  const hasContent = (start) => {
    for (let i = start - 1; i < lines.length && !lines[i].startsWith('---'); i++) {
      const trimmed = lines[i].trim();
      if (trimmed !== '' && !trimmed.startsWith('#')) return true;
    }
    return false;
  };
  return starts.find((start) => start > lastRead && hasContent(start)) ?? 1;
}
