import dagre from '@dagrejs/dagre';
import type { MachineGraph } from '@tollgate/machines';

// Where the state diagram's nodes, edges and edge labels go, computed by dagre from the machine's
// graph. The labels are drawn in a monospace font, so their size is known from their length
// without measuring text in the page.

export interface Point {
  x: number;
  y: number;
}

export interface DiagramLayout {
  width: number;
  height: number;
  /** Centres and sizes, in the graph's order. */
  nodes: { name: string; x: number; y: number; width: number; height: number }[];
  /** One per edge of the graph, same order: the line's points and its label's centre. */
  edges: { points: Point[]; label: Point & { width: number } }[];
}

/** Character widths of the diagram's monospace text, in px: state names, then edge labels. */
export const NODE_FONT = { size: 13, advance: 7.9 };
export const LABEL_FONT = { size: 11, advance: 6.7 };
const NODE_HEIGHT = 36;
const NODE_PADDING = 28;
const LABEL_HEIGHT = 16;

/** What an edge says: its event, `always` for a transition taken as soon as its guard holds. */
export const edgeLabel = (edge: MachineGraph['edges'][number]) => edge.event;

export function layoutDiagram(graph: MachineGraph): DiagramLayout {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  // tight-tree ranks this graph as network-simplex does, in half the time.
  g.setGraph({
    rankdir: 'TB',
    ranker: 'tight-tree',
    nodesep: 24,
    edgesep: 10,
    ranksep: 36,
    marginx: 12,
    marginy: 24,
  });
  g.setDefaultEdgeLabel(() => ({}));
  for (const state of graph.states) {
    g.setNode(state.name, {
      width: state.name.length * NODE_FONT.advance + NODE_PADDING,
      height: NODE_HEIGHT,
    });
  }
  graph.edges.forEach((edge, index) => {
    g.setEdge(
      edge.from,
      edge.to,
      {
        width: edgeLabel(edge).length * LABEL_FONT.advance + 8,
        height: LABEL_HEIGHT,
        labelpos: 'c',
      },
      String(index),
    );
  });
  dagre.layout(g);
  const size = g.graph();
  return {
    width: Math.ceil(size.width ?? 0),
    height: Math.ceil(size.height ?? 0),
    nodes: graph.states.map((state) => {
      const node = g.node(state.name);
      return {
        name: state.name,
        x: node.x ?? 0,
        y: node.y ?? 0,
        width: node.width,
        height: node.height,
      };
    }),
    edges: graph.edges.map((edge, index) => {
      const laid = g.edge({ v: edge.from, w: edge.to, name: String(index) });
      const label = { x: laid.x ?? 0, y: laid.y ?? 0, width: laid.width ?? 0 };
      if (edge.from !== edge.to) return { points: laid.points ?? [], label };
      const loops = graph.edges.slice(0, index).filter((other) => other.from === edge.from);
      return { points: selfLoop(g.node(edge.from), label, loops.length), label };
    }),
  };
}

/**
 * A transition back into its own state, drawn ourselves: dagre leaves room for its label beside
 * the node, but its points for a node with two such loops are not around the node. The loop
 * leaves the node's top, passes through its label and comes back into the node's bottom; the
 * n-th loop of a node is drawn a little wider than the one before.
 */
function selfLoop(
  node: { x?: number; y?: number; width: number; height: number },
  label: Point,
  nth: number,
): Point[] {
  const x = (node.x ?? 0) + node.width / 2 - 12 - 10 * nth;
  const top = (node.y ?? 0) - node.height / 2;
  const bottom = (node.y ?? 0) + node.height / 2;
  const reach = 14 + 6 * nth;
  return [
    { x, y: top },
    { x, y: top - reach },
    { x: label.x, y: top - reach },
    { x: label.x, y: label.y },
    { x: label.x, y: bottom + reach },
    { x, y: bottom + reach },
    { x, y: bottom },
  ];
}
