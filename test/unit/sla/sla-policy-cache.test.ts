import { afterEach, describe, expect, it } from 'vitest';
import { installTimeSource } from '../../../shared/clock';
import type { SlaPolicyRecord } from '../../../shared/sla/sla-policies';
import { SLA_POLICY_CACHE_MS, SlaPolicyCache } from '../../../shared/sla/sla-policy-cache';

afterEach(() => installTimeSource(Date.now));

describe("a container's copy of a tenant's SLA policies", () => {
  it('reads a tenant once per 30 seconds, and each tenant apart', async () => {
    let now = 1_000_000;
    installTimeSource(() => now);
    const reads: string[] = [];
    let policies = [{ id: 'default', version: 1, categories: [] }] as unknown as SlaPolicyRecord[];
    const cache = new SlaPolicyCache({ list: async (tenantId) => (reads.push(tenantId), policies) });

    expect((await cache.forCategory('t1', 'general'))?.version).toBe(1);
    policies = [{ id: 'default', version: 2, categories: [] }] as unknown as SlaPolicyRecord[];
    now += SLA_POLICY_CACHE_MS - 1;
    expect((await cache.forCategory('t1', 'billing'))?.version).toBe(1);
    expect(await cache.recordFor('t1', 'default')).toMatchObject({ version: 1 });
    await cache.forCategory('t2', 'general');
    now += 1;
    expect((await cache.forCategory('t1', 'general'))?.version).toBe(2);
    expect(reads).toEqual(['t1', 't2', 't1']);
  });
});
