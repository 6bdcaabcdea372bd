import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Caller } from '../access/caller';
import { keys } from '../keys';
import { decodeIndexCursor, encodeCursor } from '../pagination';
import { canRead, type Customer } from './customer';
import { type ListPlan, type LookupPlan, matchesFilter, type ProfileFilter, type QueryPlan } from './customer-list-query';
import { toCustomer } from './customer-repository';

export interface CustomerPage {
  items: Customer[];
  cursor: string | null;
}

/**
 * Reads one page of customers as planned by `planCustomerList`: one Query on a list index, or
 * for an exact email/phone lookup the guard and then the profile it names.
 */
export class CustomerLister {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async page(plan: ListPlan, caller: Caller, cursor: string | undefined): Promise<CustomerPage> {
    return plan.kind === 'lookup' ? this.lookup(plan, caller) : this.query(plan, caller, cursor);
  }

  private async query(plan: QueryPlan, caller: Caller, cursor: string | undefined): Promise<CustomerPage> {
    const { index } = plan;
    const values: Record<string, unknown> = { ':pk': plan.partition };
    let keyCondition = `${index.pk} = :pk`;
    if (plan.sortKey) {
      plan.sortKey.values.forEach((v, i) => (values[`:sk${i}`] = v));
      keyCondition += {
        begins_with: ` AND begins_with(${index.sk}, :sk0)`,
        between: ` AND ${index.sk} BETWEEN :sk0 AND :sk1`,
        '>=': ` AND ${index.sk} >= :sk0`,
        '<=': ` AND ${index.sk} <= :sk0`,
      }[plan.sortKey.op];
    }
    const filter = filterExpression(plan.filter);
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.name,
        KeyConditionExpression: keyCondition,
        ...(filter.expression ? { FilterExpression: filter.expression, ExpressionAttributeNames: filter.names } : {}),
        ExpressionAttributeValues: { ...values, ...filter.values },
        ScanIndexForward: !plan.newestFirst,
        Limit: plan.limit,
        ExclusiveStartKey: decodeListCursor(cursor, plan, caller.tenantId),
      }),
    );
    return {
      // The key and filter already scope the page to what the caller may read; canRead stays as the last word.
      items: (result.Items ?? []).map(toCustomer).filter((c) => canRead(caller, c)),
      cursor: encodeCursor(result.LastEvaluatedKey),
    };
  }

  private async lookup(plan: LookupPlan, caller: Caller): Promise<CustomerPage> {
    const guard = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.uniqueGuard(caller.tenantId, plan.field, plan.value) }));
    const customerId = guard.Item?.customerId;
    if (typeof customerId !== 'string') return { items: [], cursor: null };
    const profile = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.customer(caller.tenantId, customerId) }));
    const customer = profile.Item ? toCustomer(profile.Item) : undefined;
    const found = customer && !customer.mergedInto && !customer.erasedAt && canRead(caller, customer) && matchesFilter(customer, plan.filter);
    return { items: found ? [customer] : [], cursor: null };
  }
}

/** The filter conditions as a FilterExpression (evaluated after the key condition, before the page is returned). */
export function filterExpression(filter: Omit<ProfileFilter, 'namePrefix'>): { expression?: string; names: Record<string, string>; values: Record<string, unknown> } {
  const parts: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const placeholders = (attribute: string, value: unknown) => {
    const i = Object.keys(names).length;
    names[`#f${i}`] = attribute;
    values[`:f${i}`] = value;
    return [`#f${i}`, `:f${i}`] as const;
  };
  const add = (attribute: string, value: unknown, condition: (name: string, value: string) => string) => {
    parts.push(condition(...placeholders(attribute, value)));
  };
  if (filter.ownerId !== undefined) add('ownerId', filter.ownerId, (n, v) => `${n} = ${v}`);
  if (filter.stage !== undefined) add('lifecycleStage', filter.stage, (n, v) => `${n} = ${v}`);
  if (filter.tag !== undefined) add('tags', filter.tag, (n, v) => `contains(${n}, ${v})`);
  if (filter.updatedFrom !== undefined) add('updatedAt', filter.updatedFrom, (n, v) => `${n} >= ${v}`);
  if (filter.updatedTo !== undefined) add('updatedAt', filter.updatedTo, (n, v) => `${n} <= ${v}`);
  if (filter.managedTeam) {
    // Unowned profiles store ownerId as NULL.
    const [owner, nullType] = placeholders('ownerId', 'NULL');
    const unowned = `attribute_type(${owner}, ${nullType})`;
    const { teamId } = filter.managedTeam;
    parts.push(teamId === null ? unowned : `(${unowned} OR ${placeholders('teamId', teamId).join(' = ')})`);
  }
  return { expression: parts.length ? parts.join(' AND ') : undefined, names, values };
}

/**
 * A cursor is the index's LastEvaluatedKey and is accepted only for the list it came from: the
 * same index partition, a customer profile of the caller's tenant, nothing else in it.
 */
export function decodeListCursor(cursor: string | undefined, plan: Pick<QueryPlan, 'index' | 'partition'>, tenantId: string): Record<string, unknown> | undefined {
  return decodeIndexCursor(cursor, plan.index, plan.partition, (key) => key.PK.startsWith(keys.customerPartition(tenantId, '')) && key.SK === 'PROFILE');
}
