import type { AnyStateMachine } from 'xstate';

// Generates docs/approval-flow.md from the machine definition, so the diagram cannot drift from
// the code: a test compares the file with this output.

/** A guard as the definition holds it: a name, `and([...])` (a function with `guards`), or an object. */
function guardText(guard: unknown): string {
  if (guard === undefined || guard === null) return '';
  if (typeof guard === 'string') return guard;
  const parts = (guard as { guards?: unknown }).guards;
  if (Array.isArray(parts)) return parts.map(guardText).join(' and ');
  const type = (guard as { type?: unknown }).type;
  return typeof type === 'string' ? type : 'guard';
}

function label(event: string, guard: unknown): string {
  const text = guardText(guard);
  return text ? `${event} [${text}]` : event;
}

/** The machine's state-changing transitions as a Mermaid state diagram. */
export function approvalFlowMermaid(machine: AnyStateMachine): string {
  const lines = ['stateDiagram-v2', `  [*] --> ${machine.root.initial.target[0]?.key}`];
  for (const node of Object.values(machine.root.states)) {
    for (const [event, transitions] of node.transitions) {
      for (const transition of transitions) {
        for (const target of transition.target ?? []) {
          lines.push(`  ${node.key} --> ${target.key}: ${label(event, transition.guard)}`);
        }
      }
    }
    for (const transition of node.always ?? []) {
      for (const target of transition.target ?? []) {
        lines.push(`  ${node.key} --> ${target.key}: ${label('always', transition.guard)}`);
      }
    }
  }
  return lines.join('\n');
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
