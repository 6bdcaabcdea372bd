import * as z from 'zod/mini';
import type { Caller } from '../access/caller';
import { email } from '../customers/fields';
import { Forbidden } from '../errors';

/**
 * The tenant's suppression list (docs/marketing.md): addresses no marketing mail may go to,
 * whatever consent says. SES suppresses bounces and complaints account-wide too, but a tenant
 * must see and manage its own list, and a campaign must skip those addresses before it sends.
 */
export const SUPPRESSION_REASONS = ['hard-bounce', 'complaint', 'manual'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

export interface Suppression {
  /** SHA-256 of the normalized address: the key, which outlives the address (erasure). */
  addressHash: string;
  /** The address; null once the customer who had it was erased (docs/privacy.md). */
  email: string | null;
  reason: SuppressionReason;
  at: string;
  /** The SES message that bounced or was complained about; the user who added it by hand. */
  messageId: string | null;
  addedBy: string | null;
  note: string | null;
}

export const addSuppressionInput = z.strictObject({
  email,
  note: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(500))),
});
export type AddSuppressionInput = z.output<typeof addSuppressionInput>;

export const SUPPRESSION_PAGE_SIZE = { default: 50, max: 100 } as const;

export { addressHash } from './suppression-key';

/** Marketers and admins read and add; only admins remove (a removal lets mail go to the address again). */
export function assertCanManageSuppressions(caller: Caller, action: 'read' | 'add' | 'remove'): void {
  const allowed = action === 'remove' ? ['admin'] : ['admin', 'marketer'];
  if (!caller.groups.some((g) => allowed.includes(g))) {
    throw new Forbidden(action === 'remove' ? 'Only admins remove suppressions' : 'Only marketers and admins use the suppression list');
  }
}

export function suppressionView(s: Suppression) {
  return { email: s.email, erased: s.email === null, reason: s.reason, at: s.at, messageId: s.messageId, addedBy: s.addedBy, note: s.note };
}
