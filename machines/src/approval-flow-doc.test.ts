import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { approvalFlowDoc, approvalFlowMermaid } from './approval-flow-doc.ts';
import { conversationMachine } from './conversation-machine.ts';

describe('docs/approval-flow.md', () => {
  it('is what the machine generates: run `npm run docs:diagram` after changing the machine', () => {
    const onDisk = readFileSync(new URL('../../docs/approval-flow.md', import.meta.url), 'utf8');
    expect(onDisk).toBe(approvalFlowDoc(conversationMachine));
  });

  it('draws every state and the approval path', () => {
    const diagram = approvalFlowMermaid(conversationMachine);
    for (const state of Object.keys(conversationMachine.root.states)) {
      expect(diagram).toContain(` ${state} `);
    }
    expect(diagram).toContain(
      'awaitingApproval --> executingTool: always [allDecided and someApproved]',
    );
    expect(diagram).toContain('resuming --> streaming: assistant.started [isCurrentTurn]');
  });
});
