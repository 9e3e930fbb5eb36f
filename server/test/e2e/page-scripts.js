// Functions that run inside the page (page.evaluate, page.waitForFunction). Plain JavaScript on
// purpose: the server's TypeScript has Node's types and no DOM, and giving it the DOM for a few
// lines of test code would let server code use browser globals. page-scripts.d.ts types them.

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
