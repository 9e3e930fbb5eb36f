import { writeFileSync } from 'node:fs';
import { approvalFlowDoc } from '../src/approval-flow-doc.ts';
import { conversationMachine } from '../src/conversation-machine.ts';

const target = new URL('../../docs/approval-flow.md', import.meta.url);
writeFileSync(target, approvalFlowDoc(conversationMachine));
console.log(`wrote ${target.pathname}`);
