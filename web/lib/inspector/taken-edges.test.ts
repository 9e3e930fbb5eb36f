import { conversationMachine, machineGraph } from '@tollgate/machines';
import { describe, expect, it } from 'vitest';
import { takenEdges } from './taken-edges.ts';

const graph = machineGraph(conversationMachine);
const taken = (from: string, to: string, event: string | null) =>
  takenEdges(graph, from, to, event).map((index) => {
    const edge = graph.edges[index]!;
    return `${edge.from} -${edge.event}-> ${edge.to}`;
  });

describe('the transition an entry took', () => {
  it('is the edge of its event', () => {
    expect(taken('idle', 'streaming', 'user.message')).toEqual(['idle -user.message-> streaming']);
    expect(taken('streaming', 'awaitingApproval', 'assistant.completed')).toEqual([
      'streaming -assistant.completed-> awaitingApproval',
    ]);
    expect(taken('executingTool', 'executingTool', 'tool.completed')).toEqual([
      'executingTool -tool.completed-> executingTool',
    ]);
  });

  it('goes on through the always transitions it set off', () => {
    expect(taken('awaitingApproval', 'executingTool', 'tool.approve')).toEqual([
      'awaitingApproval -always-> executingTool',
    ]);
    expect(taken('awaitingApproval', 'resuming', 'tool.deny')).toEqual([
      'awaitingApproval -always-> resuming',
    ]);
    expect(taken('executingTool', 'resuming', 'tool.completed')).toEqual([
      'executingTool -tool.completed-> awaitingApproval',
      'awaitingApproval -always-> resuming',
    ]);
  });

  it('is nothing for an entry that changed only the context, or before the first entry', () => {
    expect(taken('streaming', 'streaming', 'assistant.text_delta')).toEqual([]);
    expect(taken('awaitingApproval', 'awaitingApproval', 'tool.approve')).toEqual([]);
    expect(taken('idle', 'idle', null)).toEqual([]);
  });
});
