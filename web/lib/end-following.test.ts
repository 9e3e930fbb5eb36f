import { describe, expect, it } from 'vitest';
import { afterScroll, type EndFollowing } from './end-following.ts';

const following: EndFollowing = { atEnd: true, endTop: 900 };

describe('following the end of a scrolling box', () => {
  it('keeps following when the box grew under the position it was put at, before the scroll event came', () => {
    // Put at the end of 1,000 px; the next page of a catch-up made it 2,000 px before the event.
    expect(
      afterScroll(following, { scrollTop: 900, scrollHeight: 2000, clientHeight: 100 }),
    ).toEqual(following);
  });

  it('stops following when the reader scrolls up from below where it was last at its end', () => {
    // A section opened at the end made the box taller, with no new content to follow.
    const down = afterScroll(following, { scrollTop: 1300, scrollHeight: 2000, clientHeight: 100 });
    expect(down.atEnd).toBe(true);
    expect(
      afterScroll(down, { scrollTop: 1200, scrollHeight: 2000, clientHeight: 100 }).atEnd,
    ).toBe(false);
  });

  it('stops following when the reader scrolls up from the end, and follows again back at it', () => {
    const left = afterScroll(following, { scrollTop: 600, scrollHeight: 1000, clientHeight: 100 });
    expect(left.atEnd).toBe(false);
    // Scrolling down, but not to the end, does not follow yet.
    expect(afterScroll(left, { scrollTop: 800, scrollHeight: 2000, clientHeight: 100 }).atEnd).toBe(
      false,
    );
    expect(afterScroll(left, { scrollTop: 1880, scrollHeight: 2000, clientHeight: 100 })).toEqual({
      atEnd: true,
      endTop: 1880,
    });
  });
});
