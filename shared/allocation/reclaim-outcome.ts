/** What the sweep did with one due customer; the digest step counts and mails these. */
export const SWEEP_OUTCOMES = ['reclaimed', 'warned', 'rescheduled', 'exempt', 'no-pool', 'skipped-race', 'failed'] as const;
export type SweepOutcomeKind = (typeof SWEEP_OUTCOMES)[number];

/** One customer's result; the digest needs owner, name and date of the reclaimed and warned ones. */
export interface SweepOutcome {
  tenantId: string;
  customerId: string;
  outcome: SweepOutcomeKind;
  ownerId?: string;
  name?: string;
  /** warned: when it will be reclaimed; rescheduled: the current deadline. */
  reclaimAt?: string;
  /** reclaimed: the pool it went to. */
  poolId?: string;
  /** exempt: why (locked, closed-won). */
  reason?: string;
  /** failed: the error's name. */
  error?: string;
}
