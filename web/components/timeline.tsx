import type { ConversationContext, TimelineItem, ToolInfo } from '@tollgate/machines';
import { useContext, useMemo, useRef } from 'react';
import { FIRST_ITEMS, useEndFirst } from '../hooks/use-end-first.ts';
import { useStickToBottom } from '../hooks/use-stick-to-bottom.ts';
import { itemsFillingScreen, screenOf } from '../lib/first-screen.ts';
import { LiveContext, tailChanges } from '../lib/live-text.ts';
import { AssistantTurn } from './assistant-turn.tsx';
import { NoticeLine } from './notice-line.tsx';
import { ToolCallCard } from './tool-call-card.tsx';
import type { Ui } from './ui.ts';
import { UserMessage } from './user-message.tsx';

function keyOf(item: TimelineItem, index: number): string {
  switch (item.kind) {
    case 'user':
      return `u-${item.id}`;
    case 'assistant':
      return `a-${item.turn}`;
    case 'tool':
      return `t-${item.toolUseId}`;
    case 'notice':
      return `n-${index}`;
  }
}

/**
 * The conversation as the machine's context has it, in order. Items are immutable and shared
 * between snapshots, so each memoised item re-renders only when it changed: a text delta touches
 * the last assistant turn, a chunk touches one tool call.
 */
export function Timeline({
  ui,
  context,
  state,
  tools,
  loading,
  ready,
  whole,
  missing,
  onRetry,
  onRevoke,
}: {
  ui: Ui;
  context: ConversationContext;
  state: string;
  tools: ReadonlyMap<string, ToolInfo>;
  loading: boolean;
  /** The conversation has caught up with the server's log (its end is known). */
  ready: boolean;
  /** Draw every item at once (to open it at one of them), not its end first. */
  whole: boolean;
  missing: boolean;
  onRetry: () => void;
  onRevoke: (toolName: string) => void;
}) {
  const { t } = ui;
  const box = useRef<HTMLElement>(null);
  // Read once, as the conversation is first drawn: the box's size (a layout of a nearly empty
  // page) and the items' text.
  const from = useEndFirst(context.items.length, ready, whole, () => {
    const element = box.current;
    if (element === null) return FIRST_ITEMS;
    const screen = screenOf(element.clientWidth, element.clientHeight);
    return itemsFillingScreen(context.items, screen, FIRST_ITEMS);
  });
  // Older items drawn above grow the box too: following the end, it stays there.
  const drawn = useMemo(() => ({ context, from }), [context, from]);
  const live = useContext(LiveContext);
  const grows = useMemo(() => (live ? tailChanges(live) : null), [live]);
  const { onScroll } = useStickToBottom(box, drawn, grows);
  const empty = context.items.length === 0;
  const catchingUp = !empty && from === context.items.length;

  return (
    <main
      ref={box}
      onScroll={onScroll}
      className="min-h-0 flex-1 overflow-y-auto px-3 py-4 sm:px-4"
      aria-busy={loading}
    >
      {empty || catchingUp ? (
        <p className="mx-auto mt-10 max-w-md text-center text-slate-600 dark:text-slate-300">
          {missing
            ? t('unknownConversation')
            : loading || catchingUp
              ? t('loadingConversation')
              : t('emptyConversation')}
        </p>
      ) : (
        // Each item is positioned, so that the browser keeps it as a layer of its own: a frame
        // of the streaming answer then updates and repaints the item that changed, not every
        // item of a long conversation (docs/performance.md).
        <ol className="mx-auto flex max-w-3xl flex-col gap-4">
          {context.items.slice(from).map((item, at) => {
            const index = from + at;
            return (
              <li key={keyOf(item, index)} data-anchor={keyOf(item, index)} className="relative">
                {item.kind === 'user' ? (
                  <UserMessage ui={ui} item={item} />
                ) : item.kind === 'assistant' ? (
                  <AssistantTurn
                    ui={ui}
                    item={item}
                    tools={tools}
                    canRetry={state === 'failed' && item.turn === context.turn}
                    onRetry={onRetry}
                  />
                ) : item.kind === 'tool' ? (
                  <ToolCallCard ui={ui} call={item} tool={tools.get(item.name)} />
                ) : (
                  <NoticeLine
                    ui={ui}
                    notice={item}
                    canRevoke={
                      item.code === 'always_allow_granted' &&
                      context.alwaysAllowed.includes(item.toolName) &&
                      context.items.findLast(
                        (other) => other.kind === 'notice' && other.toolName === item.toolName,
                      ) === item
                    }
                    onRevoke={onRevoke}
                  />
                )}
              </li>
            );
          })}
        </ol>
      )}
    </main>
  );
}
