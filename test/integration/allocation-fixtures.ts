import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { keys } from '../../shared/keys';
import { call, newTenant, rawTable as db, settle, stack, tokenFor } from './client';

/** Pools, pooled customers and counters for the allocation tests (allocation.test.ts, pool-claim.test.ts). */

export interface Customer {
  id: string;
  ownerId: string | null;
  teamId: string | null;
  poolId: string | null;
  locked: boolean;
  version: number;
}
export interface Problem {
  type: string;
  status: number;
  limit?: number;
  used?: number;
  owned?: number;
  until?: string;
  resetsAt?: string;
  errors?: { path: string }[];
}
export interface HistoryEntry {
  from: string | null;
  to: string | null;
  reason: string;
  poolId: string | null;
  note: string | null;
  actor: { id: string };
}
export interface BusRecord {
  event: { 'detail-type': string; detail: { data: { customerId: string; fromOwnerId: string | null; toOwnerId: string | null; poolId: string | null } } };
}

export const LIMITS = { perRequest: 1, perRepPerDay: 100, maxOwnedPerRep: 100, maxLockedPerRep: 10 };
export const policy = (limits: Partial<typeof LIMITS> = {}, cooldownDays = 0) => ({
  rules: { noFollowUpDays: 30 },
  warningDaysBefore: 3,
  claimLimits: { ...LIMITS, ...limits },
  reclaimCooldownDays: cooldownDays,
});

export type Op = 'claim' | 'release' | 'assign' | 'lock' | 'unlock';
export const op = (token: string, id: string, what: Op, body?: Record<string, unknown>) =>
  call<Customer & Problem>('POST', `/customers/${id}/${what}`, { token, ...(body ? { body } : {}) });

export async function setup() {
  const tenant = newTenant();
  const admin = await tokenFor(tenant, 'admin-1', ['admin']);
  // Creates and releases the pools' customers, so no claimer is its previous owner.
  const seeder = await tokenFor(tenant, 'seeder', ['rep']);
  return { tenant, admin, seeder, rep: (id: string, teamId?: string) => tokenFor(tenant, id, ['rep'], teamId) };
}

export async function createPool(admin: string, body: Record<string, unknown>): Promise<string> {
  const res = await call<{ id: string }>('POST', '/pools', { token: admin, body: { members: { users: [], groups: ['rep'] }, policy: policy(), ...body } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

/** A customer the seeder created and released into `poolId`. */
export async function pooled(seeder: string, poolId: string, extra: Record<string, unknown> = {}): Promise<string> {
  const created = await call<Customer>('POST', '/customers', { token: seeder, body: { name: 'Pooled Ltd', kind: 'company', ...extra } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const released = await op(seeder, created.body.id, 'release', { reason: 'Not my territory', poolId });
  expect(released.status, JSON.stringify(released.body)).toBe(200);
  return created.body.id;
}

export const item = async (key: { PK: string; SK: string }) =>
  (await db().send(new GetCommand({ TableName: stack().tableName, Key: key, ConsistentRead: true }))).Item;
export const book = async (tenant: string, userId: string) => {
  const found = await item(keys.userBookCounters(tenant, userId));
  return { owned: found?.owned ?? 0, locked: found?.locked ?? 0 };
};
export const history = async (token: string, id: string) =>
  (await call<{ ownershipHistory: HistoryEntry[] }>('GET', `/customers/${id}/360`, { token })).body.ownershipHistory;
export async function events(detailType: string, customerId: string) {
  await settle();
  const { body } = await call<{ events: BusRecord[] }>('GET', `/_local/events?detailType=${detailType}`);
  return body.events.filter((e) => e.event.detail.data?.customerId === customerId).map((e) => e.event.detail.data);
}
export const statuses = (results: { status: number }[]) => results.map((r) => r.status).reduce<Record<number, number>>((n, s) => ({ ...n, [s]: (n[s] ?? 0) + 1 }), {});
