import { keys } from '../keys';
import { normalizeName } from './contact-points';
import type { Customer } from './customer';

/**
 * The index keys that go with a live profile wherever it is written: the name index (GSI3), the
 * owner's or pool's book (GSI1), the reclaim index (GSI2: owned customers with a check time), the
 * tenant list (GSI4) and the stage list (GSI5). Tombstones carry none of them.
 */
export function profileIndexKeys(customer: Customer): Record<string, string> {
  const recent = keys.recentlyUpdated(customer.updatedAt, customer.id);
  const book = customer.ownerId
    ? keys.ownerBook(customer.tenantId, customer.ownerId)
    : customer.poolId
      ? keys.poolBook(customer.tenantId, customer.poolId)
      : undefined;
  return {
    ...keys.customerName(customer.tenantId, normalizeName(customer.name) || '_', customer.id),
    ...(book ? { ...book, GSI1SK: recent } : {}),
    ...(customer.ownerId && customer.reclaimCheckAt ? keys.reclaimCheck(customer.tenantId, customer.id, customer.reclaimCheckAt) : {}),
    ...keys.tenantCustomers(customer.tenantId),
    GSI4SK: recent,
    ...keys.customersInStage(customer.tenantId, customer.lifecycleStage),
    GSI5SK: recent,
  };
}

/** Index keys a live profile may lack (unassigned: no book; unowned or never checked: no reclaim entry). */
const OPTIONAL_INDEX_KEYS = ['GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK'];

/** The reclaim index entry follows the check and the owner: written only by writers that own either. */
const RECLAIM_INDEX_KEYS = ['GSI2PK', 'GSI2SK'];

/**
 * An UpdateExpression that sets these fields of `customer` with fresh index keys and removes the
 * optional index keys it no longer has. Writers set only the fields they own, so attributes other
 * writers maintain (lastFollowUpAt...) are never overwritten with a stale copy. The reclaim index
 * keys go with `reclaimCheckAt` and `ownerId`: writes that move the check without a new version
 * (the sweep, a deal, a pool's rescheduling pass) must not be undone by an edit that read before them.
 */
export function profileUpdate(customer: Customer, fields: readonly (keyof Customer)[]) {
  const ownsReclaimIndex = fields.includes('reclaimCheckAt') || fields.includes('ownerId');
  const indexKeys = Object.fromEntries(Object.entries(profileIndexKeys(customer)).filter(([name]) => ownsReclaimIndex || !RECLAIM_INDEX_KEYS.includes(name)));
  const values: Record<string, unknown> = { ...Object.fromEntries(fields.map((f) => [f, customer[f]])), ...indexKeys };
  const names = Object.keys(values);
  const removed = OPTIONAL_INDEX_KEYS.filter((a) => !(a in indexKeys) && (ownsReclaimIndex || !RECLAIM_INDEX_KEYS.includes(a)));
  return {
    UpdateExpression: `SET ${names.map((_, i) => `#f${i} = :v${i}`).join(', ')}${removed.length ? ` REMOVE ${removed.join(', ')}` : ''}`,
    ExpressionAttributeNames: Object.fromEntries(names.map((f, i) => [`#f${i}`, f])),
    ExpressionAttributeValues: Object.fromEntries(names.map((f, i) => [`:v${i}`, values[f]])),
  };
}

/** The fields a write owns, less the reclaim check when it leaves it as read (see profileUpdate). */
export function withoutUnchangedCheck(fields: readonly (keyof Customer)[], before: Customer, after: Customer): (keyof Customer)[] {
  return fields.filter((f) => f !== 'reclaimCheckAt' || before.reclaimCheckAt !== after.reclaimCheckAt);
}
