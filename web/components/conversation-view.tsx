import { useSelector } from '@xstate/react';
import { useCallback, useMemo, useState } from 'react';
import { useScrollToAnchor } from '../hooks/use-scroll-to-anchor.ts';
import { approvalRequests, decidedByRule, decidedWithoutAsking } from '../lib/approval-requests.ts';
import { browserFrames, frameBatched } from '../lib/frame-batched.ts';
import { LiveContext, lastChangeWait } from '../lib/live-text.ts';
import type { CommandRequest, TollgateClient } from '../lib/tollgate-client.ts';
import type { TransportState } from '../lib/transport-state.ts';
import { ApprovalDialog } from './approval-dialog.tsx';
import { Composer } from './composer.tsx';
import { ConversationSettingsBar } from './conversation-settings-bar.tsx';
import { InspectLink } from './inspector/inspect-link.tsx';
import { LiveStatus } from './live-status.tsx';
import { MARKDOWN_EVERY_MS } from './markdown-text.tsx';
import { Timeline } from './timeline.tsx';
import type { Ui } from './ui.ts';

/**
 * One conversation, rendered from its mirror's snapshot and nothing else. The page sends commands
 * and waits for the server's log to say what happened.
 */
export function ConversationView({
  ui,
  client,
  transport,
  conversationId,
  focusAnchor = null,
}: {
  ui: Ui;
  client: TollgateClient;
  transport: TransportState;
  conversationId: string;
  /** A timeline item to open the conversation at (a search result's), once it has caught up. */
  focusAnchor?: string | null;
}) {
  const mirror = client.mirror(conversationId);
  // The mirror folds every entry as it arrives (a file's chunks, a run at each frame); the page
  // draws the latest state once per frame.
  // The streaming text's deltas, which its live tail shows at once, are drawn a few times a second
  // when they bring something to format, and plain words only with the next change that does.
  const view = useMemo(
    () =>
      frameBatched(mirror.actor, browserFrames, {
        wait: () => lastChangeWait(mirror),
        everyMs: MARKDOWN_EVERY_MS,
      }),
    [mirror],
  );
  const state = useSelector(view, (snapshot) => String(snapshot.value));
  // What the states mean comes from the machine's tags, not from a list of state names here.
  const working = useSelector(view, (snapshot) => snapshot.hasTag('working'));
  const acceptsMessages = useSelector(view, (snapshot) => snapshot.hasTag('acceptsMessages'));
  const context = useSelector(view, (snapshot) => snapshot.context);
  const synced = transport.synced.includes(conversationId);
  // Where the timeline's end is known: the catch-up is in and the view shows all of it (the
  // server's `subscribed` can reach React before the frame that shows the last entries), or the
  // mirror already held the conversation when it was opened (from earlier in this tab: it shows
  // at once, even offline).
  const [heldAtOpen] = useState(() => mirror.lastSeq() > 0);
  const endKnown = heldAtOpen || (synced && view.getSnapshot() === mirror.actor.getSnapshot());
  const missing = transport.missing.includes(conversationId);
  useScrollToAnchor(focusAnchor, synced);
  const tools = useMemo(
    () => new Map(transport.tools.map((tool) => [tool.name, tool])),
    [transport.tools],
  );
  const requests = useMemo(
    () =>
      approvalRequests(
        state,
        context,
        (name) => decidedWithoutAsking(tools.get(name), transport.grants),
        (name) => decidedByRule(tools.get(name)),
      ),
    [state, context, tools, transport.grants],
  );
  // A page stopped over a version mismatch sends nothing: its controls would do nothing, and the
  // modal dialog would hide the banner's Reload.
  const halted = transport.versionMismatch?.pageWorks === false;

  const send = useCallback(
    (command: CommandRequest) => client.send(conversationId, command),
    [client, conversationId],
  );
  const stop = useCallback(() => send({ type: 'turn.stop' }), [send]);
  const retry = useCallback(() => send({ type: 'turn.retry' }), [send]);
  const revoke = useCallback(
    (toolName: string) => send({ type: 'policy.revoke', toolName }),
    [send],
  );

  return (
    <LiveContext.Provider value={mirror}>
      <ConversationSettingsBar
        ui={ui}
        options={transport.claudeOptions}
        chosen={context.settings}
        canSave={acceptsMessages && !missing && !halted && transport.connection === 'connected'}
        onSave={(settings) => send({ type: 'conversation.settings_changed', ...settings })}
      />
      <Timeline
        ui={ui}
        context={context}
        state={state}
        tools={tools}
        loading={!synced && context.items.length === 0 && !missing}
        ready={endKnown}
        whole={focusAnchor !== null}
        missing={missing}
        onRetry={retry}
        onRevoke={revoke}
      />
      <LiveStatus ui={ui} state={state} active={!acceptsMessages} context={context} tools={tools} />
      <Composer
        ui={ui}
        busy={working}
        canSend={acceptsMessages && !missing && !halted}
        onSend={(text, images) => {
          send({ type: 'user.message', text, ...(images.length > 0 ? { images } : {}) });
        }}
        onStop={stop}
      />
      {requests.length > 0 && !halted ? (
        <ApprovalDialog
          ui={ui}
          requests={requests}
          tools={tools}
          pendingCommandIds={transport.pendingCommandIds}
          onSend={send}
          onStop={stop}
          inspect={<InspectLink ui={ui} conversationId={conversationId} newTab />}
          expiresAt={state === 'awaitingApproval' ? (context.approvalExpiresAt ?? null) : null}
        />
      ) : null}
    </LiveContext.Provider>
  );
}
