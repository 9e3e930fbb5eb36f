import { conversationMachine } from '../conversation-machine.ts';

/** Every `from -> to` pair the machine definition can take, `always` transitions included. */
export function approvalFlowEdges(): string[] {
  const edges = new Set<string>();
  for (const node of Object.values(conversationMachine.root.states)) {
    const transitions = [...[...node.transitions.values()].flat(), ...(node.always ?? [])];
    for (const transition of transitions) {
      for (const target of transition.target ?? []) edges.add(`${node.key} -> ${target.key}`);
    }
  }
  return [...edges];
}
