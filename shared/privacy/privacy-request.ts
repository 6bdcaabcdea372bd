import * as z from 'zod/mini';
import type { Caller } from '../access/caller';
import { isAdmin } from '../access/permissions';
import { email, phone } from '../customers/fields';
import { Forbidden } from '../errors';

/**
 * Privacy requests by person (docs/privacy.md, "Requests by address"): the rules without I/O. A
 * data subject names an address, not a record; the request finds every record holding it through
 * the guards and the search index, exports or erases them, and is kept as the record of what was
 * done. The record holds kinds and ids only: the address is what the request is about, so keeping
 * it would defeat an erasure.
 */

export const PRIVACY_REQUEST_TYPES = ['export', 'erasure'] as const;
export type PrivacyRequestType = (typeof PRIVACY_REQUEST_TYPES)[number];

export const privacyRequestInput = z
  .strictObject({
    type: z.enum(PRIVACY_REQUEST_TYPES),
    email: z.optional(email),
    phone: z.optional(phone),
  })
  .check(z.refine((v) => v.email !== undefined || v.phone !== undefined, { message: 'Name the person by email or phone (or both)', path: ['email'] }));
export type PrivacyRequestInput = z.output<typeof privacyRequestInput>;

export const PRIVACY_REQUEST_PAGE_SIZE = { default: 50, max: 100 } as const;

/** A record found holding the address. `id` of a suppression entry is its key, the address's hash, which the entry itself keeps anyway. */
export type FoundRecord =
  | { kind: 'customer'; id: string }
  | { kind: 'contact'; id: string; customerId: string }
  | { kind: 'lead'; id: string }
  | { kind: 'suppression'; id: string };
export type FoundKind = FoundRecord['kind'];

export interface PrivacyRequest {
  id: string;
  tenantId: string;
  type: PrivacyRequestType;
  /** `running` until every step of an erasure is done; an export is done when it answers. */
  status: 'running' | 'completed';
  /** Which kinds of address were given, not the values. */
  addressKinds: ('email' | 'phone')[];
  found: FoundRecord[];
  /** Steps finished (`stepKey`), so a re-run skips them. */
  done: string[];
  requestedBy: string;
  requestedAt: string;
  completedAt: string | null;
}

/** Privacy requests are the tenant's (its admin, the privacy officer), not a rep's. */
export function authorizePrivacyRequest(caller: Caller): void {
  if (!isAdmin(caller)) throw new Forbidden('Only an admin handles privacy requests');
}

export const stepKey = (record: FoundRecord): string => (record.kind === 'contact' ? `contact:${record.customerId}:${record.id}` : `${record.kind}:${record.id}`);

/**
 * The order erasure runs in: leads and contacts before customers (a customer's erasure erases its
 * leads too, so a lead step after it finds only a tombstone), the suppression entry last, after
 * every record that could lead back to the address is gone.
 */
const ERASURE_ORDER: Record<FoundKind, number> = { lead: 0, contact: 1, customer: 2, suppression: 3 };

export function pendingSteps(request: Pick<PrivacyRequest, 'found' | 'done'>): FoundRecord[] {
  const done = new Set(request.done);
  return request.found.filter((r) => !done.has(stepKey(r))).sort((a, b) => ERASURE_ORDER[a.kind] - ERASURE_ORDER[b.kind]);
}

/** Found records, each once (an address and a phone may lead to the same record). */
export function uniqueFound(records: readonly FoundRecord[]): FoundRecord[] {
  return [...new Map(records.map((r) => [stepKey(r), r])).values()];
}

/** A contact the search index named still holds the address (the index trails the table by the stream's delay). */
export function contactHolds(contact: Record<string, unknown> | undefined, address: { email?: string; phone?: string }): boolean {
  if (!contact) return false;
  const list = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
  return (
    (address.email !== undefined && list(contact.emails).some((e) => e.trim().toLowerCase() === address.email)) ||
    (address.phone !== undefined && list(contact.phones).includes(address.phone))
  );
}

/** What an export says of the suppression list: only this address's entry, and only whether, since when and why. */
export function suppressionSection(entry: Record<string, unknown> | undefined): { suppressed: boolean; since?: string; reason?: string } {
  if (!entry) return { suppressed: false };
  return { suppressed: true, since: String(entry.at), reason: String(entry.reason) };
}

/**
 * The request as a regulator's record: who asked, when, what kind of request, which kinds of
 * address, what was found (kinds and ids; the suppression entry by kind only, its key being the
 * address's hash) and how far the work got. No personal data.
 */
export function privacyRequestView(request: PrivacyRequest) {
  const done = new Set(request.done);
  const counts = { customers: 0, contacts: 0, leads: 0, suppression: 0 };
  const plural = { customer: 'customers', contact: 'contacts', lead: 'leads', suppression: 'suppression' } as const;
  for (const record of request.found) counts[plural[record.kind]]++;
  return {
    id: request.id,
    type: request.type,
    status: request.status,
    addressKinds: request.addressKinds,
    requestedBy: request.requestedBy,
    requestedAt: request.requestedAt,
    completedAt: request.completedAt,
    found: request.found.map((r) => ({
      kind: r.kind,
      ...(r.kind === 'suppression' ? {} : { id: r.id }),
      ...(r.kind === 'contact' ? { customerId: r.customerId } : {}),
      ...(request.type === 'erasure' ? { done: done.has(stepKey(r)) } : {}),
    })),
    counts,
    steps: request.type === 'erasure' ? { total: request.found.length, done: request.found.filter((r) => done.has(stepKey(r))).length } : null,
  };
}
