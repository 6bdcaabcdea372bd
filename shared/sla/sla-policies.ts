import * as z from 'zod/mini';
import type { Caller } from '../access/caller';
import { hasAnyGroup } from '../access/caller';
import { SLA_POLICY_ID_PATTERN, USER_ID_PATTERN } from '../id-formats';
import { type SlaPolicy, slaPolicySchema } from './sla-policy';
import type { StoredSlaPolicy } from './case-sla';

/**
 * SLA policies as a resource (docs/service.md, "SLA policies"): `PUT /sla-policies/{policyId}` with the
 * cases each applies to. Pure: the body, who may write and read, which policy a case gets, the view.
 */

/** The policy every case gets unless another lists its category. */
export const DEFAULT_SLA_POLICY_ID = 'default';
/** Policies per tenant: a case write reads them all in one Query, so they stay few. */
export const MAX_SLA_POLICIES = 50;
const MAX_CATEGORIES = 100;
const MAX_ESCALATE_TO = 20;

export const SLA_POLICY_ID = SLA_POLICY_ID_PATTERN;
const category = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'Expected a case category such as billing (a-z, 0-9, -)'));
const userId = z.string().check(z.regex(USER_ID_PATTERN, 'Expected a user id'));

/** The body of `PUT /sla-policies/{policyId}`: the policy, the case categories it is for, whom a warning or breach is mailed to. */
export const slaPolicyInput = z.extend(slaPolicySchema, {
  /** Cases of these categories get this policy; `default` takes every other case (and may list none). */
  categories: z._default(z.array(category).check(z.maxLength(MAX_CATEGORIES)), []),
  /** Users mailed on a warning or breach; empty: the assignee's manager, else the tenant's managers. */
  escalateTo: z._default(z.array(userId).check(z.maxLength(MAX_ESCALATE_TO)), []),
});
export type SlaPolicyInput = z.output<typeof slaPolicyInput>;

export interface SlaPolicyRecord extends SlaPolicy {
  id: string;
  tenantId: string;
  categories: string[];
  escalateTo: string[];
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  version: number;
}

/** Admins and managers set policies; everyone who works cases reads them. */
export const writesSlaPolicies = (caller: Caller) => hasAnyGroup(caller, 'admin', 'manager');
export const readsSlaPolicies = (caller: Caller) => hasAnyGroup(caller, 'admin', 'manager', 'agent');

/** The policy for a case: the one listing its category, else `default`, else none. Ties (only a race of two PUTs makes one) go to the smallest id. */
export function policyForCategory<P extends Pick<SlaPolicyRecord, 'id' | 'categories'>>(policies: readonly P[], category: string): P | null {
  const sorted = [...policies].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return sorted.find((p) => p.categories.includes(category)) ?? sorted.find((p) => p.id === DEFAULT_SLA_POLICY_ID) ?? null;
}

/** Another policy that already lists one of these categories, as field errors of the body. */
export function categoryClashes(policies: readonly Pick<SlaPolicyRecord, 'id' | 'categories'>[], id: string, categories: readonly string[]): { path: string; message: string }[] {
  return categories.flatMap((c, i) => {
    const other = policies.find((p) => p.id !== id && p.categories.includes(c));
    return other ? [{ path: `categories.${i}`, message: `Policy ${other.id} is already for ${c}: a category has one policy` }] : [];
  });
}

export const asStoredPolicy = (p: SlaPolicyRecord): StoredSlaPolicy => ({ id: p.id, version: p.version, policy: p });

export function slaPolicyView(p: SlaPolicyRecord) {
  return {
    id: p.id,
    name: p.name,
    calendar: p.calendar,
    targets: p.targets,
    levelOverrides: p.levelOverrides,
    warningPercentUsed: p.warningPercentUsed,
    categories: p.categories,
    escalateTo: p.escalateTo,
    createdAt: p.createdAt,
    createdBy: p.createdBy,
    updatedAt: p.updatedAt,
    updatedBy: p.updatedBy,
    version: p.version,
  };
}
