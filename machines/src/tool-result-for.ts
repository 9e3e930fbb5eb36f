import type { ClaudeToolResultBlock } from './claude-message.ts';
import type { ToolCallItem } from './conversation-context.ts';

// What Claude reads back for each tool call. Refusals are worded neutrally and scoped to the one
// call, so that Claude explains and offers another way instead of refusing everything afterwards.

function errorResult(call: ToolCallItem, content: string): ClaudeToolResultBlock {
  return { type: 'tool_result', tool_use_id: call.toolUseId, content, is_error: true };
}

export function toolResultFor(call: ToolCallItem): ClaudeToolResultBlock {
  const { decision, run } = call;
  switch (decision.status) {
    case 'pending':
      // Never sent in practice: the machine only calls Claude once every call is decided.
      return errorResult(call, `No decision was made on ${call.name}; it did not run.`);
    case 'cancelled':
      return errorResult(
        call,
        `The person stopped the conversation before deciding on ${call.name}; it did not run.`,
      );
    case 'expired':
      return errorResult(
        call,
        `The approval of this call to ${call.name} expired: nobody decided in time, so it did not` +
          ' run. This is not a refusal: say what you were trying to do, and ask again if it is' +
          ' still needed.',
      );
    case 'denied':
      if (decision.rule) {
        return errorResult(
          call,
          `A rule of this server's tool policy denied this call to ${call.name}, so it did not run` +
            ` and nobody was asked (rule ${decision.rule.index}: deny ${decision.rule.tool} on ${decision.rule.server}).` +
            (decision.rule.reason ? ` The rule says: "${decision.rule.reason}".` : '') +
            ' Do not retry it: explain what you were trying to do and suggest another way.',
        );
      }
      return errorResult(
        call,
        `The person denied this call to ${call.name}, so it did not run.` +
          (decision.reason ? ` Their reason: "${decision.reason}".` : ' They gave no reason.') +
          ' This decision covers this one call only: explain what you were trying to do and' +
          ' suggest another way; they will approve or deny any further tool call.',
      );
    case 'approved':
      break;
  }
  const edited =
    decision.editedInput === null
      ? ''
      : `The person edited the arguments before approving; the tool ran with ${JSON.stringify(decision.editedInput)}.\n\n`;
  switch (run?.status) {
    case 'completed':
      if (run.result === null) break;
      return {
        type: 'tool_result',
        tool_use_id: call.toolUseId,
        // The API refuses an empty result; say so rather than send nothing.
        content:
          edited +
          (run.result.content === '' ? '(the tool returned no output)' : run.result.content),
        ...(run.result.isError ? { is_error: true } : {}),
      };
    case 'failed':
      return errorResult(call, `${edited}${call.name} failed: ${run.error ?? 'unknown error'}`);
    case 'cancelled':
      return errorResult(
        call,
        `${edited}The person stopped ${call.name} before it finished; its changes were discarded.`,
      );
  }
  return errorResult(call, `${call.name} was approved but did not run.`);
}
