import { type ConversationEvent, createConversationMirror } from '@tollgate/machines';
import { describe, expect, it } from 'vitest';
import { approvalRequests, decidedWithoutAsking } from './approval-requests.ts';

function fold(events: ConversationEvent[]) {
  const mirror = createConversationMirror();
  events.forEach((event, i) => {
    mirror.receive({ conversationId: 'c', seq: i + 1, event, at: 0, machineVersion: 1 });
  });
  const snapshot = mirror.actor.getSnapshot();
  return approvalRequests(String(snapshot.value), snapshot.context);
}

const ask: ConversationEvent = { type: 'user.message', commandId: 'k1', text: 'Write', at: 1 };
const started: ConversationEvent = {
  type: 'assistant.started',
  turn: 1,
  messageId: 'm',
  model: 'x',
};
const inputDelta = (id: string, partialJson: string, index = 1): ConversationEvent => ({
  type: 'assistant.tool_input_delta',
  turn: 1,
  index,
  toolUseId: id,
  name: 'write_file',
  partialJson,
});
const toolUse = (id: string, index: number): ConversationEvent => ({
  type: 'assistant.tool_use',
  turn: 1,
  index,
  toolUseId: id,
  name: 'write_file',
  input: { path: `${id}.md`, content: 'x' },
});
const completed: ConversationEvent = {
  type: 'assistant.completed',
  turn: 1,
  stopReason: 'tool_use',
  usage: { inputTokens: 1, outputTokens: 1, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 },
};

describe('approvalRequests', () => {
  it('is empty while Claude only writes text', () => {
    expect(
      fold([ask, started, { type: 'assistant.text_delta', turn: 1, index: 0, text: 'Hi' }]),
    ).toEqual([]);
  });

  it('shows a call while Claude is still composing it, from the partial JSON', () => {
    const requests = fold([
      ask,
      started,
      inputDelta('t1', '{"path": "notes/a.md", "content": "# Ti'),
    ]);
    expect(requests).toEqual([
      {
        kind: 'composing',
        toolUseId: 't1',
        name: 'write_file',
        input: { path: 'notes/a.md', content: '# Ti' },
      },
    ]);
  });

  it('lists every call of the turn with its decision until all are decided', () => {
    const events = [ask, started, toolUse('t1', 0), toolUse('t2', 1), completed];
    expect(
      fold(events).map((r) => r.kind === 'call' && [r.call.toolUseId, r.call.decision.status]),
    ).toEqual([
      ['t1', 'pending'],
      ['t2', 'pending'],
    ]);
    const oneDecided = fold([...events, { type: 'tool.deny', commandId: 'k2', toolUseId: 't1' }]);
    expect(oneDecided.map((r) => r.kind === 'call' && r.call.decision.status)).toEqual([
      'denied',
      'pending',
    ]);
    expect(
      fold([
        ...events,
        { type: 'tool.deny', commandId: 'k2', toolUseId: 't1' },
        { type: 'tool.deny', commandId: 'k3', toolUseId: 't2' },
      ]),
    ).toEqual([]);
  });

  it('does not open for a tool the person always allows', () => {
    const always = [
      ask,
      started,
      toolUse('t1', 0),
      completed,
      { type: 'tool.approve', commandId: 'k2', toolUseId: 't1', scope: 'always' } as const,
      { type: 'tool.started', toolUseId: 't1', server: 's' } as const,
      { type: 'tool.completed', toolUseId: 't1', content: 'ok', isError: false } as const,
      { type: 'assistant.started', turn: 2, messageId: 'm2', model: 'x' } as const,
      { ...inputDelta('t2', '{"path": "b'), turn: 2, index: 0 } as const,
    ];
    expect(fold(always)).toEqual([]);
  });
});

describe('calls a rule of POLICY_FILE decides', () => {
  function foldWithRules(events: ConversationEvent[], decided: string[]) {
    const mirror = createConversationMirror();
    events.forEach((event, i) => {
      mirror.receive({ conversationId: 'c', seq: i + 1, event, at: 0, machineVersion: 1 });
    });
    const snapshot = mirror.actor.getSnapshot();
    const byServer = (name: string) => decided.includes(name);
    return approvalRequests(String(snapshot.value), snapshot.context, byServer, byServer);
  }

  it('never open the dialog: not while Claude writes them, nor before the decision arrives', () => {
    expect(foldWithRules([ask, started, inputDelta('toolu_a', '{"pa')], ['write_file'])).toEqual(
      [],
    );
    expect(foldWithRules([ask, started, toolUse('toolu_a', 1), completed], ['write_file'])).toEqual(
      [],
    );
    expect(
      foldWithRules([ask, started, toolUse('toolu_a', 1), completed], ['read_file']),
    ).toHaveLength(1);
  });
});

describe('calls a grant decides', () => {
  it('open no dialog while Claude writes them; a call still waiting after the turn is shown', () => {
    const writing = createConversationMirror();
    const completedToo = createConversationMirror();
    [ask, started, inputDelta('toolu_a', '{"pa')].forEach((event, i) => {
      writing.receive({ conversationId: 'c', seq: i + 1, event, at: 0, machineVersion: 1 });
    });
    [ask, started, toolUse('toolu_a', 1), completed].forEach((event, i) => {
      completedToo.receive({ conversationId: 'c', seq: i + 1, event, at: 0, machineVersion: 1 });
    });
    const granted = (name: string) => name === 'write_file';
    const of = (mirror: ReturnType<typeof createConversationMirror>) => {
      const snapshot = mirror.actor.getSnapshot();
      return approvalRequests(String(snapshot.value), snapshot.context, granted);
    };
    expect(of(writing)).toEqual([]);
    expect(of(completedToo)).toHaveLength(1);
  });
});

describe('a grant the page knows', () => {
  const tool = {
    name: 'write_file',
    server: 'tollgate-files',
    title: null,
    description: '',
    readOnly: false,
    destructive: true,
    policy: null,
  };
  const grant = {
    id: 'c1:4',
    toolName: 'write_file',
    server: 'tollgate-files',
    conversationId: 'c1',
    seq: 4,
    grantedAt: 1,
  };

  it('decides without a dialog only when it holds everywhere', () => {
    expect(decidedWithoutAsking(tool, [{ ...grant, scope: 'everywhere' }])).toBe(true);
    // A conversation's "Always allow" is that conversation's context's, not every conversation's.
    expect(decidedWithoutAsking(tool, [{ ...grant, scope: 'conversation' }])).toBe(false);
  });
});
