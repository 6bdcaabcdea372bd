export const GROUPS = ['admin', 'manager', 'rep', 'marketer', 'agent'] as const;
export type Group = (typeof GROUPS)[number];

/**
 * Who is calling: the identity every use case decides access on. The HTTP kit builds it from the
 * JWT claims the authorizer verified (shared/http/caller.ts); the core never sees the token.
 */
export interface Caller {
  userId: string;
  tenantId: string;
  groups: Group[];
  /** The sales team the user works in (reps) or leads (managers); absent when they have none. */
  teamId?: string;
}

export function hasAnyGroup(caller: Caller, ...groups: Group[]): boolean {
  return caller.groups.some((g) => groups.includes(g));
}
