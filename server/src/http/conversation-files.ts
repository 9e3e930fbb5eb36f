import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  conversationExport,
  conversationMarkdown,
  eventsToImport,
  ImportRefusal,
  replay,
} from '@tollgate/machines';
import { originAllowed } from '../gateway/origin-check.ts';
import type { Logger } from '../logger.ts';
import type { Owner } from '../store/conversation-index.ts';
import type { NewEntry } from '../store/conversation-log.ts';
import type { Store } from '../store/store.ts';
import { readBody, sendJson } from './http-body.ts';

/** The largest import accepted, in bytes: a long conversation with large files written in it. */
export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;
/** Entries appended per batch on import, so one statement never carries a whole long log. */
const IMPORT_BATCH = 1_000;

const EXPORT = /^\/api\/conversations\/([A-Za-z0-9_-]{1,64})\/export\.(json|md)$/;
const IMPORT = '/api/conversations/import';

export interface ConversationFilesDeps {
  store: Pick<Store, 'log' | 'conversations'>;
  clock: () => number;
  newConversationId: () => string;
  allowedOrigins: string[];
  logger: Logger;
}

const HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

/** A file name from a title: letters, digits and a few marks, never a path. */
function fileName(title: string | null, conversationId: string, extension: string): string {
  const base = (title ?? conversationId)
    .normalize('NFKD')
    .replace(/[^\w .-]+/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 80);
  return `${base.length > 0 ? base : conversationId}.${extension}`;
}

/**
 * Export and import over HTTP, behind the access gate like every route (docs/protocol.md):
 *
 * - `GET /api/conversations/<id>/export.json`: the conversation's log entries, with their machine
 *   versions (machines/src/export/conversation-export.ts), as a download.
 * - `GET /api/conversations/<id>/export.md`: a readable transcript (conversation-markdown.ts).
 * - `POST /api/conversations/import` (`content-type: application/json`, a JSON export): checked
 *   entry by entry and folded (`eventsToImport`), then appended, with the same events, to a new
 *   conversation of the person's; answered `201 {conversation}`, or `400 {error}` saying why.
 *
 * HTTP rather than the WebSocket because an export is as large as the conversation, far above
 * the socket's 256 KB per message; a plain request needs no chunking protocol. Only the person's
 * own conversations, as on the socket: another's answers 404 as a missing one does. The POST
 * must come from the app's own origin (or ALLOWED_ORIGINS) and carry JSON, which a form on
 * another site cannot send.
 */
export function createConversationFiles(deps: ConversationFilesDeps) {
  const { store } = deps;

  async function exportConversation(
    response: ServerResponse,
    conversationId: string,
    format: string,
    owner: Owner,
  ): Promise<void> {
    const summary =
      (await store.conversations.ownerOf(conversationId)) === owner
        ? await store.conversations.get(conversationId)
        : null;
    if (!summary) {
      sendJson(response, 404, { error: `There is no conversation ${conversationId}.` });
      return;
    }
    const entries = await store.log.read(conversationId);
    const exportedAt = deps.clock();
    const conversation = {
      id: conversationId,
      title: summary.title,
      createdAt: summary.createdAt,
    };
    const body =
      format === 'json'
        ? JSON.stringify(conversationExport(conversation, entries, exportedAt), null, 1)
        : conversationMarkdown(replay(entries).context, {
            conversationId,
            title: summary.title,
            exportedAt,
          });
    const name = fileName(summary.title, conversationId, format);
    response.writeHead(200, {
      ...HEADERS,
      'content-type':
        format === 'json' ? 'application/json; charset=utf-8' : 'text/markdown; charset=utf-8',
      'content-disposition': `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    });
    response.end(body);
  }

  async function importConversation(
    request: IncomingMessage,
    response: ServerResponse,
    owner: Owner,
  ): Promise<void> {
    if (!originAllowed(request.headers.origin, request.headers.host, deps.allowedOrigins)) {
      sendJson(response, 403, {
        error: 'This page may not import here (its origin is not allowed).',
      });
      return;
    }
    if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
      sendJson(response, 415, { error: 'An import is a JSON export, sent as application/json.' });
      return;
    }
    const body = await readBody(request, MAX_IMPORT_BYTES);
    const text = body === null ? null : body.toString('utf8');
    if (text === null) {
      response.setHeader('connection', 'close');
      sendJson(response, 413, {
        error: `An import is limited to ${MAX_IMPORT_BYTES / 1024 / 1024} MB.`,
      });
      return;
    }
    let events: ReturnType<typeof eventsToImport>['events'];
    try {
      events = eventsToImport(JSON.parse(text)).events;
    } catch (error) {
      if (error instanceof ImportRefusal || error instanceof SyntaxError) {
        const message = error instanceof SyntaxError ? 'The file is not JSON.' : error.message;
        sendJson(response, 400, { error: `This export cannot be imported: ${message}` });
        return;
      }
      throw error;
    }
    const id = deps.newConversationId();
    await store.conversations.create({ id, createdAt: deps.clock(), owner });
    try {
      const entries: NewEntry[] = events.map(({ event, at }, i) => ({
        conversationId: id,
        seq: i + 1,
        event,
        at,
      }));
      for (let from = 0; from < entries.length; from += IMPORT_BATCH) {
        await store.log.appendBatch(entries.slice(from, from + IMPORT_BATCH));
      }
    } catch (error) {
      // All of it or none: a half-imported conversation would fold to something else.
      await store.conversations.delete(id).catch(() => undefined);
      throw error;
    }
    deps.logger.info({ conversationId: id, entries: events.length }, 'conversation imported');
    sendJson(response, 201, { conversation: await store.conversations.get(id) });
  }

  /**
   * Answers the request if it is one of these routes (true), for `owner` (the gate let it in);
   * false leaves it to the page.
   */
  return function handle(request: IncomingMessage, response: ServerResponse, owner: Owner) {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const exported = EXPORT.exec(path);
    const work =
      exported && (request.method === 'GET' || request.method === 'HEAD')
        ? exportConversation(response, exported[1]!, exported[2]!, owner)
        : path === IMPORT && request.method === 'POST'
          ? importConversation(request, response, owner)
          : null;
    if (work === null) {
      if (!exported && path !== IMPORT) return false;
      response.writeHead(405, { ...HEADERS, allow: exported ? 'GET' : 'POST' });
      response.end();
      return true;
    }
    work.catch((error: unknown) => {
      deps.logger.error({ err: error, path }, 'a conversation file request failed');
      if (!response.headersSent)
        sendJson(response, 500, { error: 'Something went wrong on the server.' });
      else response.destroy();
    });
    return true;
  };
}
