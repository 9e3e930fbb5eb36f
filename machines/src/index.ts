// The pure core shared by the server and the browser. Explicit named exports only.

export type { ApprovalTimerRequest } from './approval-expiry.ts';
export { approvalFlowDoc, approvalFlowMermaid } from './approval-flow-doc.ts';
export {
  type ConversationMirror,
  createConversationMirror,
  type MirrorOptions,
  type MirrorReceipt,
  type MirrorSource,
  type RestoreReceipt,
} from './browser-mirror.ts';
export { withCacheBreakpoint } from './claude-cache-breakpoint.ts';
export type {
  ClaudeAssistantBlock,
  ClaudeCacheControl,
  ClaudeImageReferenceBlock,
  ClaudeMessageParam,
  ClaudeRedactedThinkingBlock,
  ClaudeTextBlock,
  ClaudeThinkingBlock,
  ClaudeToolResultBlock,
  ClaudeToolUseBlock,
  ClaudeUserBlock,
  ImageMediaType,
} from './claude-message.ts';
export { commandRejection, type JudgedSnapshot } from './command-rejection.ts';
export type {
  AssistantBlock,
  AssistantError,
  AssistantItem,
  AssistantStatus,
  ConversationContext,
  NoticeItem,
  TimelineItem,
  ToolCallItem,
  ToolDecision,
  ToolRun,
  ToolRunStatus,
  UserItem,
} from './conversation-context.ts';
export { initialConversationContext } from './conversation-context.ts';
export { conversationContextSchema } from './conversation-context-schema.ts';
export {
  type ClaudeRequest,
  type ConversationMachine,
  type ConversationTag,
  conversationMachine,
  inertActors,
  MACHINE_VERSION,
  type ToolRequest,
} from './conversation-machine.ts';
export {
  type ClaudeOptions,
  type EffectiveSettings,
  effectiveSettings,
  settingsRejection,
  thinkingFits,
} from './conversation-settings.ts';
export { type CommandRejection, decisionRejection } from './decision-rejection.ts';
export { createDeltaRuns } from './delta-runs.ts';
export * from './events/command-events.ts';
export { type ConversationEvent, conversationEventSchema } from './events/conversation-event.ts';
export * from './events/fact-events.ts';
export * from './events/policy-events.ts';
export * from './events/settings-events.ts';
export {
  type ConversationExport,
  conversationExport,
  EXPORT_FORMAT,
  EXPORT_VERSION,
  eventsToImport,
  ImportRefusal,
} from './export/conversation-export.ts';
export { conversationMarkdown, type MarkdownExportInfo } from './export/conversation-markdown.ts';
export { type ImageHeader, readImageHeader } from './images/image-header.ts';
export {
  IMAGE_MEDIA_TYPES,
  type ImageAttachment,
  imageAttachmentSchema,
  MAX_IMAGE_BYTES,
  MAX_IMAGE_SIDE,
  MAX_IMAGES_PER_MESSAGE,
} from './images/image-limits.ts';
export { type ImageVerdict, judgeImage } from './images/judge-image.ts';
export { inertConversationMachine } from './inert-conversation-machine.ts';
export { contextChanges } from './inspection/context-changes.ts';
export { entrySummary, oneLine } from './inspection/entry-summary.ts';
export { eventRows } from './inspection/event-rows.ts';
export type {
  ContextChange,
  EventRow,
  InspectedActor,
  InspectedPoint,
  MachineGraph,
} from './inspection/inspection-types.ts';
export {
  createLogInspection,
  INSPECTION_CHECKPOINT_EVERY,
  type LogInspection,
} from './inspection/log-inspection.ts';
export { machineGraph } from './inspection/machine-graph.ts';
export { type LogEntry, logEntrySchema } from './log-entry.ts';
export { policyRuleText } from './policy-rule-text.ts';
export {
  type CheckpointMessage,
  checkpointMessageSchema,
  checkpointSnapshotSchema,
} from './protocol/checkpoint-message.ts';
export {
  type ClientMessage,
  type CommandInput,
  clientMessageSchema,
  commandInputSchema,
  conversationIdSchema,
  MAX_CLIENT_MESSAGE_BYTES,
  MAX_SEARCH_QUERY,
} from './protocol/client-message.ts';
export {
  grantNewsSchemas,
  grantRequestSchemas,
  type ToolGrantInfo,
  toolGrantInfoSchema,
} from './protocol/grant-messages.ts';
export { readServerMessage } from './protocol/read-server-message.ts';
export {
  type ClaudeStatus,
  type ConversationSummary,
  claudeOptionsSchema,
  type ErrorCode,
  MAX_SEARCH_RESULTS,
  MCP_STDERR_TAIL,
  type McpServerState,
  type McpServerStatus,
  PROTOCOL_VERSION,
  type SearchResult,
  type SearchSnippet,
  type ServerMessage,
  type ServerMessageVersions,
  serverMessageSchema,
  serverMessageVersionsSchema,
  type ToolInfo,
} from './protocol/server-message.ts';
export {
  type Compatibility,
  compatibility,
  PAGE_VERSIONS,
  type VersionMismatchReason,
  type Versions,
} from './protocol/version-compatibility.ts';
export { type ConversationSnapshot, createReplayer, ReplayError, replay } from './replay.ts';
export { restartInterruption } from './restart-interruption.ts';
export { resumableSnapshot } from './resumable-snapshot.ts';
export {
  isCount,
  isStreamedEntry,
  isStreamedEvent,
  STREAMED_EVENT_TYPES,
  type StreamedEvent,
} from './streamed-event-check.ts';
export {
  completeToolUses,
  currentAssistantItem,
  currentToolRun,
  effectiveToolInput,
  findToolCall,
  pendingToolCalls,
} from './timeline-queries.ts';
export { toClaudeMessages } from './to-claude-messages.ts';
export { toolResultFor } from './tool-result-for.ts';
export { UPCASTERS, type Upcaster, type UpcasterTable, upcast } from './upcast.ts';
