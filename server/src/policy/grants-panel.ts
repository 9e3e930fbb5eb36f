import type { CommandInput, ToolGrantInfo } from '@tollgate/machines';
import type { Owner } from '../store/conversation-index.ts';
import type { ToolGrants } from '../store/tool-grants.ts';

export interface GrantsPanelDeps {
  grants: ToolGrants;
  /**
   * The conversation as the registry reaches it, on whichever instance owns it: a command sent
   * there is decided, appended and applied like any other.
   */
  conversation(
    conversationId: string,
  ): Promise<{ command(input: CommandInput): Promise<{ status: string }> } | null>;
  /** Every tab of the person (on this instance) gets their grants anew. */
  announce(owner: Owner): Promise<void>;
  newCommandId(): string;
}

/**
 * The Policies panel's side of the server (docs/policies.md): every grant of a person, "Always
 * allow everywhere" and the "Always allow"s of their conversations, newest first; and the revoke
 * of any of them. A grant everywhere is removed from the store; a conversation's is revoked by a
 * `policy.revoke` command to that conversation, so its log, its context and every tab agree.
 */
export function createGrantsPanel(deps: GrantsPanelDeps) {
  async function list(owner: Owner): Promise<ToolGrantInfo[]> {
    const everywhere = (await deps.grants.list(owner)).map(
      ({ owner: _owner, ...grant }): ToolGrantInfo => ({ ...grant, scope: 'everywhere' }),
    );
    const inConversations = (await deps.grants.listInConversations(owner)).map(
      (grant): ToolGrantInfo => ({ ...grant, scope: 'conversation' }),
    );
    // Both scopes together; the sort is stable, so equal times keep each list's order.
    return [...everywhere, ...inConversations].sort((a, b) => b.grantedAt - a.grantedAt);
  }

  /** False when the person has no grant by that id (or its conversation refused the revoke). */
  async function revoke(owner: Owner, grantId: string): Promise<boolean> {
    if ((await deps.grants.revoke(owner, grantId)) !== null) {
      await deps.announce(owner);
      return true;
    }
    const grant = (await deps.grants.listInConversations(owner)).find(
      (kept) => kept.id === grantId,
    );
    const conversation = grant ? await deps.conversation(grant.conversationId) : null;
    if (!grant || !conversation) return false;
    const outcome = await conversation.command({
      type: 'policy.revoke',
      commandId: deps.newCommandId(),
      toolName: grant.toolName,
    });
    if (outcome.status === 'rejected') return false;
    await deps.announce(owner);
    return true;
  }

  return { list, revoke };
}
