// The lesson page's layout in headless Firefox: dragging the lab's lower-left corner makes it
// wider to the left, and it stays on screen (the Chromium suite checks the same and more).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { launchBrowser, lessonSlugs, newPage, openLesson, screenshot } from './helpers.mjs';

/** @type {import('puppeteer-core').Browser} */
let browser;
let slug;

before(async () => {
  browser = await launchBrowser();
  const { page, close } = await newPage(browser);
  slug = (await lessonSlugs(page))[0];
  await close();
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
    };
  });
}

/** Drags the lab's resize corner (its lower-left: the lab's direction is right-to-left). */
async function dragCorner(page, toX) {
  const { lab } = await boxes(page);
  const y = lab.bottom - 4;
  await page.mouse.move(lab.left + 4, y);
  await page.mouse.down();
  await page.mouse.move(toX, y, { steps: 8 });
  await page.mouse.up();
}

test('dragging the lab’s lower-left corner widens it to the left and it stays on screen', async () => {
  const { page, problems, close } = await newPage(browser, { width: 1400, height: 900 });
  await openLesson(page, slug);
  const before = await boxes(page);
  assert.ok(before.lab.right <= before.viewport, `the lab starts on screen: ${JSON.stringify(before)}`);

  await dragCorner(page, before.lab.left - 200);
  const wider = await boxes(page);
  assert.ok(wider.lab.width > before.lab.width + 150, `the lab got wider: ${before.lab.width} → ${wider.lab.width}`);
  assert.ok(wider.lab.right <= wider.viewport + 0.5, `its right edge stays on screen: ${JSON.stringify(wider)}`);
  assert.ok(wider.lesson.right <= wider.lab.left, `the lesson text makes room, no overlap: ${JSON.stringify(wider)}`);

  await dragCorner(page, 0);
  const widest = await boxes(page);
  assert.ok(widest.lab.right <= widest.viewport + 0.5 && widest.lab.left >= 0, `the widest lab is on screen: ${JSON.stringify(widest)}`);
  assert.ok(widest.lesson.width >= 200, `the lesson keeps a readable column: ${JSON.stringify(widest)}`);
  await screenshot(page, 'lab-resized');
  assert.deepEqual(problems, []);
  await close();
});
