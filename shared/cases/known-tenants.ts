/** Whether a tenant exists: it has a user. Known tenants are remembered per container; unknown ones re-asked after a minute. */
export class KnownTenants {
  private readonly known = new Map<string, { exists: boolean; untilMs: number }>();

  constructor(
    private readonly hasUsers: (tenantId: string) => Promise<boolean>,
    private readonly nowMs: () => number,
  ) {}

  async exists(tenantId: string): Promise<boolean> {
    const cached = this.known.get(tenantId);
    if (cached && cached.untilMs > this.nowMs()) return cached.exists;
    const exists = await this.hasUsers(tenantId);
    if (this.known.size > 10_000) this.known.clear();
    this.known.set(tenantId, { exists, untilMs: this.nowMs() + (exists ? 3_600_000 : 60_000) });
    return exists;
  }
}
