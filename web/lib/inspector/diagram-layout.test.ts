import { conversationMachine, machineGraph } from '@tollgate/machines';
import { describe, expect, it } from 'vitest';
import { layoutDiagram } from './diagram-layout.ts';

const graph = machineGraph(conversationMachine);
const layout = layoutDiagram(graph);

const overlap = (
  a: { x: number; y: number; width: number; height: number },
  b: { x: number; y: number; width: number; height: number },
) => Math.abs(a.x - b.x) * 2 < a.width + b.width && Math.abs(a.y - b.y) * 2 < a.height + b.height;

describe('the state diagram’s layout', () => {
  it('places every state inside the drawing, none on another', () => {
    expect(layout.nodes.map((node) => node.name)).toEqual(graph.states.map((state) => state.name));
    for (const node of layout.nodes) {
      expect(node.x - node.width / 2).toBeGreaterThanOrEqual(0);
      expect(node.y + node.height / 2).toBeLessThanOrEqual(layout.height);
      for (const other of layout.nodes) {
        if (other !== node) expect(overlap(node, other), `${node.name}, ${other.name}`).toBe(false);
      }
    }
  });

  it('draws every transition, self-transitions included, with its label placed', () => {
    expect(layout.edges).toHaveLength(graph.edges.length);
    graph.edges.forEach((edge, index) => {
      const laid = layout.edges[index]!;
      expect(laid.points.length, `${edge.from} -${edge.event}-> ${edge.to}`).toBeGreaterThan(1);
      expect(laid.label.width).toBeGreaterThan(0);
      expect(laid.label.x).toBeLessThanOrEqual(layout.width);
      expect(laid.label.y).toBeLessThanOrEqual(layout.height);
    });
  });

  it('puts the initial state at the top', () => {
    const top = Math.min(...layout.nodes.map((node) => node.y));
    expect(layout.nodes.find((node) => node.name === graph.initial)?.y).toBe(top);
  });
});
