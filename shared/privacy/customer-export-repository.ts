import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Caller } from '../access/caller';
import { isAdmin } from '../access/permissions';
import { queryAllPages } from '../aws/query-all-pages';
import { clock } from '../clock';
import { CustomerNotFound, Forbidden } from '../errors';
import { ACTIVITY_SK_PREFIX, keys, OUTBOX_SK_PREFIX, withoutStorageAttributes } from '../keys';
import { assertLive } from '../customers/customer';
import { toCustomer } from '../customers/customer-repository';

/**
 * Everything stored about one customer, for a data subject's access and portability request
 * (GDPR art. 15 and 20, CCPA "right to know"): every item of the customer's partition, grouped by
 * kind, without storage keys. Only admins may export (a privacy request is handled by the tenant,
 * not by the rep).
 */
export class CustomerExporter {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  items(tenantId: string, customerId: string): Promise<Record<string, unknown>[]> {
    return queryAllPages(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.customerPartition(tenantId, customerId) },
    });
  }
}

export async function exportCustomer(exporter: CustomerExporter, caller: Caller, customerId: string) {
  const items = await exporter.items(caller.tenantId, customerId);
  const profile = items.find((i) => i.SK === 'PROFILE');
  if (!profile) throw new CustomerNotFound(customerId);
  if (!isAdmin(caller)) throw new Forbidden('Only an admin may export what is stored about a customer');
  // An erased customer has nothing left to export (410); a merged one's data lives at the survivor.
  assertLive(toCustomer(profile));
  const group = (prefix: string) => items.filter((i) => String(i.SK).startsWith(prefix)).map(withoutStorageAttributes);
  const known = ['PROFILE', 'CONTACT#', ACTIVITY_SK_PREFIX, OUTBOX_SK_PREFIX];
  return {
    exportedAt: clock.nowIso(),
    customerId,
    profile: withoutStorageAttributes(profile),
    contacts: group('CONTACT#'),
    activities: group(ACTIVITY_SK_PREFIX),
    /** Domain events still kept in the outbox (they expire after 7 days). */
    events: group(OUTBOX_SK_PREFIX),
    /** Everything else in the customer's partition (ownership history, markers...). */
    other: items.filter((i) => !known.some((k) => String(i.SK).startsWith(k))).map(withoutStorageAttributes),
  };
}
