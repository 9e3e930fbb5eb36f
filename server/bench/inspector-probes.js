// The inspector benchmark's in-page parts, in plain JavaScript: the server's TypeScript has no DOM
// types (inspector-probes.d.ts types this). Times are the page's `performance.now()`, in ms after
// its navigation started.

/** Installed before the page's scripts: notes when the live end is first on screen. */
export function watchLiveEnd(shownText) {
  new MutationObserver(() => {
    if (window.__shownAt !== undefined) return;
    const toolbar = document.querySelector('[role="toolbar"]');
    const current = document.querySelector('figure [aria-current="step"]');
    if (
      toolbar?.textContent?.includes(shownText) &&
      current?.getAttribute('aria-label') === 'idle'
    ) {
      window.__shownAt = performance.now();
    }
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
}

export function liveEndShownAt() {
  return window.__shownAt;
}

/**
 * Clicks "Previous event" and resolves with the ms until the frame after the toolbar names the
 * new point (the state itself may not change from one entry to the one before).
 */
export function stepBack() {
  return new Promise((resolve, reject) => {
    const button = [...document.querySelectorAll('button')].find(
      (b) => b.textContent?.trim() === 'Previous event',
    );
    const toolbar = document.querySelector('[role="toolbar"] p');
    if (!button || !toolbar) {
      reject(new Error('no Previous event button or no toolbar'));
      return;
    }
    const text = toolbar.textContent;
    const started = performance.now();
    const observer = new MutationObserver(() => {
      if (toolbar.textContent === text) return;
      observer.disconnect();
      requestAnimationFrame(() => resolve(performance.now() - started));
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    button.click();
  });
}

/**
 * The floor: this page (of the server's origin) opens a socket, subscribes to `conversationId`
 * from 0, and resolves with the ms until `subscribed` (every entry received and parsed), timed
 * from the connect (`from: 'connect'`, as the inspector opens its own socket) or from the
 * subscribe (`from: 'subscribe'`, as the chat page's socket is already open when it subscribes).
 * With `checkpoint` (the server's machine version), it subscribes as the chat page does: the
 * latest checkpoint, then the entries after it.
 */
export function receiveWholeLog({ conversationId, from, checkpoint }) {
  return new Promise((resolve, reject) => {
    let started = performance.now();
    const socket = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/ws`);
    let received = 0;
    socket.onopen = () => {
      if (from === 'subscribe') started = performance.now();
      socket.send(
        JSON.stringify({
          type: 'subscribe',
          conversationId,
          afterSeq: 0,
          ...(checkpoint === undefined ? {} : { checkpoint }),
        }),
      );
    };
    socket.onerror = () => reject(new Error('the floor page could not connect'));
    socket.onmessage = (message) => {
      const data = JSON.parse(message.data);
      if (data.type === 'entries') received += data.entries.length;
      if (data.type === 'checkpoint') received += 1;
      if (data.type === 'subscribed') {
        socket.close();
        resolve(received > 0 ? performance.now() - started : Number.NaN);
      }
    };
  });
}
