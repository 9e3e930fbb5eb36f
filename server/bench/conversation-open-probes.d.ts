export function watchOpen(args: {
  conversationId: string;
  lastTurn: number;
  lastText: string;
}): void;
export function openTimes(): { inDom: number | undefined; shown: number | undefined };
export function inDomYet(): boolean;
export function shownYet(): boolean;
export function timelineScroll(): string;
