import type { Activity } from '../activities/activity';
import { MAX_TRANSACTION_ITEMS, type NamedItem, named, transactItems } from '../aws/transact-write';
import type { Contact } from '../contacts/contact';
import { type UniqueValue, uniqueValues } from '../customers/contact-points';
import type { Customer } from '../customers/customer';
import { createdOwnership, guardPut, newProfilePut } from '../customers/customer-items';
import type { DealFactChange } from '../deals/deal';
import { type OutboxEvent, outboxPuts, profileWrite, type TransactItem } from '../deals/deal-items';
import { ValidationFailed } from '../errors';
import { keys } from '../keys';
import { outboxItem } from '../outbox/outbox';
import type { Lead } from './lead';
import { leadLoadUpdate, leadProfileItem } from './lead-repository';

/**
 * The conversion as one TransactWriteItems, without I/O (docs/leads.md#conversion): the lead
 * (named `lead`), the customer profile (`customer`), the new customer's guards, then everything
 * else. A cancellation names the items whose condition failed.
 */

/** DynamoDB's limits for one TransactWriteItems. */
export { MAX_TRANSACTION_ITEMS };
export const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;

export type ConversionCustomer =
  /** A customer made of the lead: Put with its guards, the owner's book counter and first ownership entry. */
  | { created: true; customer: Customer; events: OutboxEvent[] }
  /** An existing customer: live and at the version read (an Update when a deal moves its facts). */
  | { created: false; customer: Customer };

export interface ConversionWrite {
  /** The lead as read, and after conversion. */
  before: Lead;
  after: Lead;
  target: ConversionCustomer;
  contact: Contact | null;
  activity: Activity;
  /** The deal planner's items (deal, history, board aggregate, its event) and how it moves the customer's facts. */
  deal: { items: NamedItem[]; facts: DealFactChange } | null;
  /** Events of the lead's own partition (`crm.lead.converted.v1`). */
  leadEvents: OutboxEvent[];
  nowIso: string;
}

export interface ConversionItems {
  items: NamedItem[];
  /** The new customer's guards by item name: a failed one names the clashing field. */
  guards: Map<string, UniqueValue>;
}

const NO_FACTS: DealFactChange = { openDelta: 0, closed: false, won: false };

export function conversionItems(tableName: string, write: ConversionWrite): ConversionItems {
  const { before, after, target } = write;
  const tenantId = before.tenantId;
  const customer = target.customer;
  const leadItem: NamedItem = {
    name: 'lead',
    put: {
      TableName: tableName,
      Item: leadProfileItem(after),
      // Two conversions of one lead: the second finds a new version (or the pointer) and loses.
      ConditionExpression: '#version = :read AND (attribute_not_exists(convertedCustomerId) OR convertedCustomerId = :null)',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':read': before.version, ':null': null },
    },
  };
  const claims = target.created ? uniqueValues(customer) : [];
  const guards = new Map(claims.map((u, i) => [`guard-${i}`, u]));
  const items: NamedItem[] = [
    leadItem,
    named('customer', target.created ? newProfilePut(tableName, customer) : profileWrite(tableName, customer, customer, write.deal?.facts ?? NO_FACTS, write.nowIso)),
    ...[...guards].map(([name, u]) => named(name, guardPut(tableName, customer, u))),
    ...(target.created ? createdOwnership(tableName, customer) : []).map((item, i) => named(`ownership-${i}`, item)),
    ...(write.contact ? [{ name: 'contact', put: { TableName: tableName, Item: { ...keys.contact(tenantId, customer.id, write.contact.id), entity: 'Contact', ...write.contact }, ConditionExpression: 'attribute_not_exists(PK)' } }] : []),
    { name: 'entry', put: { TableName: tableName, Item: { ...keys.activity(tenantId, customer.id, write.activity.occurredAt, write.activity.id), entity: 'Activity', ...write.activity } } },
    ...leadGuardDeletes(tableName, before).map((item, i) => named(`leadGuard-${i}`, item)),
    // The lead leaves its rep's open-lead count (least-loaded routing), as a disqualification does.
    ...(before.ownerId !== null && before.status !== 'disqualified' ? [{ name: 'leadLoad', update: leadLoadUpdate(tableName, tenantId, { userId: before.ownerId, delta: -1 }) }] : []),
    ...(write.deal?.items ?? []),
    ...(target.created ? outboxPuts(tableName, tenantId, customer.id, target.events) : []).map((item, i) => named(`customerEvent-${i}`, item)),
    ...write.leadEvents.map((e, i): NamedItem => ({ name: `leadEvent-${i}`, put: { TableName: tableName, Item: outboxItem(keys.leadPartition(tenantId, before.id), e.detailType, e.detail) } })),
  ];
  assertWithinTransactionLimits(transactItems(items));
  return { items, guards };
}

/**
 * Refuses (400) a conversion DynamoDB would refuse. With one email, phone and domain the
 * conversion needs at most about 20 items of a few KB, so this guards against future growth
 * (more contact points, more entries) rather than today's inputs.
 */
export function assertWithinTransactionLimits(items: readonly TransactItem[]): void {
  const refuse = (message: string) => new ValidationFailed([{ path: '', message }], message);
  if (items.length > MAX_TRANSACTION_ITEMS) throw refuse(`The conversion would need ${items.length} writes; one transaction holds at most ${MAX_TRANSACTION_ITEMS}`);
  const bytes = Buffer.byteLength(JSON.stringify(items));
  if (bytes > MAX_TRANSACTION_BYTES) throw refuse(`The conversion would write about ${bytes} bytes; one transaction holds at most ${MAX_TRANSACTION_BYTES}`);
}

/**
 * The lead's email and phone guards go: from now on the customer's guards match the person at
 * capture. Only guards this lead holds (or none left) are deleted, so the condition can fail only
 * if another lead held the value, which the capture's own guard write rules out.
 */
function leadGuardDeletes(tableName: string, lead: Lead): TransactItem[] {
  const guards = [...(lead.email ? [keys.leadGuard(lead.tenantId, 'email', lead.email)] : []), ...(lead.phone ? [keys.leadGuard(lead.tenantId, 'phone', lead.phone)] : [])];
  return guards.map((Key) => ({
    Delete: {
      TableName: tableName,
      Key,
      ConditionExpression: 'attribute_not_exists(PK) OR leadId = :lead',
      ExpressionAttributeValues: { ':lead': lead.id },
    },
  }));
}
