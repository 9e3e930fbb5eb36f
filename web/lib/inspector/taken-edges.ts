import type { MachineGraph } from '@tollgate/machines';

/**
 * The edges of the diagram an entry took from `from` to `to`: the transition on its event, and
 * the `always` transitions that followed at once (the last decision in awaitingApproval goes on
 * to executingTool or resuming, without an event of its own). None when the entry changed only
 * the context (a delta, a chunk).
 */
export function takenEdges(
  graph: MachineGraph,
  from: string,
  to: string,
  event: string | null,
): number[] {
  if (event === null) return [];
  const edges = graph.edges.map((edge, index) => ({ ...edge, index }));
  for (const first of edges) {
    if (first.from !== from || first.event !== event) continue;
    const rest = alwaysPath(edges, first.to, to);
    if (rest !== null) return [first.index, ...rest];
  }
  // An event handled in place (a decision) whose guard then let an `always` transition through.
  return from === to ? [] : (alwaysPath(edges, from, to) ?? []);
}

type IndexedEdge = MachineGraph['edges'][number] & { index: number };

/** The shortest chain of `always` edges from `from` to `to` ([] if they are the same state). */
function alwaysPath(edges: IndexedEdge[], from: string, to: string): number[] | null {
  const paths = new Map<string, number[]>([[from, []]]);
  const queue = [from];
  for (const state of queue) {
    const path = paths.get(state)!;
    if (state === to) return path;
    for (const edge of edges) {
      if (edge.from !== state || edge.event !== 'always' || paths.has(edge.to)) continue;
      paths.set(edge.to, [...path, edge.index]);
      queue.push(edge.to);
    }
  }
  return null;
}
