import { clock } from '../clock';
import type { StoredSlaPolicy } from './case-sla';
import { asStoredPolicy, policyForCategory, type SlaPolicyRecord } from './sla-policies';

/** How long a container trusts its copy of a tenant's policies: a PUT reaches every case write within this. */
export const SLA_POLICY_CACHE_MS = 30_000;
const MAX_TENANTS = 1_000;

/**
 * A tenant's SLA policies as a case write needs them, read once per container and tenant and kept
 * for SLA_POLICY_CACHE_MS (like the directory copy): a case write costs no extra read while warm.
 */
export class SlaPolicyCache {
  private readonly copies = new Map<string, { readAt: number; policies: SlaPolicyRecord[] }>();

  constructor(private readonly source: { list(tenantId: string): Promise<SlaPolicyRecord[]> }) {}

  async forCategory(tenantId: string, category: string): Promise<StoredSlaPolicy | null> {
    const found = policyForCategory(await this.policies(tenantId), category);
    return found ? asStoredPolicy(found) : null;
  }

  /** The record itself (escalation targets); same copy. */
  async recordFor(tenantId: string, policyId: string): Promise<SlaPolicyRecord | undefined> {
    return (await this.policies(tenantId)).find((p) => p.id === policyId);
  }

  private async policies(tenantId: string): Promise<SlaPolicyRecord[]> {
    const now = clock.nowMs();
    const copy = this.copies.get(tenantId);
    if (copy && now - copy.readAt < SLA_POLICY_CACHE_MS && now >= copy.readAt) return copy.policies;
    const policies = await this.source.list(tenantId);
    if (this.copies.size >= MAX_TENANTS) this.copies.clear();
    this.copies.set(tenantId, { readAt: now, policies });
    return policies;
  }
}
