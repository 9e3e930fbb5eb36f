import type { Owner } from '../store/conversation-index.ts';

/**
 * Someone a trusted proxy vouched for (TRUSTED_USER_HEADER): the name it sent. Null wherever a
 * person is expected means the single owner of a Tollgate without people (docs/access.md).
 */
export interface Person {
  name: string;
}

/** Whose conversations a person sees: their own by name; the single owner's are null. */
export function ownerOf(person: Person | null): Owner {
  return person?.name ?? null;
}
