import * as z from 'zod/mini';
import type { Caller } from '../http/caller';

/** Request body of POST /customers (the customers issue widens it; unknown fields are rejected by name). */
export const createCustomerInput = z.strictObject({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  email: z.email().check(z.maxLength(254)),
  consent: z.optional(z.strictObject({ marketing: z.optional(z.boolean()) })),
});
export type CreateCustomerInput = z.output<typeof createCustomerInput>;

export interface ConsentRecord {
  granted: boolean;
  at: string;
  source: string;
}

export interface Customer {
  id: string;
  tenantId: string;
  name: string;
  email: string;
  ownerId: string | null;
  consent: { marketing: ConsentRecord };
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  version: number;
}

/** Emails compare case-insensitively in practice; the guard and lookups use this form. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function newCustomer(input: CreateCustomerInput, caller: Caller, id: string, nowIso: string): Customer {
  return {
    id,
    tenantId: caller.tenantId,
    name: input.name,
    email: normalizeEmail(input.email),
    // The rep who enters a customer owns it; managers and admins enter for the pool (the pool issue routes it).
    ownerId: caller.groups.includes('rep') ? caller.userId : null,
    consent: { marketing: { granted: input.consent?.marketing ?? false, at: nowIso, source: 'api' } },
    createdAt: nowIso,
    createdBy: caller.userId,
    updatedAt: nowIso,
    updatedBy: caller.userId,
    version: 1,
  };
}

/**
 * Who may read a customer. Tenant isolation is already given by the keys; inside the tenant a rep
 * sees the customers they own, the other roles see the tenant's customers (pools and teams narrow
 * this in later issues).
 */
export function canRead(caller: Caller, customer: Customer): boolean {
  if (caller.tenantId !== customer.tenantId) return false;
  if (caller.groups.some((g) => g === 'admin' || g === 'manager' || g === 'marketer' || g === 'agent')) return true;
  return caller.groups.includes('rep') && customer.ownerId === caller.userId;
}

/** The public representation: no keys, no index attributes. */
export function customerView(customer: Customer) {
  return {
    id: customer.id,
    name: customer.name,
    email: customer.email,
    ownerId: customer.ownerId,
    consent: { marketing: customer.consent.marketing.granted },
    createdAt: customer.createdAt,
    updatedAt: customer.updatedAt,
    version: customer.version,
  };
}
