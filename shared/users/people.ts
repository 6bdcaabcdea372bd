import { clock } from '../clock';
import type { Person } from './user-repository';

/** How long a container trusts the directory it read: names and deactivations reach every function within this. */
export const PEOPLE_TTL_MS = 30_000;
/** Tenants a container keeps at most; past it the copies start over (a container serves a few). */
const MAX_TENANTS = 1_000;

interface TenantPeople {
  loadedAtMs: number;
  byId: Map<string, Person>;
  /** Ids this copy was asked for and did not hold even freshly read: no reload for them until it expires. */
  absent: Set<string>;
}

/**
 * Each container's copy of its tenants' directories, for what every response shows next to a
 * person's id (their name) and for refusing deactivated users' tokens: one Query per tenant and
 * container every 30 seconds instead of a read per request. An id the copy lacks (a user invited
 * a moment ago) reads the directory again, once per id: ids the directory does not know (system
 * actors, users never described) are remembered as absent. Concurrent requests share one read.
 */
export class PeopleCache {
  private readonly tenants = new Map<string, TenantPeople>();
  private readonly loading = new Map<string, Promise<TenantPeople>>();

  constructor(private readonly load: (tenantId: string) => Promise<Person[]>) {}

  /** The people of the tenant, holding each of `ids` the directory has. */
  async lookup(tenantId: string, ids: Iterable<string>): Promise<ReadonlyMap<string, Person>> {
    const wanted = [...ids];
    let people = this.tenants.get(tenantId);
    const stale = !people || clock.nowMs() - people.loadedAtMs >= PEOPLE_TTL_MS;
    const unknown = (p: TenantPeople) => wanted.filter((id) => !p.byId.has(id) && !p.absent.has(id));
    if (stale || unknown(people!).length > 0) {
      people = await this.reload(tenantId, stale ? undefined : people);
      for (const id of unknown(people)) people.absent.add(id);
    }
    return people!.byId;
  }

  /** A fresh copy; one renewed for an unknown id keeps the ids already known to be absent. */
  private reload(tenantId: string, previous?: TenantPeople): Promise<TenantPeople> {
    const running = this.loading.get(tenantId);
    if (running) return running;
    const started = clock.nowMs();
    const next = this.load(tenantId)
      .then((list) => {
        const byId = new Map(list.map((p) => [p.userId, p]));
        const absent = new Set([...(previous?.absent ?? [])].filter((id) => !byId.has(id)));
        const people = { loadedAtMs: previous?.loadedAtMs ?? started, byId, absent };
        if (this.tenants.size >= MAX_TENANTS && !this.tenants.has(tenantId)) this.tenants.clear();
        this.tenants.set(tenantId, people);
        return people;
      })
      .finally(() => this.loading.delete(tenantId));
    this.loading.set(tenantId, next);
    return next;
  }
}
