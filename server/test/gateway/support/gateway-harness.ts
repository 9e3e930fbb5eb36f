import { MACHINE_VERSION, PROTOCOL_VERSION, type ServerMessage } from '@tollgate/machines';
import { onTestFinished } from 'vitest';
import type { GatewayLimits } from '../../../src/gateway/gateway-limits.ts';
import type { GatewayRegistry } from '../../../src/gateway/gateway-registry.ts';
import { createWsGateway, type GatewayDeps } from '../../../src/gateway/ws-gateway.ts';
import { silentLogger } from '../../silent-logger.ts';
import { createFakeRegistry } from './fake-registry.ts';
import { createLinkedSocketPair, type LinkedSocketPairOptions } from './linked-socket-pair.ts';

export const HELLO: ServerMessage = {
  type: 'hello',
  protocol: PROTOCOL_VERSION,
  machineVersion: MACHINE_VERSION,
  person: null,
  canSignOut: false,
  claudeOptions: null,
  claude: { status: 'unconfigured', provider: null, model: null, message: 'Set a key.' },
  tools: [],
  mcpServers: [],
};

export interface TestGatewayOptions {
  registry?: GatewayRegistry;
  limits?: Partial<GatewayLimits>;
  clock?: () => number;
  appToken?: string | null;
  /** Whether conversations can be served now (the store reachable); always, unless told. */
  available?: () => boolean;
  /** The MCP hub's restart; without it, no server has any name. */
  restartMcpServer?: (server: string) => boolean;
  /** Deletes for an owner; without it, nobody has any conversation to delete. */
  deleteConversation?: GatewayDeps['deleteConversation'];
  /** Searches for an owner; without it, nothing is ever found. */
  searchConversations?: GatewayDeps['searchConversations'];
  /** The owner's grants (the Policies panel); without it, nobody has any. */
  grants?: GatewayDeps['grants'];
}

/** Gateway dependencies with nothing behind them but `registry`. */
export function testGatewayDeps(options: TestGatewayOptions = {}): GatewayDeps {
  return {
    registry: options.registry ?? createFakeRegistry({}),
    logger: silentLogger(),
    appToken: options.appToken ?? null,
    allowedOrigins: [],
    clock: options.clock ?? (() => 0),
    hello: () => HELLO,
    listConversations: async () => ({ type: 'conversations', conversations: [] }),
    createConversation: async (requestId) => ({
      type: 'conversation_created',
      requestId,
      conversation: { id: 'c_new', title: null, createdAt: 0, updatedAt: 0, lastSeq: 0 },
    }),
    restartMcpServer: options.restartMcpServer ?? (() => false),
    deleteConversation: options.deleteConversation ?? (async () => false),
    searchConversations:
      options.searchConversations ?? (async () => ({ results: [], truncated: false })),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.available ? { available: options.available } : {}),
    ...(options.grants ? { grants: options.grants } : {}),
  };
}

/**
 * A gateway driven in-process: `connect` accepts an in-memory socket and returns its client end,
 * with the hello already read. The gateway is closed when the test ends.
 */
export function createTestGateway(options: TestGatewayOptions = {}) {
  const gateway = createWsGateway(testGatewayDeps(options));
  onTestFinished(() => gateway.close());
  return {
    gateway,
    connect(pairOptions: LinkedSocketPairOptions = {}) {
      const { server, client } = createLinkedSocketPair(pairOptions);
      gateway.accept(server);
      const [hello, ...rest] = client.takeMessages();
      if (hello?.type !== 'hello' || rest.length > 0) {
        throw new Error(`expected only a hello, got ${JSON.stringify([hello, ...rest])}`);
      }
      return client;
    },
  };
}
