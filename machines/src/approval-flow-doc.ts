import type { AnyStateMachine } from 'xstate';
import { machineGraph } from './inspection/machine-graph.ts';

// Generates docs/approval-flow.md from the machine definition, so the diagram cannot drift from
// the code: a test compares the file with this output.

/** The machine's state-changing transitions as a Mermaid state diagram. */
export function approvalFlowMermaid(machine: AnyStateMachine): string {
  const graph = machineGraph(machine);
  return [
    'stateDiagram-v2',
    `  [*] --> ${graph.initial}`,
    ...graph.edges.map(
      ({ from, to, event, guard }) =>
        `  ${from} --> ${to}: ${guard ? `${event} [${guard}]` : event}`,
    ),
  ].join('\n');
}

export function approvalFlowDoc(machine: AnyStateMachine): string {
  const states = Object.values(machine.root.states)
    .map((node) => `### \`${node.key}\`\n\n${node.description ?? '(no description)'}\n`)
    .join('\n');
  return `# The approval flow

<!-- Generated from machines/src/conversation-machine.ts by \`npm run docs:diagram\`. Do not edit:
     a test fails when this file and the machine disagree. -->

Each conversation is one actor of this machine, on the server and, fed by the same events, in every
open tab. Transitions are labelled with the event that takes them and, in brackets, their guards.
Facts that change the timeline without changing the state (a text delta, a tool chunk) and commands
that are rejected (a second decision on the same call, a message while Claude works) are handled in
place and not drawn. \`always\` marks a transition taken as soon as its guard holds.

\`\`\`mermaid
${approvalFlowMermaid(machine)}
\`\`\`

## States

${states}`;
}
