// The events list draws only the rows in view (and a few more): with fixed-height rows, which
// rows those are, and where to scroll to bring one into view, is arithmetic.

export interface ListView {
  /** Scroll offset of the rows' box, px, not counting the header above the rows. */
  top: number;
  /** Height of the part of the box that shows rows, px. */
  height: number;
}

/** The rows to draw, [first, last): those in view and `spare` more on each side. */
export function rowWindow(
  count: number,
  view: ListView,
  rowHeight: number,
  spare: number,
): { first: number; last: number } {
  const first = Math.max(0, Math.floor(view.top / rowHeight) - spare);
  const last = Math.min(count, Math.ceil((view.top + view.height) / rowHeight) + spare);
  return { first: Math.min(first, last), last };
}

/** The scroll offset that shows row `index` whole, moving as little as possible. */
export function scrollToShow(index: number, view: ListView, rowHeight: number): number {
  const rowTop = index * rowHeight;
  if (rowTop < view.top) return rowTop;
  if (rowTop + rowHeight > view.top + view.height) return rowTop + rowHeight - view.height;
  return view.top;
}
