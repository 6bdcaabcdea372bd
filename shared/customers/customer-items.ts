import { type OwnershipChange, ownershipHistoryItem } from '../allocation/ownership-history';
import { bookCounter, counterUpdate } from '../allocation/user-counters';
import type { TransactItem } from '../aws/transact-write';
import { newId } from '../ids';
import { keys } from '../keys';
import type { UniqueValue } from './contact-points';
import type { Customer } from './customer';
import { profileIndexKeys } from './profile-item';

/**
 * The items a new customer is written with, wherever it is created (POST /customers, a lead's
 * conversion): one builder each, so the two writers cannot drift apart.
 */

/** The profile with its index keys, only if the id is new. */
export function newProfilePut(tableName: string, customer: Customer): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: { ...keys.customer(customer.tenantId, customer.id), entity: 'Customer', ...customer, ...profileIndexKeys(customer) },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

/** A uniqueness guard for an email, phone or domain; ALL_OLD names the customer holding the value when it is taken. */
export function guardPut(tableName: string, customer: Customer, unique: UniqueValue): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: { ...keys.uniqueGuard(customer.tenantId, unique.field, unique.value), entity: 'UniqueGuard', customerId: customer.id },
      ConditionExpression: 'attribute_not_exists(PK)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}

/** For a customer created owned: the owner's book counts it (`owned` +1, no cap) and its ownership history starts (`created`). */
export function createdOwnership(tableName: string, customer: Customer): TransactItem[] {
  if (customer.ownerId === null) return [];
  const change: OwnershipChange = {
    id: newId(),
    customerId: customer.id,
    from: null,
    to: customer.ownerId,
    poolId: null,
    reason: 'created',
    note: null,
    actor: { type: 'user', id: customer.createdBy },
    at: customer.createdAt,
  };
  return [
    counterUpdate(tableName, bookCounter(customer.tenantId, customer.ownerId, { owned: 1 })),
    { Put: { TableName: tableName, Item: ownershipHistoryItem(customer.tenantId, change) } },
  ];
}
