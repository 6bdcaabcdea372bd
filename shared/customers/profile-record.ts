import type { Customer } from './customer';

/**
 * A profile item as the Customer record: which attributes make it and what older items lack.
 * Its own module, free of the customer schemas and writers, so read-only senders load only this.
 */
const PROFILE_ATTRIBUTES = [
  'id', 'tenantId', 'kind', 'name', 'emails', 'phones', 'website', 'domain', 'address', 'industry', 'region', 'level',
  'lifecycleStage', 'source', 'tags', 'ownerId', 'teamId', 'consent', 'customFields', 'lastFollowUpAt', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy', 'version',
  'mergedInto', 'erasedAt',
  'poolId', 'homePoolId', 'assignedAt', 'locked', 'previousOwnerId', 'releasedAt', 'reclaimCheckAt', 'warnedCycle',
  'openDeals', 'lastOpenDealAt', 'lastWonDealAt', 'lastPurchaseAt',
] as const satisfies readonly (keyof Customer)[];

export const PROFILE_PROJECTION = {
  ProjectionExpression: PROFILE_ATTRIBUTES.map((_, i) => `#p${i}`).join(', '),
  ExpressionAttributeNames: Object.fromEntries(PROFILE_ATTRIBUTES.map((a, i) => [`#p${i}`, a])),
};

/** Attributes a profile written by an older version may lack. */
const DEFAULTS: Partial<Record<keyof Customer, unknown>> = { kind: 'person', emails: [], phones: [], tags: [], consent: {}, customFields: {}, lifecycleStage: 'lead', locked: false, openDeals: 0 };

export function toCustomer(item: Record<string, unknown>): Customer {
  return Object.fromEntries(PROFILE_ATTRIBUTES.map((a) => [a, item[a] ?? DEFAULTS[a] ?? null])) as unknown as Customer;
}
