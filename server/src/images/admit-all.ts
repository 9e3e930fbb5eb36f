import type { CommandEvent, CommandRejection } from '@tollgate/machines';

type Admit = (command: CommandEvent) => CommandRejection | null | Promise<CommandRejection | null>;

/** One `admit` of several: the first refusal, in order, or null when each lets the command in. */
export function admitAll(...admits: Admit[]) {
  return async (command: CommandEvent): Promise<CommandRejection | null> => {
    for (const admit of admits) {
      const rejection = await admit(command);
      if (rejection) return rejection;
    }
    return null;
  };
}
