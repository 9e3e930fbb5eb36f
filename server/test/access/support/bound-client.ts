import { randomUUID } from 'node:crypto';
import { type ServerMessage, serverMessageSchema } from '@tollgate/machines';
import { onTestFinished } from 'vitest';
import WebSocket from 'ws';

/**
 * A WebSocket client whose connection leaves from `localAddress` (127.0.0.2, say): a proxy at
 * another address than the test's other clients, without leaving loopback. Only what the access
 * tests need of ws-test-client.ts: the messages, waiting for one, creating a conversation.
 */
export async function connectFrom(
  localAddress: string,
  wsUrl: string,
  headers: Record<string, string> = {},
) {
  const socket = new WebSocket(wsUrl, { headers, localAddress });
  onTestFinished(() => socket.terminate());
  const received: ServerMessage[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    received.push(serverMessageSchema.parse(JSON.parse(String(data))));
    for (const wake of waiters) wake();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });

  function waitForMessage<T extends ServerMessage['type']>(
    type: T,
    match: (m: Extract<ServerMessage, { type: T }>) => boolean = () => true,
  ): Promise<Extract<ServerMessage, { type: T }>> {
    const find = () =>
      received.find(
        (m): m is Extract<ServerMessage, { type: T }> => m.type === type && match(m as never),
      );
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for a ${type}`)), 15_000);
      const check = () => {
        const found = find();
        if (!found) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(found);
      };
      waiters.add(check);
      check();
    });
  }

  return {
    received,
    waitForMessage,
    async createConversation(): Promise<string> {
      const requestId = randomUUID();
      socket.send(JSON.stringify({ type: 'create_conversation', requestId }));
      const created = await waitForMessage(
        'conversation_created',
        (m) => m.requestId === requestId,
      );
      return created.conversation.id;
    },
  };
}
