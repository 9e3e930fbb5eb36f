import { z } from 'zod';
import { MACHINE_VERSION } from '../conversation-machine.ts';
import { type LogEntry, logEntrySchema } from '../log-entry.ts';
import { ReplayError, replay } from '../replay.ts';
import { UPCASTERS, type UpcasterTable, upcast } from '../upcast.ts';

/** What an export file says it is, so an import can refuse anything else by name. */
export const EXPORT_FORMAT = 'tollgate.conversation';
/** The version of the export file's own shape (its entries carry their machine versions). */
export const EXPORT_VERSION = 1;

/** A conversation's JSON export: its log entries as the store holds them, with their versions. */
export interface ConversationExport {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  exportedAt: number;
  conversation: { id: string; title: string | null; createdAt: number };
  entries: LogEntry[];
}

export function conversationExport(
  conversation: ConversationExport['conversation'],
  entries: LogEntry[],
  exportedAt: number,
): ConversationExport {
  return { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt, conversation, entries };
}

/** The shape around the entries; each entry is checked on its own, to name the one that fails. */
const exportFileSchema = z.object({
  format: z.literal(EXPORT_FORMAT, 'This is not a Tollgate conversation export.'),
  version: z.number().int().positive(),
  conversation: z.object({ title: z.string().nullable().optional() }).passthrough(),
  entries: z.array(z.unknown()).min(1, 'The export holds no entries.'),
});

const entryVersionSchema = z.object({ machineVersion: z.number().int().positive() });

/** Why an export cannot be imported, in words for the person. */
export class ImportRefusal extends Error {
  override name = 'ImportRefusal';
}

export interface ImportVersions {
  machineVersion: number;
  upcasters: UpcasterTable;
}

/**
 * The events a JSON export holds, checked the way the store checks every append and ready to be
 * appended to a new conversation: the file is an export of a version this build reads, every
 * entry passes the log entry schema, the seqs run 1, 2, 3… without a gap, no entry comes from a
 * newer machine, and the whole log folds (`replay`). Entries of an older machine are carried up
 * to this one (upcast.ts), so the new conversation's entries are all of this version. Throws an
 * `ImportRefusal` naming what is wrong.
 */
export function eventsToImport(
  file: unknown,
  versions: ImportVersions = { machineVersion: MACHINE_VERSION, upcasters: UPCASTERS },
) {
  const shape = exportFileSchema.safeParse(file);
  if (!shape.success) {
    const issue = shape.error.issues[0];
    throw new ImportRefusal(
      issue?.path.length ? `${issue.path.join('.')}: ${issue.message}` : (issue?.message ?? ''),
    );
  }
  if (shape.data.version > EXPORT_VERSION) {
    throw new ImportRefusal(
      `This export is version ${shape.data.version}; this Tollgate reads up to ${EXPORT_VERSION}.`,
    );
  }
  const entries: LogEntry[] = shape.data.entries.map((raw, index) => {
    const version = entryVersionSchema.safeParse(raw);
    if (version.success && version.data.machineVersion > versions.machineVersion) {
      throw new ImportRefusal(
        `Entry ${index + 1} was written by machine version ${version.data.machineVersion}; this Tollgate runs ${versions.machineVersion}. Import it into a newer Tollgate.`,
      );
    }
    const parsed = logEntrySchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ImportRefusal(
        `Entry ${index + 1} is not a valid log entry: ${issue ? `${issue.path.join('.') || 'entry'}: ${issue.message}` : 'invalid'}.`,
      );
    }
    const first = shape.data.entries[0] as { conversationId?: unknown };
    if (parsed.data.conversationId !== first.conversationId) {
      throw new ImportRefusal(`Entry ${index + 1} belongs to another conversation.`);
    }
    if (parsed.data.seq !== index + 1) {
      throw new ImportRefusal(
        `Entry ${index + 1} has seq ${parsed.data.seq}: the log must run 1, 2, 3… without a gap.`,
      );
    }
    return parsed.data;
  });
  try {
    replay(entries, undefined, versions);
  } catch (error) {
    if (error instanceof ReplayError) {
      throw new ImportRefusal(`The log does not fold: ${error.message}.`);
    }
    throw error;
  }
  const events = entries.flatMap((entry) =>
    upcast(entry, versions.machineVersion, versions.upcasters).map((event) => ({
      event,
      at: entry.at,
    })),
  );
  return { title: shape.data.conversation.title ?? null, events };
}
