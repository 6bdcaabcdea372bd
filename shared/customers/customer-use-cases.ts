import { customerCreatedV1 } from '../../events/customer-created.v1';
import { customerStageChangedV1 } from '../../events/customer-stage-changed.v1';
import { customerUpdatedV1 } from '../../events/customer-updated.v1';
import type { Caller } from '../access/caller';
import { clock } from '../clock';
import type { CustomFieldCatalog } from '../custom-fields/custom-field-repository';
import { checkedCustomFields } from '../custom-fields/custom-field-use-cases';
import { CustomerNotFound, Forbidden, StaleVersion } from '../errors';
import { newId } from '../ids';
import { type EventContext, newEvent } from '../outbox/outbox';
import { readableThroughPool } from '../pools/pool-access';
import type { PoolReader } from '../pools/pool-repository';
import {
  applyPatch,
  assertLive,
  canRead,
  canWrite,
  type CreateCustomerInput,
  type Customer,
  type CustomerPatch,
  newCustomer,
} from './customer';
import type { CustomerRepository, OutboxEvent } from './customer-repository';

const eventContext = (caller: Caller, correlationId: string): EventContext => ({
  tenantId: caller.tenantId,
  actor: { type: 'user', id: caller.userId },
  correlationId,
});

/** What `crm.customer.created.v1` says of a new customer, wherever it is created (the API, an import). */
export function customerCreatedData(customer: Customer) {
  return {
    customerId: customer.id,
    kind: customer.kind,
    name: customer.name,
    primaryEmail: customer.emails[0] ?? null,
    ownerId: customer.ownerId,
    lifecycleStage: customer.lifecycleStage,
    consent: Object.fromEntries(Object.entries(customer.consent).map(([topic, r]) => [topic, r.granted])),
  };
}

export async function createCustomer(
  repository: CustomerRepository,
  caller: Caller,
  input: CreateCustomerInput,
  correlationId: string,
  customFields: CustomFieldCatalog,
): Promise<Customer> {
  const checked = await checkedCustomFields(customFields, caller.tenantId, input.customFields);
  const customer = newCustomer({ ...input, customFields: checked }, caller, newId(), clock.nowIso());
  const detail = newEvent(customerCreatedV1, eventContext(caller, correlationId), customerCreatedData(customer));
  await repository.create(customer, [{ detailType: customerCreatedV1.detailType, detail }]);
  return customer;
}

/**
 * Unknown ids and ids the caller may not read look the same: no existence leaks. With `pools`,
 * members of the pool a customer waits in may read it too (one GetItem of the pool, only when
 * `canRead` says no); writers leave it out, since pool members read but do not write.
 */
export async function getCustomer(repository: CustomerRepository, caller: Caller, customerId: string, pools?: PoolReader): Promise<Customer> {
  const customer = await repository.get(caller.tenantId, customerId);
  if (!customer) throw new CustomerNotFound(customerId);
  assertLive(customer);
  if (!canRead(caller, customer) && !(await readableThroughPool(pools, caller, customer))) throw new CustomerNotFound(customerId);
  return customer;
}


/**
 * Applies a merge patch to the version the client edited. A stale version answers 412 before
 * anything is written, and the write itself is conditional on that version, so two concurrent
 * edits of one version cannot both win.
 */
export async function updateCustomer(
  repository: CustomerRepository,
  caller: Caller,
  customerId: string,
  patch: CustomerPatch,
  expectedVersion: number,
  correlationId: string,
  customFields: CustomFieldCatalog,
): Promise<Customer> {
  const before = await getCustomer(repository, caller, customerId);
  if (!canWrite(caller, before)) throw new Forbidden('Only the owner, a manager or an admin may change this customer');
  if (before.version !== expectedVersion) throw new StaleVersion('customer', before.version);

  const checked = await checkedCustomFields(customFields, caller.tenantId, patch.customFields, before.customFields);
  const { after, changed } = applyPatch(before, { ...patch, customFields: checked }, caller, clock.nowIso());
  if (changed.length === 0) return before;

  const context = eventContext(caller, correlationId);
  const events: OutboxEvent[] = [
    {
      detailType: customerUpdatedV1.detailType,
      detail: newEvent(customerUpdatedV1, context, { customerId, changedFields: changed, version: after.version }),
    },
  ];
  if (after.lifecycleStage !== before.lifecycleStage) {
    events.push({
      detailType: customerStageChangedV1.detailType,
      detail: newEvent(customerStageChangedV1, context, { customerId, from: before.lifecycleStage, to: after.lifecycleStage, ownerId: after.ownerId }),
    });
  }
  await repository.update(before, after, events);
  return after;
}
