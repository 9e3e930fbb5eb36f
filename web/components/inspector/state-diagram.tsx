import type { InspectedPoint, MachineGraph } from '@tollgate/machines';
import { memo, useId, useMemo } from 'react';
import {
  type DiagramLayout,
  edgeLabel,
  LABEL_FONT,
  layoutDiagram,
  NODE_FONT,
  type Point,
} from '../../lib/inspector/diagram-layout.ts';
import { takenEdges } from '../../lib/inspector/taken-edges.ts';
import type { Ui } from '../ui.ts';

/** A line through dagre's points, rounded at the bends. */
function edgePath(points: Point[]): string {
  const [start, ...rest] = points;
  if (start === undefined) return '';
  let path = `M ${start.x} ${start.y}`;
  for (let i = 0; i < rest.length - 1; i += 1) {
    const bend = rest[i]!;
    const after = rest[i + 1]!;
    path += ` Q ${bend.x} ${bend.y} ${(bend.x + after.x) / 2} ${(bend.y + after.y) / 2}`;
  }
  const end = rest.at(-1);
  return end ? `${path} L ${end.x} ${end.y}` : path;
}

/**
 * The conversation machine drawn from its own definition: its states, and its transitions with
 * their events, laid out by dagre. The state at the point shown is filled and carries
 * `aria-current="step"`; the transitions the point's entry took are drawn bold. Below, what the
 * current state means, in the machine's own words.
 */
export const StateDiagram = memo(function StateDiagram({
  ui,
  graph,
  point,
}: {
  ui: Ui;
  graph: MachineGraph;
  point: InspectedPoint;
}) {
  const { t } = ui;
  const id = useId();
  const layout: DiagramLayout = useMemo(() => layoutDiagram(graph), [graph]);
  const event = point.entry?.event.type ?? null;
  const taken = useMemo(
    () => new Set(takenEdges(graph, point.previousState, point.state, event)),
    [graph, point.previousState, point.state, event],
  );
  const description = graph.states.find((state) => state.name === point.state)?.description;
  // Taken edges last, so they are drawn over the others.
  const order = graph.edges
    .map((_, index) => index)
    .sort((a, b) => Number(taken.has(a)) - Number(taken.has(b)));

  return (
    <figure
      aria-labelledby={`${id}-caption`}
      className="flex flex-col gap-2 rounded-xl border border-slate-200 p-3 dark:border-slate-800"
      data-state={point.state}
    >
      <figcaption id={`${id}-caption`} className="text-sm">
        <span className="font-semibold">{t('stateDiagram')}</span>
        <span className="text-slate-600 dark:text-slate-400">
          {': '}
          {event === null
            ? t('diagramNow', { state: point.state })
            : t('diagramAfter', { state: point.state, event })}
        </span>
      </figcaption>
      {/* biome-ignore lint/a11y/useSemanticElements: a group of SVG shapes; a fieldset cannot be one. */}
      <svg
        role="group"
        aria-label={t('statesAndTransitions')}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        className="mx-auto h-auto max-h-[40vh] w-full font-mono"
        style={{ maxWidth: layout.width * 1.25 }}
      >
        <defs>
          <ArrowHead id={`${id}-arrow`} size={7} className="fill-slate-400 dark:fill-slate-500" />
          <ArrowHead id={`${id}-taken`} size={6} className="fill-blue-600 dark:fill-blue-400" />
        </defs>
        {order.map((index) => {
          const edge = graph.edges[index]!;
          const laid = layout.edges[index]!;
          const bold = taken.has(index);
          return (
            <g key={index} data-taken={bold || undefined}>
              <title>
                {`${edge.from} → ${edge.to}: ${edge.event}${edge.guard ? ` [${edge.guard}]` : ''}`}
              </title>
              <path
                d={edgePath(laid.points)}
                fill="none"
                markerEnd={`url(#${id}-${bold ? 'taken' : 'arrow'})`}
                className={
                  bold
                    ? 'stroke-blue-600 dark:stroke-blue-400'
                    : 'stroke-slate-400 dark:stroke-slate-500'
                }
                strokeWidth={bold ? 2.5 : 1.25}
              />
              <rect
                x={laid.label.x - laid.label.width / 2}
                y={laid.label.y - 8}
                width={laid.label.width}
                height={16}
                rx={3}
                className={
                  bold ? 'fill-blue-50 dark:fill-blue-950' : 'fill-white/85 dark:fill-slate-950/85'
                }
              />
              <text
                x={laid.label.x}
                y={laid.label.y}
                textAnchor="middle"
                dominantBaseline="central"
                fontSize={LABEL_FONT.size}
                className={
                  bold
                    ? 'fill-blue-800 font-bold dark:fill-blue-200'
                    : 'fill-slate-600 dark:fill-slate-400'
                }
              >
                {edgeLabel(edge)}
              </text>
            </g>
          );
        })}
        {layout.nodes.map((node) => {
          const current = node.name === point.state;
          const state = graph.states.find((item) => item.name === node.name);
          return (
            // biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole: a state is a picture named by its state; nothing in the diagram is interactive.
            <g
              key={node.name}
              role="img"
              aria-label={node.name}
              aria-current={current ? 'step' : undefined}
            >
              <title>{state?.description ?? node.name}</title>
              <rect
                x={node.x - node.width / 2}
                y={node.y - node.height / 2}
                width={node.width}
                height={node.height}
                rx={10}
                strokeWidth={current ? 3 : 1.5}
                className={
                  current
                    ? 'fill-blue-600 stroke-blue-800 dark:fill-blue-500 dark:stroke-blue-200'
                    : 'fill-white stroke-slate-400 dark:fill-slate-900 dark:stroke-slate-500'
                }
              />
              <text
                x={node.x}
                y={node.y}
                textAnchor="middle"
                dominantBaseline="central"
                fontSize={NODE_FONT.size}
                className={
                  current
                    ? 'fill-white font-semibold'
                    : 'fill-slate-800 font-medium dark:fill-slate-100'
                }
              >
                {node.name}
              </text>
            </g>
          );
        })}
      </svg>
      {description ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">
          <code className="font-semibold">{point.state}</code>: {description}
        </p>
      ) : null}
    </figure>
  );
});

/** An edge's arrowhead, drawn at its end whichever way the edge runs. */
function ArrowHead({ id, size, className }: { id: string; size: number; className: string }) {
  return (
    <marker
      id={id}
      viewBox="0 0 10 10"
      refX="9"
      refY="5"
      markerWidth={size}
      markerHeight={size}
      orient="auto-start-reverse"
    >
      <path d="M 0 0 L 10 5 L 0 10 z" className={className} />
    </marker>
  );
}
