// The conversation-open benchmark's in-page parts, in plain JavaScript: the server's TypeScript
// has no DOM types (conversation-open-probes.d.ts types this). Times are the page's
// `performance.now()`.

/**
 * Installed before the page's scripts. Notes when a link to `conversationId` is clicked (a
 * capture listener on the document: before the page's own handler runs), and when, after that,
 * the last answer (`article[data-turn=lastTurn]`, complete, its text holding `lastText`) is
 * first on screen: in the DOM (a MutationObserver), then within the window, clipped by whatever
 * scrolls it (an IntersectionObserver: it computes intersections in a frame's rendering steps
 * and calls back in a task after that frame, so its callback is "painted" as page-probes.js
 * defines it, the first task after the frame that shows it).
 */
export function watchOpen({ conversationId, lastTurn, lastText }) {
  const selector = `main article[data-turn="${lastTurn}"][data-status="complete"]`;
  document.addEventListener(
    'click',
    (event) => {
      const link = event.target instanceof Element ? event.target.closest('a[href]') : null;
      if (link && new URL(link.href).searchParams.get('c') === conversationId) {
        window.__clickedAt ??= performance.now();
      }
    },
    true,
  );
  let observed = null;
  const inView = new IntersectionObserver((entries) => {
    if (window.__shownAt !== undefined) return;
    if (entries.some((entry) => entry.isIntersecting && entry.target === observed)) {
      window.__shownAt = performance.now();
      inView.disconnect();
    }
  });
  new MutationObserver(() => {
    if (window.__clickedAt === undefined || window.__shownAt !== undefined) return;
    if (observed?.isConnected) return;
    const answer = document.querySelector(selector);
    if (!answer?.textContent?.includes(lastText)) return;
    if (observed) inView.unobserve(observed);
    observed = answer;
    window.__inDomAt ??= performance.now();
    inView.observe(answer);
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
}

/**
 * Click → last answer in the DOM and → shown (in the window), in ms, each undefined until it
 * happens.
 */
export function openTimes() {
  const since = (at) =>
    at === undefined || window.__clickedAt === undefined ? undefined : at - window.__clickedAt;
  return { inDom: since(window.__inDomAt), shown: since(window.__shownAt) };
}

/** Whether the last answer is in the DOM yet. */
export function inDomYet() {
  return window.__inDomAt !== undefined;
}

/** Whether the last answer has been shown yet. */
export function shownYet() {
  return window.__shownAt !== undefined;
}

/** Where the timeline (the scrolling `main`) is scrolled to. */
export function timelineScroll() {
  const main = document.querySelector('main');
  return main ? `${main.scrollTop} of ${main.scrollHeight - main.clientHeight} px` : 'no main';
}
