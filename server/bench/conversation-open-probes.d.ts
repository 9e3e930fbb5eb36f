export function watchOpen(args: {
  conversationId: string;
  lastTurn: number;
  lastText: string;
}): void;
export function openTimes(): { inDom: number | undefined; shown: number | undefined };
export function receiveWholeLogOnOpenSocket(conversationId: string): Promise<number>;
export function inDomYet(): boolean;
export function shownYet(): boolean;
export function timelineScroll(): string;
