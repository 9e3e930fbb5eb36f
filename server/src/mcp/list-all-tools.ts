import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';

const MAX_PAGES = 100;

/** Every tool a server offers, following `nextCursor` page by page. */
export async function listAllTools(client: Client, timeoutMs: number): Promise<Tool[]> {
  const tools: Tool[] = [];
  const cursors = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor === undefined ? undefined : { cursor }, {
      timeout: timeoutMs,
    });
    tools.push(...page.tools);
    cursor = page.nextCursor;
    // A server that hands out the same cursor twice would keep us listing forever.
    if (cursor !== undefined && cursors.has(cursor)) {
      throw new Error(`tools/list returned the cursor ${JSON.stringify(cursor)} twice`);
    }
    if (cursor !== undefined) cursors.add(cursor);
    if (cursors.size > MAX_PAGES) throw new Error(`tools/list has more than ${MAX_PAGES} pages`);
  } while (cursor !== undefined);
  return tools;
}
