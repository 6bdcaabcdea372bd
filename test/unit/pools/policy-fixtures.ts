import { type ReclaimFacts, type ReclaimPolicy, type ReclaimPolicyInput, reclaimPolicySchema } from '../../../shared/pools/reclaim-policy';

/** A valid policy input; tests override the parts they are about. */
export const policyInput = (overrides: Partial<ReclaimPolicyInput> = {}): ReclaimPolicyInput => ({
  rules: { noFollowUpDays: 30 },
  warningDaysBefore: 3,
  claimLimits: { perRequest: 5, perRepPerDay: 20, maxOwnedPerRep: 200, maxLockedPerRep: 10 },
  reclaimCooldownDays: 7,
  ...overrides,
});

export const policy = (overrides: Partial<ReclaimPolicyInput> = {}): ReclaimPolicy => reclaimPolicySchema.parse(policyInput(overrides));

/** An owned, unlocked lead assigned on 1 March 2026 at 09:00 UTC, never followed up. */
export const facts = (overrides: Partial<ReclaimFacts> = {}): ReclaimFacts => ({
  ownerId: 'rep-1',
  assignedAt: '2026-03-01T09:00:00.000Z',
  lastFollowUpAt: null,
  level: null,
  locked: false,
  lifecycleStage: 'lead',
  ...overrides,
});
