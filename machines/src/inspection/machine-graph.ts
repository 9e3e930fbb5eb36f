import type { AnyStateMachine } from 'xstate';
import type { ConversationTag } from '../conversation-machine.ts';
import type { MachineGraph } from './inspection-types.ts';

/** A guard as the definition holds it: a name, `and([...])` (a function with `guards`), or an object. */
function guardName(guard: unknown): string {
  if (guard === undefined || guard === null) return '';
  if (typeof guard === 'string') return guard;
  const parts = (guard as { guards?: unknown }).guards;
  if (Array.isArray(parts)) return parts.map(guardName).join(' and ');
  const type = (guard as { type?: unknown }).type;
  return typeof type === 'string' ? type : 'guard';
}

/**
 * The machine's top-level states and the transitions that change the state, read from the
 * definition itself, so a drawing of it cannot drift from the code. Transitions without a target
 * (a delta, a chunk: they change the context, not the state) are not edges. `always` marks a
 * transition taken as soon as its guard holds.
 */
export function machineGraph(machine: AnyStateMachine): MachineGraph {
  const states = Object.values(machine.root.states);
  const edges: MachineGraph['edges'] = [];
  for (const node of states) {
    const transitions = [
      ...[...node.transitions].flatMap(([event, list]) => list.map((t) => ({ event, t }))),
      ...(node.always ?? []).map((t) => ({ event: 'always', t })),
    ];
    for (const { event, t } of transitions) {
      for (const target of t.target ?? []) {
        edges.push({ from: node.key, to: target.key, event, guard: guardName(t.guard) });
      }
    }
  }
  return {
    initial: machine.root.initial.target[0]?.key ?? states[0]?.key ?? '',
    states: states.map((node) => ({
      name: node.key,
      description: node.description ?? '',
      tags: [...node.tags] as ConversationTag[],
    })),
    edges,
  };
}
