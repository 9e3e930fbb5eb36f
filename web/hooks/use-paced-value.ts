import { useEffect, useRef, useState } from 'react';

/**
 * `value`, changing at most once every `everyMs`: the latest value is taken up when the interval
 * has passed (at once if it already has), so nothing is left behind, and a value that changes at
 * every frame re-renders what depends on it a few times a second instead of sixty.
 */
export function usePacedValue<T>(value: T, everyMs: number): T {
  const [paced, setPaced] = useState(value);
  const takenAt = useRef(Number.NEGATIVE_INFINITY);
  useEffect(() => {
    if (Object.is(value, paced)) return;
    const take = () => {
      takenAt.current = performance.now();
      setPaced(() => value);
    };
    const wait = takenAt.current + everyMs - performance.now();
    if (wait <= 0) {
      take();
      return;
    }
    const timer = setTimeout(take, wait);
    return () => clearTimeout(timer);
  }, [value, paced, everyMs]);
  return paced;
}
