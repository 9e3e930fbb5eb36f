// Instruments installed in the page before its own scripts run (Playwright addInitScript), in
// plain JavaScript: the server's TypeScript has no DOM types (page-probes.d.ts types this). All
// times are `performance.timeOrigin + performance.now()`: epoch milliseconds on the machine's
// clock, comparable with the server's `entry.at` (Date.now) and the stamps in text deltas.
//
// - arrivals: every log entry the WebSocket brings (a message carries one or more), with its
//   `at` (when the server appended and sent it), its arrival time, and how far the file or the
//   text has grown with it (cumulative characters of the chunks, or count of stamped deltas).
// - paints: after each batch of DOM changes, how far the file panel and the streaming text have
//   grown on screen, timed at the first task after the rendering update that shows them. A DOM
//   change made during a frame's rendering steps (an animation-frame or ResizeObserver callback)
//   is painted at the end of that frame, so a task posted then runs right after the paint; a
//   change made in any other task is painted at the next frame, so we wait for that frame first.
// - doms: the same, timed when the change is in the DOM (the MutationObserver's callback, right
//   after the task that made it), before it is painted.
// - longTasks: main-thread tasks over 50 ms (PerformanceObserver 'longtask').

export function installProbes() {
  const now = () => performance.timeOrigin + performance.now();
  const probes = { arrivals: [], doms: [], paints: [], longTasks: [] };
  window.probes = probes;

  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      probes.longTasks.push({
        start: performance.timeOrigin + entry.startTime,
        duration: entry.duration,
      });
    }
  }).observe({ type: 'longtask', buffered: true });

  // DOM changes made during a frame's rendering steps are painted by that frame. The page makes
  // them in animation-frame callbacks (and the render React runs in the microtask right after)
  // and in ResizeObserver callbacks (after layout); those are wrapped to collect their changes as
  // soon as they and their microtasks are done. A change made anywhere else reaches the
  // observer's callback and waits for the next frame.
  const collectAfter = (callback) =>
    function (...args) {
      try {
        return callback.apply(this, args);
      } finally {
        queueMicrotask(() => {
          if (observer.takeRecords().length > 0) changed(true);
        });
      }
    };
  const requestFrame = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (callback) => requestFrame(collectAfter(callback));
  const NativeResizeObserver = window.ResizeObserver;
  window.ResizeObserver = class extends NativeResizeObserver {
    constructor(callback) {
      super(collectAfter(callback));
    }
  };

  let fileChars = 0;
  let textDeltas = 0;
  const NativeSocket = window.WebSocket;
  window.WebSocket = class extends NativeSocket {
    constructor(url, protocols) {
      super(url, protocols);
      this.addEventListener('message', (message) => {
        const arrival = now();
        const data = JSON.parse(String(message.data));
        if (data.type !== 'entries') return;
        for (const { event, at } of data.entries) {
          let stamp = null;
          if (event.type === 'tool.chunk') fileChars += event.text.length;
          if (event.type === 'assistant.text_delta') {
            textDeltas += 1;
            stamp = Number(String(event.text).split('|')[0]);
          }
          const reach = event.type === 'tool.chunk' ? fileChars : textDeltas;
          probes.arrivals.push({ type: event.type, at, arrival, reach, stamp });
        }
      });
    }
  };

  // How many stamped deltas the streaming answer shows, without reading all of it at every
  // change (which would slow the page being measured): it only grows at its end, so a child
  // element that is no longer the last is finished, and is read once.
  const countStamps = (text) => {
    let stamps = 0;
    for (let at = text.indexOf('|'); at !== -1; at = text.indexOf('|', at + 1)) stamps += 1;
    return stamps;
  };
  const finished = new WeakMap();
  const stampCount = (parent) => {
    const last = parent.lastElementChild;
    let sum = 0;
    for (const child of parent.children) {
      if (child === last) {
        sum += countStamps(child.textContent);
        continue;
      }
      let known = finished.get(child);
      if (known === undefined) {
        known = countStamps(child.textContent);
        finished.set(child, known);
      }
      sum += known;
    }
    return sum;
  };
  const measureText = () => {
    const turns = document.querySelectorAll('main article[data-turn]');
    const markdown = turns[turns.length - 1]?.querySelector('.markdown');
    return markdown ? stampCount(markdown) : 0;
  };
  const measure = () => {
    const files = document.querySelectorAll('main [data-testid="file-content"]');
    const file = files[files.length - 1];
    // The panel draws only the lines in view; it says how much of the file is drawn in.
    return { fileChars: Number(file?.dataset.length ?? 0), textDeltas: measureText() };
  };
  const afterPaint = (record) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = record;
    channel.port2.postMessage(null);
  };
  let pending = false;
  function changed(inFrame) {
    // In the DOM now (the observer runs right after the task or frame callback that changed it).
    // Only the text is counted here: reading a megabyte file panel at every change would slow
    // the page it measures.
    probes.doms.push({ time: now(), fileChars: 0, textDeltas: measureText() });
    if (pending) return;
    pending = true;
    const record = () => {
      pending = false;
      probes.paints.push({ time: now(), ...measure() });
    };
    if (inFrame) afterPaint(record);
    else requestFrame(() => afterPaint(record));
  }
  const observer = new MutationObserver(() => changed(false));
  const start = () =>
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start);
}

export function readProbes() {
  return window.probes;
}

/** Whether the page's first markdown text shows at least `count` stamped deltas. */
export function stampsShown(count) {
  return (document.querySelector('main .markdown')?.textContent?.split('|').length ?? 1) > count;
}
