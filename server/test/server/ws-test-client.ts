import { randomUUID } from 'node:crypto';
import { type LogEntry, type ServerMessage, serverMessageSchema } from '@tollgate/machines';
import WebSocket from 'ws';

/**
 * A WebSocket client as a browser tab would be: it keeps every server message (each validated
 * against the shared schema) and lets a test wait for the one it expects.
 */
export async function connectClient(wsUrl: string, headers: Record<string, string> = {}) {
  const socket = new WebSocket(wsUrl, { headers });
  const received: ServerMessage[] = [];
  const waiters = new Set<() => void>();
  let closed: { code: number; reason: string } | null = null;
  socket.on('message', (data) => {
    received.push(serverMessageSchema.parse(JSON.parse(String(data))));
    for (const wake of waiters) wake();
  });
  socket.on('close', (code, reason) => {
    closed = { code, reason: String(reason) };
    for (const wake of waiters) wake();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });

  function waitFor<T>(find: () => T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(
          new Error(
            `timed out waiting for ${what}; last messages: ${JSON.stringify(received.slice(-5))}`,
          ),
        );
      }, timeoutMs);
      const check = () => {
        const found = find();
        if (found !== undefined) {
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        }
      };
      waiters.add(check);
      check();
    });
  }

  const entries = (conversationId: string): LogEntry[] =>
    received.flatMap((m) =>
      m.type === 'entries' && m.entries[0]?.conversationId === conversationId ? m.entries : [],
    );

  return {
    socket,
    received,
    closed: () => closed,
    entries,
    sendRaw: (data: string | Buffer) => socket.send(data),
    send: (message: object) => socket.send(JSON.stringify(message)),
    waitFor,
    /** Waits for a server message of this type matching `match`. */
    waitForMessage<T extends ServerMessage['type']>(
      type: T,
      match: (m: Extract<ServerMessage, { type: T }>) => boolean = () => true,
    ) {
      return waitFor(
        () =>
          received.find(
            (m): m is Extract<ServerMessage, { type: T }> => m.type === type && match(m as never),
          ),
        `a ${type} message`,
      );
    },
    waitForEntry(
      conversationId: string,
      match: (entry: LogEntry) => boolean,
      what: string,
      timeoutMs?: number,
    ) {
      return waitFor(() => entries(conversationId).find(match), what, timeoutMs);
    },
    async createConversation(): Promise<string> {
      const requestId = randomUUID();
      socket.send(JSON.stringify({ type: 'create_conversation', requestId }));
      const created = await this.waitForMessage(
        'conversation_created',
        (m) => m.requestId === requestId,
      );
      return created.conversation.id;
    },
    async subscribe(conversationId: string, afterSeq = 0) {
      socket.send(JSON.stringify({ type: 'subscribe', conversationId, afterSeq }));
      return this.waitForMessage('subscribed', (m) => m.conversationId === conversationId);
    },
    command(conversationId: string, command: Record<string, unknown>) {
      const commandId = (command.commandId as string | undefined) ?? randomUUID();
      socket.send(
        JSON.stringify({ type: 'command', conversationId, command: { commandId, ...command } }),
      );
      return commandId;
    },
    close() {
      socket.close();
    },
  };
}

export type WsTestClient = Awaited<ReturnType<typeof connectClient>>;
