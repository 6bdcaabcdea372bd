import type { Caller } from '../access/caller';
import { clock } from '../clock';
import { Forbidden, NotFound, StaleVersion, ValidationFailed } from '../errors';
import { type DirectoryUser, isActiveUser } from '../users/user';
import { categoryClashes, MAX_SLA_POLICIES, readsSlaPolicies, SLA_POLICY_ID, type SlaPolicyInput, type SlaPolicyRecord, writesSlaPolicies } from './sla-policies';
import type { SlaPolicyRepository } from './sla-policy-repository';

/** What the SLA policy routes read and write. */
export interface SlaPolicyDeps {
  policies: Pick<SlaPolicyRepository, 'list' | 'put'>;
  users: { get(tenantId: string, userId: string): Promise<Pick<DirectoryUser, 'status'> | undefined> };
}

export class SlaPolicyNotFound extends NotFound {
  constructor(id: string) {
    super(`SLA policy ${id} not found`);
  }
}

function checkId(id: string): void {
  if (!SLA_POLICY_ID.test(id)) throw new ValidationFailed([{ path: 'path.policyId', message: 'Expected a policy id such as default or billing (a-z, 0-9, -; up to 64)' }]);
}

/**
 * PUT /sla-policies/{policyId}: creates (201) or replaces (200) a policy. With If-Match only over that
 * version; without it, over the version read. Two writers of one policy: one wins, the other 412.
 */
export async function putSlaPolicy(deps: SlaPolicyDeps, caller: Caller, id: string, input: SlaPolicyInput, expectedVersion: number | undefined): Promise<{ policy: SlaPolicyRecord; created: boolean }> {
  if (!writesSlaPolicies(caller)) throw new Forbidden('Only admins and managers set SLA policies');
  checkId(id);
  const all = await deps.policies.list(caller.tenantId);
  const existing = all.find((p) => p.id === id);
  if (expectedVersion !== undefined && (existing?.version ?? 0) !== expectedVersion) throw new StaleVersion('SLA policy', existing?.version ?? 0);
  const errors = categoryClashes(all, id, input.categories);
  if (!existing && all.length >= MAX_SLA_POLICIES) errors.push({ path: 'path.policyId', message: `A tenant has at most ${MAX_SLA_POLICIES} SLA policies` });
  const users = await Promise.all(input.escalateTo.map((userId) => deps.users.get(caller.tenantId, userId)));
  users.forEach((user, i) => {
    if (!user || !isActiveUser(user)) errors.push({ path: `escalateTo.${i}`, message: 'Not an active user of this tenant (see GET /users)' });
  });
  if (errors.length) throw new ValidationFailed(errors);
  const now = clock.nowIso();
  const policy: SlaPolicyRecord = {
    ...input,
    categories: [...new Set(input.categories)],
    escalateTo: [...new Set(input.escalateTo)],
    id,
    tenantId: caller.tenantId,
    createdAt: existing?.createdAt ?? now,
    createdBy: existing?.createdBy ?? caller.userId,
    updatedAt: now,
    updatedBy: caller.userId,
    version: (existing?.version ?? 0) + 1,
  };
  if (!(await deps.policies.put(policy, existing?.version ?? 0))) {
    const current = (await deps.policies.list(caller.tenantId)).find((p) => p.id === id);
    throw new StaleVersion('SLA policy', current?.version ?? 0);
  }
  return { policy, created: !existing };
}

/** GET /sla-policies: every policy of the tenant, by id. */
export async function listSlaPolicies(deps: Pick<SlaPolicyDeps, 'policies'>, caller: Caller): Promise<SlaPolicyRecord[]> {
  if (!readsSlaPolicies(caller)) throw new Forbidden('Only service staff read SLA policies');
  return deps.policies.list(caller.tenantId);
}

/** GET /sla-policies/{policyId}. */
export async function getSlaPolicy(deps: Pick<SlaPolicyDeps, 'policies'>, caller: Caller, id: string): Promise<SlaPolicyRecord> {
  if (!readsSlaPolicies(caller)) throw new Forbidden('Only service staff read SLA policies');
  const found = (await deps.policies.list(caller.tenantId)).find((p) => p.id === id);
  if (!found) throw new SlaPolicyNotFound(id);
  return found;
}
