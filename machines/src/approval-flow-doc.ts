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

${states}
## Approval expiry

Off by default. With \`APPROVAL_TTL\` set (\`90s\`, \`10m\`, \`1h\`, or seconds), the server stamps each
\`assistant.completed\` with \`expiresAt\`, the moment the calls that turn asks for expire; the
machine keeps it in the context as \`approvalExpiresAt\` while they wait, and the approval dialog
counts down to it ("Expires in 1:23"). The \`approvalTimer\` actor, invoked in \`awaitingApproval\`,
reports \`approval.expired\` at the deadline: every call still waiting is recorded as \`expired\` (the
timeline says "Expired") and Claude reads an \`is_error\` result saying that nobody decided in time, so
the call did not run; the turn then goes on as after a denial. An expiry whose calls were decided
meanwhile, or of another turn, is stale and never logged. The deadline is in the log, so a
conversation rebuilt after a restart or a failover expires at the same moment, at once if it has
passed, whatever the new process's setting; a replay and the page never fire the timer. The
deadline is the turn's: a call a revoked "Always allow" sends back after it expires at once. A
conversation with calls waiting on a deadline stays open on its server with nobody watching, so it
expires on time; one a restart left waiting expires when it is next opened.
`;
}
