import { describe, expect, it } from 'vitest';
import { conversationMachine } from '../conversation-machine.ts';
import { machineGraph } from './machine-graph.ts';

describe("the machine's graph", () => {
  it('has every state, with its tags, and the transitions that change the state', () => {
    const graph = machineGraph(conversationMachine);
    expect(graph.initial).toBe('idle');
    expect(graph.states.map((state) => state.name)).toEqual([
      'idle',
      'streaming',
      'awaitingApproval',
      'executingTool',
      'resuming',
      'failed',
    ]);
    expect(graph.states.find((state) => state.name === 'awaitingApproval')?.tags).toEqual([
      'atRest',
    ]);
    expect(graph.edges).toContainEqual({
      from: 'awaitingApproval',
      to: 'executingTool',
      event: 'always',
      guard: 'allDecided and someApproved',
    });
    expect(graph.edges).toContainEqual({
      from: 'idle',
      to: 'streaming',
      event: 'user.message',
      guard: '',
    });
    // A delta changes the context, not the state: no edge.
    expect(graph.edges.some((edge) => edge.event === 'assistant.text_delta')).toBe(false);
  });
});
