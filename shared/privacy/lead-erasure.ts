import type { Caller } from '../access/caller';
import { isAdmin } from '../access/permissions';
import { Forbidden, LeadNotFound } from '../errors';
import { keys } from '../keys';
import type { Lead } from '../leads/lead';

/**
 * Erasure of a lead's personal data (docs/privacy.md, "Leads"), the rules without I/O; the
 * repository (lead-erasure-repository.ts) applies them. As for customers, the profile keeps only
 * what is listed here as anonymous; every other item of the lead's partition (its signals: page
 * views, mail opens, form posts) goes.
 */

/**
 * What an erased lead keeps: enough to count leads by channel and status and creation day, to
 * answer 410 and to tell who erased it and when. No name, contact point, company, message, UTM,
 * owner or index key, so it leaves every list and search.
 */
export const LEAD_TOMBSTONE_ATTRIBUTES = ['PK', 'SK', 'entity', 'id', 'tenantId', 'channel', 'status', 'createdAt', 'version', 'erasedAt', 'erasedBy'] as const;

/** A lead as stored may carry `erasedAt` (its tombstone). */
export type StoredLead = Lead & { erasedAt?: string; erasedBy?: string };

/** Admins handle privacy requests; a lead the caller's tenant has not is a 404, as for any lead. */
export function authorizeLeadPrivacy(caller: Caller, lead: StoredLead | undefined, leadId: string): StoredLead {
  if (!lead) throw new LeadNotFound(leadId);
  if (!isAdmin(caller)) throw new Forbidden('Only an admin handles privacy requests');
  return lead;
}

export function erasedLeadItem(lead: StoredLead, caller: Pick<Caller, 'userId'>, erasedAt: string): Record<string, unknown> {
  const item: Record<string, unknown> = { ...keys.lead(lead.tenantId, lead.id), entity: 'Lead', ...lead, erasedAt, erasedBy: caller.userId, version: lead.version + 1 };
  return Object.fromEntries(Object.entries(item).filter(([name]) => (LEAD_TOMBSTONE_ATTRIBUTES as readonly string[]).includes(name)));
}

/** The lead's guards (email, phone) its tombstone gives back, so the values may be captured again at once. */
export const leadGuardValues = (lead: Pick<Lead, 'email' | 'phone'>) => [
  ...(lead.email ? [{ field: 'email' as const, value: lead.email }] : []),
  ...(lead.phone ? [{ field: 'phone' as const, value: lead.phone }] : []),
];
