import {
  type ConversationEvent,
  type FactEvent,
  factEventSchema,
  type ToolRequest,
} from '@tollgate/machines';
import { fromCallback } from 'xstate';
import type { Dispatch, DispatchFor } from '../conversations/fact-routes.ts';
import type { Logger } from '../logger.ts';
import type { McpHub } from './mcp-hub.ts';
import { ToolCallError } from './tool-call-error.ts';
import type { ToolCatalogEntry } from './tool-catalog.ts';

export interface ToolActorDeps {
  hub: Pick<McpHub, 'tool' | 'callTool'>;
  /** The way in of the conversation the actor runs for: logs each fact, then hands it over. */
  dispatchFor: DispatchFor;
  logger?: Logger;
  /**
   * Why a rule of POLICY_FILE forbids running this tool at all, or null: a deny rule holds even
   * for a call approved another way (a conversation's "Always allow" given before the rule).
   */
  refuse?: (tool: ToolCatalogEntry) => string | null;
}

/** The schema's limit on a progress message; longer ones are cut rather than lose the chunk. */
const MAX_MESSAGE = 500;

/**
 * The machine's `tool` actor: runs one approved call through the hub and reports it through its
 * conversation's dispatch (started, every chunk the moment it is read, progress, then completed
 * or failed), each fact checked against its schema first. Stopping the actor cancels the call
 * through MCP if it is still running; after a stop nothing more is reported, since the machine has
 * moved on.
 */
export function createToolActor(deps: ToolActorDeps) {
  return fromCallback<ConversationEvent, ToolRequest>(({ input, system }) => {
    const dispatch = deps.dispatchFor(system);
    const controller = new AbortController();
    const run = { stopped: false, finished: false };
    runTool(deps, dispatch, input, controller, run)
      .catch((error: unknown) => deps.logger?.error({ err: error }, 'tool run failed to report'))
      .finally(() => {
        run.finished = true;
      });
    return () => {
      if (run.finished) return;
      run.stopped = true;
      controller.abort('The person stopped the tool.');
    };
  });
}

async function runTool(
  deps: ToolActorDeps,
  dispatch: Dispatch,
  request: ToolRequest,
  controller: AbortController,
  run: { stopped: boolean },
): Promise<void> {
  const { toolUseId, name } = request;
  let invalid: string | null = null;
  const dispatchChecked = (fact: FactEvent): boolean => {
    const parsed = factEventSchema.safeParse(fact);
    if (parsed.success) {
      dispatch(parsed.data);
      return true;
    }
    deps.logger?.error({ toolUseId, fact, err: parsed.error }, 'invalid tool fact');
    invalid ??= `${name} reported something Tollgate cannot record (${fact.type}: ${parsed.error.issues[0]?.message}).`;
    return false;
  };
  // A fact that cannot be recorded abandons the call: a refused chunk leaves a gap that no later
  // fact can fill, so the run fails with the reason instead.
  const report = (fact: FactEvent): boolean => {
    if (run.stopped || invalid !== null) return false;
    if (dispatchChecked(fact)) return true;
    controller.abort(invalid);
    return false;
  };

  const entry = deps.hub.tool(name);
  if (entry === undefined) {
    report({
      type: 'tool.failed',
      toolUseId,
      message: `No MCP server offers a tool named ${name}.`,
    });
    return;
  }
  const refusal = deps.refuse?.(entry) ?? null;
  if (refusal !== null) {
    report({ type: 'tool.failed', toolUseId, message: refusal });
    return;
  }
  if (!report({ type: 'tool.started', toolUseId, server: entry.server })) return;
  try {
    const result = await deps.hub.callTool(name, request.input, {
      signal: controller.signal,
      onChunk: (chunk) =>
        report({
          type: 'tool.chunk',
          toolUseId,
          index: chunk.index,
          text: chunk.text,
          bytes: chunk.bytes,
          total: chunk.total,
          ...(chunk.message !== undefined ? { message: cut(chunk.message) } : {}),
        }),
      onProgress: (progress) =>
        report({
          type: 'tool.progress',
          toolUseId,
          progress: progress.progress,
          ...(progress.total !== undefined ? { total: progress.total } : {}),
          ...(progress.message !== undefined ? { message: cut(progress.message) } : {}),
        }),
    });
    report({
      type: 'tool.completed',
      toolUseId,
      content: result.content,
      isError: result.isError,
      ...(result.file ? { file: result.file } : {}),
    });
  } catch (error) {
    if (run.stopped) return;
    const message =
      invalid ??
      (error instanceof ToolCallError
        ? error.message
        : `${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    if (!(error instanceof ToolCallError)) {
      deps.logger?.error({ toolUseId, err: error }, 'tool run failed');
    }
    dispatchChecked({ type: 'tool.failed', toolUseId, message });
  }
}

function cut(message: string): string {
  return message.length <= MAX_MESSAGE ? message : `${message.slice(0, MAX_MESSAGE - 1)}…`;
}
