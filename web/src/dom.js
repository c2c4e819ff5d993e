// Tiny DOM builders shared by the lab's modules. Text always goes in through textContent:
// much of what we show echoes what a student typed or submitted.

/** @param {string} tag @param {string} [className] @param {string} [text] */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A `type="button"` button; `title` explains what it does (tooltip and accessible description). */
export function button(label, title, onClick) {
  const node = el('button', '', label);
  node.type = 'button';
  node.title = title;
  node.addEventListener('click', onClick);
  return node;
}
