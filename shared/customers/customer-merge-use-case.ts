import { customerMergedV1 } from '../../events/customer-merged.v1';
import type { Caller } from '../access/caller';
import { clock } from '../clock';
import { CustomerNotFound, Forbidden, MergeConflict, StaleVersion } from '../errors';
import { newId } from '../ids';
import { newEvent } from '../outbox/outbox';
import { assertLive, canRead, type Customer } from './customer';
import { assertMergeable, assertNotSelfMerge, canMerge, guardPlan, mergeEntries, type MergeCustomersInput, mergeProfiles } from './customer-merge';
import type { CustomerMergeRepository } from './customer-merge-repository';
import type { CustomerRepository } from './customer-repository';
import { getCustomer } from './customer-use-cases';

interface Repositories {
  customers: CustomerRepository;
  merges: CustomerMergeRepository;
}

/** Step 1 is re-read and recomputed this often when another writer changed one of the customers meanwhile. */
const MAX_COMMIT_ATTEMPTS = 3;

export interface MergeResult {
  survivor: Customer;
  /** Records moved from the source partition by this request (step 2). */
  movedRecords: number;
}

/**
 * POST /customers/{id}/merge: `{id}` survives, `sourceId` becomes a tombstone pointing at it.
 *
 * Step 1 commits the tombstone, the merged survivor, the re-pointed guards, both merge entries and
 * `crm.customer.merged.v1` in one transaction; step 2 moves the source's records. A request that
 * finds the source already merged into this survivor (a retry, or a step 2 cut short) skips step 1
 * and finishes step 2. A source merged into another customer answers 409 `merge-conflict`, whether
 * that merge won a race against this one or happened long before (docs/decisions.md).
 *
 * The expected version is optional (If-Match); when sent it must name the survivor's current version (412 otherwise),
 * except on a resumed merge, whose survivor has moved on by the merge itself.
 */
export async function mergeCustomers(
  repos: Repositories,
  caller: Caller,
  survivorId: string,
  input: MergeCustomersInput,
  expectedVersion: number | undefined,
  correlationId: string,
): Promise<MergeResult> {
  assertNotSelfMerge(survivorId, input);

  for (let attempt = 1; ; attempt++) {
    const survivor = await getCustomer(repos.customers, caller, survivorId);
    const source = await repos.customers.get(caller.tenantId, input.sourceId);
    if (!source) throw new CustomerNotFound(input.sourceId);

    if (source.mergedInto === survivor.id) {
      if (!canRead(caller, source)) throw new CustomerNotFound(input.sourceId);
      if (!canMerge(caller, survivor, source)) throw new Forbidden('Only an admin, a manager or a rep who owns both customers may merge them');
      const movedRecords = await repos.merges.moveRecords(caller.tenantId, source.id, survivor.id);
      return { survivor, movedRecords };
    }
    if (source.mergedInto) {
      throw new MergeConflict(`Customer ${source.id} was already merged into another customer, ${source.mergedInto}`, source.mergedInto);
    }
    assertLive(source);
    if (!canRead(caller, source)) throw new CustomerNotFound(input.sourceId);
    assertMergeable(caller, survivor, source);
    if (expectedVersion !== undefined && survivor.version !== expectedVersion) throw new StaleVersion('customer', survivor.version);

    const now = clock.nowIso();
    const { merged, changed } = mergeProfiles(survivor, source, caller, now);
    const guards = guardPlan(source, merged);
    const detail = newEvent(customerMergedV1, { tenantId: caller.tenantId, actor: { type: 'user', id: caller.userId }, correlationId }, {
      survivorId: survivor.id,
      sourceId: source.id,
      version: merged.version,
      changedFields: changed,
      movedGuards: guards.move.length,
      releasedFields: [...new Set(guards.release.map((u) => u.field))],
    });
    const outcome = await repos.merges.commit({
      survivor,
      source,
      merged,
      guards,
      entries: mergeEntries(survivor, source, caller, { survivor: newId(), source: newId() }, now),
      event: { detailType: customerMergedV1.detailType, detail },
    });
    if (outcome === 'committed') {
      const movedRecords = await repos.merges.moveRecords(caller.tenantId, source.id, survivor.id);
      return { survivor: merged, movedRecords };
    }
    if (attempt >= MAX_COMMIT_ATTEMPTS) {
      throw new MergeConflict('The customers kept changing while the merge was written; read them again and retry');
    }
  }
}
