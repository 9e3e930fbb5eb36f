export function chunkAbove(floor: number): number | false;
export function recordChunks(): void;
export function seenChunks(): number[];
export function watchForDialog(): void;
export function dialogWasSeen(): boolean;
export function isFocused(element: unknown): boolean;
export function recordTexts(selector: string): void;
export function seenTexts(): string[];
