// `npm run docs:diagram`: regenerates docs/approval-flow.md from the conversation machine. It lives
// here, not in machines/, because it writes a file and machines/ stays free of IO.
import { writeFileSync } from 'node:fs';
import { approvalFlowDoc, conversationMachine } from '@tollgate/machines';

const target = new URL('../../docs/approval-flow.md', import.meta.url);
writeFileSync(target, approvalFlowDoc(conversationMachine));
console.log(`wrote ${target.pathname}`);
