export function watchLiveEnd(shownText: string): void;
export function liveEndShownAt(): number | undefined;
export function stepBack(): Promise<number>;
export function receiveWholeLog(args: {
  conversationId: string;
  from: 'connect' | 'subscribe';
  checkpoint?: number;
}): Promise<number>;
