import type { InspectionEvent } from 'xstate';

/**
 * One inspection event as one JSON line of DATA_DIR/inspect.jsonl: what it is, which actor, when,
 * and what matters of it (the event and its sender, the state reached, the transitions taken).
 */
export function traceLine(event: InspectionEvent, at: number): string {
  const line: Record<string, unknown> = {
    type: event.type,
    actor: event.actorRef.sessionId,
    at,
  };
  if (event.type === '@xstate.event') {
    line.event = event.event;
    line.source = event.sourceRef?.sessionId ?? null;
  }
  if (event.type === '@xstate.snapshot') {
    const snapshot = event.snapshot as { value?: unknown; status?: string };
    line.value = snapshot.value ?? null;
    line.status = snapshot.status ?? null;
  }
  if (event.type === '@xstate.microstep') {
    line.transitions = event._transitions.map((t) => ({
      source: t.source.key,
      targets: (t.target ?? []).map((node) => node.key),
      event: t.eventType,
    }));
  }
  return `${JSON.stringify(line)}\n`;
}
