/** How close to the end still counts as "at the end", in pixels. */
export const END_SLACK = 48;

/** Whether a scrolling box follows its end, and the scroll position where it last was there. */
export interface EndFollowing {
  atEnd: boolean;
  endTop: number;
}

export interface ScrollBox {
  scrollTop: number;
  scrollHeight: number;
  clientHeight: number;
}

/**
 * What a scroll event says about the reader. Only the reader leaves the end, by scrolling up from
 * where the box last was at its end. A scroll event is dispatched after the scroll that caused
 * it, so the box may have grown in between (the next page of a long conversation's catch-up, an
 * answer's markdown drawn late): judged by its distance from the new end, the page's own scroll
 * to the end would look like the reader leaving it, and the box would stop following.
 */
export function afterScroll(following: EndFollowing, box: ScrollBox): EndFollowing {
  if (box.scrollHeight - box.scrollTop - box.clientHeight <= END_SLACK) {
    return { atEnd: true, endTop: box.scrollTop };
  }
  // A pixel of slack: the position read back after the page's own scroll may be rounded.
  if (box.scrollTop < following.endTop - 1) return { atEnd: false, endTop: following.endTop };
  // Further down than where it was last at its end (the box grew, or its view shrank, with no
  // new content to follow): a scroll up from here is the reader leaving.
  return { atEnd: following.atEnd, endTop: Math.max(following.endTop, box.scrollTop) };
}
