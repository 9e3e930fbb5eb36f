// Functions that run inside the page (page.evaluate, page.waitForFunction). Plain JavaScript on
// purpose: the server's TypeScript has Node's types and no DOM, and giving it the DOM for a few
// lines of test code would let server code use browser globals. page-scripts.d.ts types them.
// Playwright sends each function to the page alone, as its source: none can call another, so a
// computation two of them need (the timeline's distance from its end) is written in both.

/** A running file panel's chunk count when it is above `floor` and shown as text, else false. */
export function chunkAbove(floor) {
  for (const element of document.querySelectorAll('[data-chunks]')) {
    const chunks = Number(element.getAttribute('data-chunks'));
    const shown = element.textContent?.includes(`Chunk ${chunks} received`);
    if (element.getAttribute('data-run-status') === 'running' && chunks > floor && shown) {
      return chunks;
    }
  }
  return false;
}

/** Starts recording every chunk count the page shows, however briefly. */
export function recordChunks() {
  const seen = new Set();
  window.seenChunks = seen;
  const read = () => {
    for (const element of document.querySelectorAll('[data-chunks]')) {
      seen.add(Number(element.getAttribute('data-chunks')));
    }
  };
  new MutationObserver(read).observe(document.body, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['data-chunks'],
  });
}

export function seenChunks() {
  return [...window.seenChunks].sort((a, b) => a - b);
}

/** Starts watching for any dialog appearing, even for a moment. */
export function watchForDialog() {
  window.dialogSeen = false;
  new MutationObserver(() => {
    if (document.querySelector('[role="dialog"]')) window.dialogSeen = true;
  }).observe(document.body, { childList: true, subtree: true });
}

export function dialogWasSeen() {
  return window.dialogSeen;
}

/** Whether `element` has the keyboard focus. */
export function isFocused(element) {
  return element === document.activeElement;
}

/** Starts recording every text the element matching `selector` shows, however briefly. */
export function recordTexts(selector) {
  const seen = [];
  window.seenTexts = seen;
  new MutationObserver(() => {
    const text = document.querySelector(selector)?.textContent ?? '';
    if (text !== seen.at(-1)) seen.push(text);
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
}

export function seenTexts() {
  return window.seenTexts;
}

/**
 * Records what the last file panel draws at each DOM change: its drawn lines' numbers and texts
 * (the gutter's and the code's), each change once, with the run's status then (null for the
 * approval dialog's preview, which has no run).
 */
export function recordFileDrawings() {
  const drawings = [];
  window.fileDrawings = drawings;
  new MutationObserver(() => {
    const columns = document.querySelectorAll('[data-testid="file-content"]');
    const column = columns[columns.length - 1];
    const gutter = column?.querySelector('.file-gutter')?.textContent ?? '';
    const code = column?.querySelector('.file-code')?.textContent ?? '';
    const status = column?.closest('[data-run-status]')?.getAttribute('data-run-status') ?? null;
    const last = drawings.at(-1);
    if (gutter === '' || (last && last.gutter === gutter && last.code === code)) return;
    drawings.push({ gutter, code, status });
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
}

export function fileDrawings() {
  return window.fileDrawings;
}

/**
 * Starts checking, at every DOM change, where streamed text written between two renders (the
 * live tail) sits: only ever at the very end of the streaming text. Counts the changes that
 * showed a tail, and records any tail found anywhere else.
 */
export function watchLiveTails(selector) {
  const watch = { shown: 0, misplaced: [] };
  window.liveTails = watch;
  new MutationObserver(() => {
    const box = document.querySelector(selector);
    if (!box) return;
    let end = box.lastElementChild;
    while (end?.lastElementChild) end = end.lastElementChild;
    for (const span of box.querySelectorAll('[data-live-tail]')) {
      if (!span.textContent) continue;
      if (span === end) watch.shown += 1;
      else watch.misplaced.push(span.textContent);
    }
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
}

export function liveTails() {
  return window.liveTails;
}

/**
 * Starts recording how the streaming markdown in `selector` (inside `article`) changes: each
 * batch of DOM changes to it outside its live tail is a redraw of the markdown, and the article's
 * status is noted the first time `formatted` (a selector inside it) is shown.
 */
export function watchMarkdownRedraws({ article, selector, formatted }) {
  const watch = { redraws: 0, formattedWhile: null };
  window.markdownRedraws = watch;
  const inTail = (node) =>
    (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement)?.closest('[data-live-tail]');
  new MutationObserver((records) => {
    const box = document.querySelector(selector);
    if (!box) return;
    if (records.some((record) => box.contains(record.target) && !inTail(record.target))) {
      watch.redraws += 1;
    }
    if (watch.formattedWhile === null && box.querySelector(formatted)) {
      watch.formattedWhile = document.querySelector(article)?.dataset.status ?? null;
    }
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
}

export function markdownRedraws() {
  return window.markdownRedraws;
}

/**
 * A code block as a person sees it while a line is being written (a `waitForFunction` predicate:
 * null until the block shows `after` and its live tail, `tail`, shows something): how many lines
 * its text has (a last line break draws none), how many lines tall it is, and the tail's text.
 */
export function codeBlockWhileWritten({ block, tail, after }) {
  const pre = document.querySelector(block);
  const written = document.querySelector(tail)?.textContent ?? '';
  if (!pre || written === '' || !(pre.textContent ?? '').includes(after)) return null;
  const style = getComputedStyle(pre);
  const padding = Number.parseFloat(style.paddingTop) + Number.parseFloat(style.paddingBottom);
  return {
    lines: (pre.textContent ?? '').replace(/\n$/, '').split('\n').length,
    tall: (pre.scrollHeight - padding) / Number.parseFloat(style.lineHeight),
    tail: written,
  };
}

/**
 * The text a person reads in a file panel (its column, `data-testid="file-content"`), scrolling it
 * from top to bottom: the panel draws only the lines in view. At each stop, once the drawn lines
 * cover the view and sit where their numbers say, every drawn line is read with its number; a
 * line never drawn is an error.
 */
export async function readFilePanel(column) {
  const box = column.parentElement;
  const drawn = column.querySelector('.file-lines');
  const gutter = column.querySelector('.file-gutter');
  const code = column.querySelector('.file-code');
  const lineHeight = Number.parseFloat(getComputedStyle(column).lineHeight);
  const total = Math.round(column.getBoundingClientRect().height / lineHeight);
  if (box.clientHeight === 0) throw new Error('the file panel is not on screen');
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  const covers = () => {
    const first = Number(drawn.dataset.firstLine);
    const count = gutter.textContent.split('\n').length;
    const top = Math.floor(box.scrollTop / lineHeight) + 1;
    const bottom = Math.min(total, Math.ceil((box.scrollTop + box.clientHeight) / lineHeight));
    const placed = Math.abs(drawn.offsetTop - (first - 1) * lineHeight) < 1;
    return placed && first <= top && first + count - 1 >= bottom;
  };
  const lines = new Array(total);
  box.scrollTop = 0;
  for (;;) {
    for (let frames = 0; !covers(); frames += 1) {
      if (frames > 600) throw new Error(`lines in view at ${box.scrollTop}px were never drawn`);
      await frame();
    }
    const numbers = gutter.textContent.split('\n').map(Number);
    const texts = code.textContent.split('\n');
    if (numbers.length !== texts.length) throw new Error('line numbers and lines differ');
    numbers.forEach((number, index) => {
      lines[number - 1] = texts[index];
    });
    if (box.scrollTop + box.clientHeight >= box.scrollHeight - 1) break;
    const before = box.scrollTop;
    box.scrollTop += box.clientHeight;
    if (box.scrollTop === before) throw new Error(`the panel does not scroll past ${before}px`);
  }
  const missing = lines.findIndex((line) => line === undefined);
  if (missing !== -1) throw new Error(`line ${missing + 1} was never drawn`);
  return lines.join('\n');
}

/**
 * Whether a file panel shows its last line whole at the bottom of its view, as its gutter says,
 * and how many lines it has: what a person sees of a panel following the end.
 */
export function lastLineInView(column) {
  const box = column.parentElement;
  const bottom = box.getBoundingClientRect().top + box.clientTop + box.clientHeight;
  const gutter = column.querySelector('.file-gutter');
  const first = Number(column.querySelector('.file-lines').dataset.firstLine);
  const lineHeight = Number.parseFloat(getComputedStyle(column).lineHeight);
  const top = gutter.getBoundingClientRect().top;
  let shown = 0;
  gutter.textContent.split('\n').forEach((_, index) => {
    if (top + (index + 1) * lineHeight <= bottom + 0.5) shown = first + index;
  });
  return { shown, lines: Math.round(column.getBoundingClientRect().height / lineHeight) };
}

/**
 * Scrolls a file panel (given its column) as a reader would: by `by` pixels, or to its end when
 * `by` is 'end'. Returns where it is now (0 = the top).
 */
export function scrollPanel(column, by) {
  const box = column.parentElement;
  if (by === 'end') box.scrollTop = box.scrollHeight;
  else box.scrollTop += by;
  return box.scrollTop;
}

/**
 * How far, in pixels, the bottom edge of the timeline's view (its `main`) is from the end of the
 * conversation, as the eye measures it: from where its content ends on the screen (the box's
 * bottom padding, below the last item, counts as the end).
 */
export function timelineFromEnd(main) {
  const end = Math.max(...[...main.children].map((child) => child.getBoundingClientRect().bottom));
  return Math.max(0, end - (main.getBoundingClientRect().top + main.clientTop + main.clientHeight));
}

/** Whether the conversation is taller than its view by more than `pixels`. */
export function timelineOverflows(pixels) {
  const main = document.querySelector('main');
  return main !== null && main.scrollHeight - main.clientHeight > pixels;
}

/** Whether the timeline's view ends within `pixels` of the conversation's end (timelineFromEnd). */
export function timelineNearEnd(pixels) {
  const main = document.querySelector('main');
  if (main === null || main.children.length === 0) return false;
  const end = Math.max(...[...main.children].map((child) => child.getBoundingClientRect().bottom));
  return end - (main.getBoundingClientRect().top + main.clientTop + main.clientHeight) < pixels;
}

/** Whether the answer of turn 1 has more than `chars` characters on the page. */
export function answerLongerThan(chars) {
  const answer = document.querySelector('main article[data-turn="1"]');
  return (answer?.textContent?.length ?? 0) > chars;
}

/** Scrolls the timeline as a reader would: by `by` pixels (up when negative), or to its end. */
export function scrollTimeline(main, by) {
  if (by === 'end') main.scrollTop = main.scrollHeight;
  else main.scrollTop += by;
}

/**
 * Marks what the reader has in the middle of the timeline's view (the paragraph there, or the
 * item) and says where it is on the screen (its top, in pixels); `markedTop` says where it is
 * later.
 */
export function markMiddleOfView(main) {
  const view = main.getBoundingClientRect();
  const hit = document.elementFromPoint(view.left + view.width / 2, view.top + view.height / 2);
  const marked = hit?.closest('p, li') ?? hit;
  if (marked === null || marked === main || !main.contains(marked)) {
    throw new Error('nothing of the timeline in the middle of its view');
  }
  marked.dataset.readerMark = 'true';
  return marked.getBoundingClientRect().top;
}

/** Where the element `markMiddleOfView` marked is on the screen now (its top, in pixels). */
export function markedTop() {
  return document.querySelector('[data-reader-mark]')?.getBoundingClientRect().top ?? null;
}

/** What the clipboard holds (the page must have been granted clipboard-read). */
export function clipboardText() {
  return navigator.clipboard.readText();
}

/**
 * Notes how many answers the timeline holds the first time it holds any (install it with
 * page.addInitScript, before the page loads); `firstDrawnAnswers` reads it.
 */
export function recordFirstDrawnAnswers() {
  new MutationObserver((_, observer) => {
    const count = document.querySelectorAll('main article[data-turn]').length;
    if (count === 0) return;
    window.firstDrawnAnswers = count;
    observer.disconnect();
  }).observe(document, { subtree: true, childList: true });
}

/** How many answers the timeline first held, or null if it has held none yet. */
export function firstDrawnAnswers() {
  return window.firstDrawnAnswers ?? null;
}
