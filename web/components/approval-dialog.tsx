import type { ToolInfo } from '@tollgate/machines';
import { type ReactNode, useId, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { useFocusTrap } from '../hooks/use-focus-trap.ts';
import { useInertPage } from '../hooks/use-inert-page.ts';
import { useSecondsUntil } from '../hooks/use-seconds-until.ts';
import type { ApprovalRequest } from '../lib/approval-requests.ts';
import { formatTimeLeft } from '../lib/time-left.ts';
import type { CommandRequest } from '../lib/tollgate-client.ts';
import { ApprovalRequestView } from './approval-request-view.tsx';
import { StopButton } from './stop-button.tsx';
import { APP_ROOT_ID, type Ui } from './ui.ts';

/** Where focus goes after a decision when it came from nowhere: the message box. */
const focusMessageBox = () =>
  document.getElementById(APP_ROOT_ID)?.querySelector<HTMLElement>('form textarea') ?? null;

const requestId = (request: ApprovalRequest) =>
  request.kind === 'call' ? request.call.toolUseId : request.toolUseId;

/**
 * The modal that asks the person to decide. It opens while Claude is still writing the call (the
 * buttons wait until the call is complete) and closes when the mirrored machine stops waiting,
 * whichever tab decided. The page behind it is inert and hidden from assistive technology.
 */
export function ApprovalDialog({
  ui,
  requests,
  tools,
  pendingCommandIds,
  onSend,
  onStop,
  inspect,
  expiresAt = null,
}: {
  ui: Ui;
  requests: ApprovalRequest[];
  tools: ReadonlyMap<string, ToolInfo>;
  pendingCommandIds: readonly string[];
  onSend: (command: CommandRequest) => string;
  onStop: () => void;
  /** A way to the flow inspector: the page behind the dialog, and its own link, are inert. */
  inspect?: ReactNode;
  /** APPROVAL_TTL: when the waiting calls expire undecided (the server's clock, epoch ms). */
  expiresAt?: number | null;
}) {
  const { t } = ui;
  const dialog = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const introId = useId();
  /** The command sent for each call, to show it is on its way until the log confirms it. */
  const [sent, setSent] = useState<Record<string, string>>({});
  const composing = requests.every((request) => request.kind === 'composing');
  const secondsLeft = useSecondsUntil(expiresAt);

  useInertPage();
  useFocusTrap(dialog, true, focusMessageBox);

  const decide = (toolUseId: string, command: CommandRequest) => {
    const commandId = onSend(command);
    setSent((previous) => ({ ...previous, [toolUseId]: commandId }));
  };

  return createPortal(
    <div className="fixed inset-0 z-50 flex items-end justify-center bg-slate-950/60 sm:items-center sm:p-4">
      <div
        ref={dialog}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={introId}
        tabIndex={-1}
        className="flex max-h-[94dvh] w-full flex-col gap-4 overflow-y-auto rounded-t-2xl outline-none bg-white p-4 shadow-2xl sm:max-w-2xl sm:rounded-2xl sm:p-6 dark:bg-slate-900"
      >
        <header>
          <div className="flex items-start justify-between gap-2">
            <h2 id={titleId} className="text-lg font-semibold">
              {requests.length > 1
                ? t('approvalTitleMany', { count: requests.length })
                : t('approvalTitle')}
            </h2>
            {inspect}
          </div>
          <p id={introId} className="text-sm text-slate-600 dark:text-slate-300" aria-live="polite">
            {composing ? t('stillWriting') : t('approvalIntro')}
          </p>
          {/* A timer is not announced at every tick; the dialog closes by itself at zero. */}
          {secondsLeft !== null ? (
            <p
              role="timer"
              className="mt-1 text-sm font-medium tabular-nums text-amber-800 dark:text-amber-200"
            >
              {secondsLeft > 0
                ? t('approvalExpiresIn', { time: formatTimeLeft(secondsLeft) })
                : t('approvalExpiring')}
            </p>
          ) : null}
        </header>
        <ul className="flex flex-col gap-4">
          {requests.map((request) => {
            const id = requestId(request);
            const commandId = sent[id];
            return (
              <li key={id}>
                <ApprovalRequestView
                  ui={ui}
                  request={request}
                  tool={tools.get(request.kind === 'call' ? request.call.name : request.name)}
                  sending={commandId !== undefined && pendingCommandIds.includes(commandId)}
                  onDecide={(command) => decide(id, command)}
                />
              </li>
            );
          })}
        </ul>
        {/* Stop ends the turn whatever waits: calls not decided yet are cancelled, and Claude
            hears they did not run with the next message. */}
        <div className="flex justify-end">
          <StopButton ui={ui} onStop={onStop} />
        </div>
      </div>
    </div>,
    document.body,
  );
}
