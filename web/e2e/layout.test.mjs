// The lesson page's layout in headless Chromium: the lab beside the lesson can be made wider
// or narrower by dragging its lower-left corner, and it stays on screen while it does.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { launchBrowser, lessonSlugs, newPage, openLesson, screenshot } from './helpers.mjs';

/** @type {import('playwright-core').Browser} */
let browser;
let slug;

before(async () => {
  browser = await launchBrowser();
  const { page } = await newPage(browser);
  slug = (await lessonSlugs(page))[0];
  await page.context().close();
  assert.ok(slug, 'the index page links at least one lesson');
});

after(async () => {
  await browser?.close();
});

/** The lab's and the lesson text's boxes, and the width of the viewport's layout area. */
function boxes(page) {
  return page.evaluate(() => {
    const lab = document.getElementById('lab')?.getBoundingClientRect();
    const lesson = document.querySelector('#lab')?.parentElement?.querySelector(':scope > :not(#lab)')?.getBoundingClientRect();
    return {
      lab: lab && { left: lab.left, right: lab.right, bottom: lab.bottom, width: lab.width },
      lesson: lesson && { left: lesson.left, right: lesson.right, width: lesson.width },
      viewport: document.documentElement.clientWidth,
      // The width the page's grid lays its columns out in (its content box).
      grid: (() => {
        const main = document.getElementById('lab')?.parentElement;
        if (!main) return 0;
        const style = getComputedStyle(main);
        return main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      })(),
    };
  });
}

/** Drags the lab's resize corner (its lower-left, the lab's direction is right-to-left). */
async function dragCorner(page, toX) {
  const { lab } = await boxes(page);
  const y = lab.bottom - 4;
  await page.mouse.move(lab.left + 4, y);
  await page.mouse.down();
  // In steps, like a hand: the browser resizes on every move.
  await page.mouse.move(toX, y, { steps: 8 });
  await page.mouse.up();
}

test('dragging the lab’s lower-left corner widens it to the left and it stays on screen', async () => {
  const { page, problems } = await newPage(browser, { width: 1400, height: 900 });
  await openLesson(page, slug);
  const before = await boxes(page);
  assert.ok(before.lab.right <= before.viewport, `the lab starts on screen: ${JSON.stringify(before)}`);

  await dragCorner(page, before.lab.left - 200);
  const wider = await boxes(page);
  assert.ok(wider.lab.width > before.lab.width + 150, `the lab got wider: ${before.lab.width} → ${wider.lab.width}`);
  assert.ok(wider.lab.right <= wider.viewport + 0.5, `its right edge stays on screen: ${JSON.stringify(wider)}`);
  assert.ok(Math.abs(wider.lab.left - (before.lab.left - 200)) < 24, `its left edge follows the corner: ${JSON.stringify(wider)}`);
  assert.ok(wider.lesson.right <= wider.lab.left, `the lesson text makes room, no overlap: ${JSON.stringify(wider)}`);

  // As far as the page allows: the lab never leaves the screen and the lesson keeps a column.
  await dragCorner(page, 0);
  const widest = await boxes(page);
  assert.ok(widest.lab.right <= widest.viewport + 0.5 && widest.lab.left >= 0, `the widest lab is on screen: ${JSON.stringify(widest)}`);
  assert.ok(widest.lesson.width >= 200, `the lesson keeps a readable column: ${JSON.stringify(widest)}`);
  await screenshot(page, 'lab-resized');

  // And back: narrower, still on screen.
  await dragCorner(page, widest.lab.left + 500);
  const narrower = await boxes(page);
  assert.ok(narrower.lab.width < widest.lab.width - 300, `the lab got narrower: ${JSON.stringify(narrower)}`);
  assert.ok(narrower.lab.right <= narrower.viewport + 0.5, `the narrower lab is on screen: ${JSON.stringify(narrower)}`);

  // A narrow window stacks the lab under the lesson at full width, whatever was dragged.
  await dragCorner(page, 0);
  await page.setViewportSize({ width: 800, height: 900 });
  await page.waitForFunction(() => getComputedStyle(document.getElementById('lab')).resize === 'none');
  const stacked = await boxes(page);
  assert.ok(stacked.lab.left >= 0 && stacked.lab.right <= stacked.viewport + 0.5, `the stacked lab is on screen: ${JSON.stringify(stacked)}`);
  assert.ok(Math.abs(stacked.lab.width - stacked.grid) < 1, `the stacked lab takes the page's full width: ${JSON.stringify(stacked)}`);
  assert.deepEqual(problems, []);
  await page.context().close();
});
