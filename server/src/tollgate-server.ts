import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  conversationMachine,
  MACHINE_VERSION,
  PROTOCOL_VERSION,
  type ServerMessage,
} from '@tollgate/machines';
import type { AppConfig } from './app-config.ts';
import { admitSettings } from './claude/admit-settings.ts';
import { createClaudeActor } from './claude/claude-actor.ts';
import { createClaudeClient } from './claude/claude-client.ts';
import { claudeOptions } from './claude/claude-request.ts';
import { claudeStatus } from './claude/claude-status.ts';
import { createUnconfiguredClaudeActor } from './claude/unconfigured-claude-actor.ts';
import { createApprovalTimerActor, withApprovalDeadline } from './conversations/approval-timer.ts';
import { createConversationRegistry } from './conversations/conversation-registry.ts';
import { createFactRoutes } from './conversations/fact-routes.ts';
import { createListUpdates } from './conversations/list-updates.ts';
import { CLOSE } from './gateway/gateway-limits.ts';
import { ownedRegistry } from './gateway/owned-registry.ts';
import { createWsGateway } from './gateway/ws-gateway.ts';
import { createAccessGate } from './http/access-gate.ts';
import { createHttpAccess } from './http/access-http.ts';
import { ownerOf } from './http/access-person.ts';
import { createConversationFiles } from './http/conversation-files.ts';
import { fallbackPage } from './http/fallback-page.ts';
import { createImageRoutes } from './http/image-routes.ts';
import { admitAll } from './images/admit-all.ts';
import { admitImages } from './images/admit-images.ts';
import { createFileImageStore } from './images/file-image-store.ts';
import type { ImageStore } from './images/image-store.ts';
import { createInspection } from './inspect/create-inspection.ts';
import { skyInspector } from './inspect/stately-inspector.ts';
import type { Logger } from './logger.ts';
import type { Backoff } from './mcp/backoff.ts';
import { builtInToolServer } from './mcp/built-in-tool-server.ts';
import { readMcpConfig } from './mcp/mcp-config.ts';
import { createMcpHub } from './mcp/mcp-hub.ts';
import { createToolActor } from './mcp/tool-actor.ts';
import { createGrantsPanel } from './policy/grants-panel.ts';
import { readPolicyFile } from './policy/policy-file.ts';
import { createToolPolicy } from './policy/tool-policy.ts';
import type { Owner } from './store/conversation-index.ts';
import { openStore } from './store/open-store.ts';

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

export interface TollgateServerOptions {
  config: AppConfig;
  logger: Logger;
  /** Serves the chat page; without it a plain page says the app is not built. */
  webHandler?: RequestHandler;
  clock?: () => number;
  /** Waits between tries of a failed MCP server (mcp/backoff.ts); tests lengthen them. */
  mcpBackoff?: Partial<Backoff>;
  /** Where attached images are kept; by default the folder `DATA_DIR/images`. */
  images?: ImageStore;
}

/** A conversation id the browser can put in a URL. */
function newConversationId(): string {
  return `c_${randomBytes(9).toString('base64url')}`;
}

/**
 * The whole server in one process: the event store, the MCP hub, the conversation actors, the
 * WebSocket gateway and the web app, on one port. Several may share one PostgreSQL store
 * (docs/scaling.md).
 */
export async function startTollgateServer(options: TollgateServerOptions) {
  const { config, logger } = options;
  const clock = options.clock ?? Date.now;
  // Read before anything opens, so a file that cannot be used stops the start at once.
  const policyRules = config.policyFile ? await readPolicyFile(config.policyFile) : [];
  const store = await openStore(config, logger.child({ part: 'store' }));
  // Several instances share DATA_DIR/images on one volume (docs/scaling.md#images).
  const images = options.images ?? (await createFileImageStore(join(config.dataDir, 'images')));

  const servers = [
    builtInToolServer({
      workspaceDir: config.workspaceDir,
      ...(config.chunkBytes !== null ? { chunkBytes: config.chunkBytes } : {}),
      ...(config.chunkDelayMs !== null ? { chunkDelayMs: config.chunkDelayMs } : {}),
    }),
    ...(config.mcpConfigFile
      ? await readMcpConfig(config.mcpConfigFile, {
          onNote: (note) => logger.info({ part: 'mcp' }, note),
        })
      : []),
  ];
  const hub = createMcpHub({
    servers,
    logger: logger.child({ part: 'mcp' }),
    ...(options.mcpBackoff ? { backoff: options.mcpBackoff } : {}),
  });
  await hub.start();
  const toolPolicy = createToolPolicy(policyRules, () => hub.tools());

  const claude = config.claude;
  const client = claude.status === 'ready' ? await createClaudeClient(claude.settings) : null;
  const inspection = config.inspect
    ? await createInspection(config.dataDir, logger, {
        stately: config.inspect === 'stately' ? skyInspector : null,
      })
    : null;

  const conversationLogger = logger.child({ part: 'conversation' });
  const factRoutes = createFactRoutes(conversationLogger);
  const { dispatchFor } = factRoutes;
  // APPROVAL_TTL: the turns Claude completes carry the deadline of the calls they ask for.
  const claudeDispatchFor = withApprovalDeadline(dispatchFor, config.approvalTtlMs, clock);
  const liveMachine = conversationMachine.provide({
    actors: {
      claude:
        claude.status === 'ready' && client
          ? createClaudeActor({
              client,
              settings: claude.settings,
              tools: () => hub.claudeTools(),
              dispatchFor: claudeDispatchFor,
              logger: logger.child({ part: 'claude' }),
              images,
            })
          : createUnconfiguredClaudeActor(
              claude.status === 'unconfigured' ? claude.missing : 'Claude is not configured.',
              dispatchFor,
            ),
      tool: createToolActor({ hub, dispatchFor, refuse: toolPolicy.refuse }),
      approvalTimer: createApprovalTimerActor({ dispatchFor, clock }),
    },
  });
  /**
   * Every tab of the person (on this instance) gets their grants anew. Tabs on other instances see
   * the change when they next open the Policies panel; the decisions themselves read the store.
   */
  const announceGrants = async (owner: Owner) => {
    gateway.broadcastTo(owner, { type: 'grants', grants: await grantsPanel.list(owner) });
  };
  const registry = createConversationRegistry({
    store,
    logger: conversationLogger,
    runtimeDeps: {
      clock,
      ...(inspection ? { inspect: inspection.inspect } : {}),
      liveMachine,
      factRoutes,
      admit: admitAll(admitSettings(claude), admitImages(images)),
      // Rules, then the owner's grants, then ask (docs/policies.md).
      policy: async (calls, conversationId) => {
        const owner = await store.conversations.ownerOf(conversationId);
        const grants = owner === undefined ? [] : await store.grants.list(owner);
        return toolPolicy.decide(calls, grants);
      },
      // The store writes the grant with its decision (tool-grants.ts); the tabs hear of it here.
      toolServer: (toolName) => hub.tool(toolName)?.server,
      grantsChanged: async (conversationId) => {
        const owner = await store.conversations.ownerOf(conversationId);
        if (owner !== undefined) await announceGrants(owner);
      },
    },
  });
  // The Policies panel: both scopes of grants; a conversation's is revoked by a command to it.
  const grantsPanel = createGrantsPanel({
    grants: store.grants,
    conversation: (conversationId) => registry.get(conversationId),
    announce: announceGrants,
    newCommandId: () => `revoke-${randomBytes(12).toString('base64url')}`,
  });

  const toolsMessage = () => ({
    tools: hub.tools().map((tool) => ({
      name: tool.claudeName,
      server: tool.server,
      title: tool.title ?? null,
      description: tool.description,
      readOnly: tool.annotations?.readOnlyHint ?? false,
      destructive: tool.annotations?.destructiveHint ?? !(tool.annotations?.readOnlyHint ?? false),
      policy: toolPolicy.effectFor(tool),
    })),
    mcpServers: hub.status().map((server) => ({
      name: server.server,
      state: server.state,
      error: server.error ?? null,
      tools: server.tools,
      stderr: server.stderr,
      retryAt: server.retryAt ?? null,
    })),
  });
  const conversationsMessage = async (owner: Owner): Promise<ServerMessage> => ({
    type: 'conversations',
    conversations: await store.conversations.listOwnedBy(owner),
  });

  // The store tells it of creations and titles; it sends them to the owner's connections through
  // the gateway, 25 ms after a change at the earliest, so the gateway (below) exists by then.
  const listUpdates = createListUpdates(
    store.conversations,
    (owner, message) => gateway.broadcastTo(owner, message),
    (error) => logger.warn({ err: error }, 'the conversation list could not be read'),
  );
  // One gate for the page and the WebSocket (docs/access.md).
  const access = createAccessGate(config);
  const admit = createHttpAccess(access);
  const gateway = createWsGateway({
    registry: ownedRegistry(registry, (id) => store.conversations.ownerOf(id)),
    logger: logger.child({ part: 'gateway' }),
    access,
    allowedOrigins: config.allowedOrigins,
    clock,
    hello: (person) => ({
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      machineVersion: MACHINE_VERSION,
      claude: claudeStatus(claude),
      ...toolsMessage(),
      person: person ? { name: person.name } : null,
      canSignOut: access.tokenRequired && person === null,
      claudeOptions: claude.status === 'invalid' ? null : claudeOptions(claude.settings),
    }),
    listConversations: conversationsMessage,
    restartMcpServer: (server) => hub.restart(server),
    deleteConversation: async (conversationId, owner) =>
      (await store.conversations.ownerOf(conversationId)) === owner &&
      (await registry.delete(conversationId)) !== undefined,
    searchConversations: (owner, query) => store.conversations.search(owner, query),
    grants: grantsPanel,
    available: () => store.cluster.healthy(),
    createConversation: async (requestId, owner) => {
      const id = newConversationId();
      await store.conversations.create({ id, createdAt: clock(), owner });
      const conversation = await store.conversations.get(id);
      if (!conversation) throw new Error(`conversation ${id} was not stored`);
      return { type: 'conversation_created', requestId, conversation };
    },
  });
  const stopListening = store.conversations.onChanged((ids) => listUpdates.changed(ids));
  // Deleted on any instance: every tab of its owner drops it (a tab showing it, its empty state).
  // Its "Always allow"s went with it: the Policies panel lists them no more.
  const stopDeletions = store.conversations.onDeleted((conversationId, owner) => {
    gateway.broadcastTo(owner, { type: 'conversation_deleted', conversationId });
    announceGrants(owner).catch((error) =>
      logger.warn({ err: error, conversationId }, 'grants not announced'),
    );
  });
  const conversationFiles = createConversationFiles({
    store,
    clock,
    newConversationId,
    allowedOrigins: config.allowedOrigins,
    logger: logger.child({ part: 'files' }),
  });
  const imageRoutes = createImageRoutes({
    images,
    allowedOrigins: config.allowedOrigins,
    logger: logger.child({ part: 'images' }),
  });
  // The store is gone (docs/scaling.md): every conversation was dropped; tabs reconnect, and are
  // let in again once the store is back.
  const stopLost = registry.onLost(() =>
    gateway.closeAll(CLOSE.unavailable, 'database unavailable'),
  );
  hub.onStatusChange(() => gateway.broadcast({ type: 'tools', ...toolsMessage() }));

  const http = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    // Open to all, so it says nothing but that the server is up and whether Claude is configured:
    // no provider, model, version, tools or people.
    if (path === '/healthz') {
      const database = store.cluster.healthy() ? 'ok' : 'unavailable';
      response.writeHead(database === 'ok' ? 200 : 503, {
        'content-type': 'application/json',
        'cache-control': 'no-store',
      });
      response.end(
        JSON.stringify({ ok: database === 'ok', claude: claudeStatus(claude).status, database }),
      );
      return;
    }
    // Everything else, the page's scripts and styles included, only with access.
    if (!admit(request, response)) return;
    const verdict = access.judge(request);
    if (verdict.allowed && conversationFiles(request, response, ownerOf(verdict.person))) return;
    if (verdict.allowed && imageRoutes(request, response)) return;
    if (options.webHandler) {
      options.webHandler(request, response);
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(fallbackPage(claudeStatus(claude)));
  });
  http.on('upgrade', (request, socket, head) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    if (path === '/ws') gateway.handleUpgrade(request, socket, head);
    // Other upgrades (Next's dev HMR) are the web handler's, given access; else they are dropped.
    else if (!options.webHandler || !access.judge(request).allowed) socket.destroy();
  });
  await new Promise<void>((resolve) => http.listen(config.port, config.host, resolve));
  const { port } = http.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;

  return {
    url,
    port,
    http,
    store,
    hub,
    registry,
    gateway,
    async close() {
      stopListening();
      stopDeletions();
      stopLost();
      listUpdates.close();
      gateway.close();
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        // Without this, a connection with a request still open (a tab's, cut by the shutdown)
        // would hold the close, and the process, for as long as the browser keeps it.
        http.closeAllConnections();
      });
      await registry.close();
      await hub.close();
      await inspection?.close();
      await store.close();
    },
  };
}

export type TollgateServer = Awaited<ReturnType<typeof startTollgateServer>>;
