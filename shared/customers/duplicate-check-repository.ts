import { BatchGetCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Caller } from '../access/caller';
import { ValidationFailed } from '../errors';
import { keys, TABLE_INDEXES } from '../keys';
import { normalizeName, type UniqueValue } from './contact-points';
import { type CheckDuplicatesInput, MAX_NAME_MATCHES } from './duplicate-check-input';

export interface DuplicateMatch {
  customerId: string;
  name: string;
  kind: string;
  ownerId: string | null;
  matchedOn: { field: 'email' | 'phone' | 'domain' | 'name'; value: string }[];
}

/**
 * Who in the tenant might already be this customer: exact matches on the uniqueness guards and
 * name-prefix matches on the name index. Three requests at most (guards, names, profiles). It
 * answers with ids, names and owners only, never contact data: enough for a rep to know who is
 * already on it, which is what the 409 on create tells as well.
 */
export class DuplicateFinder {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async find(caller: Caller, input: CheckDuplicatesInput): Promise<DuplicateMatch[]> {
    const exact: UniqueValue[] = [
      ...(input.emails ?? []).map((value) => ({ field: 'email' as const, value })),
      ...(input.phones ?? []).map((value) => ({ field: 'phone' as const, value })),
      ...(input.domain ? [{ field: 'domain' as const, value: input.domain }] : []),
    ];
    const normalizedName = input.name ? normalizeName(input.name) : '';
    if (exact.length === 0 && !normalizedName) {
      throw new ValidationFailed([{ path: '', message: 'Give at least one of emails, phones, domain, name' }]);
    }

    const [guards, named] = await Promise.all([this.guards(caller.tenantId, exact), this.byName(caller.tenantId, normalizedName)]);
    const matches = new Map<string, DuplicateMatch['matchedOn']>();
    const add = (customerId: string, on: DuplicateMatch['matchedOn'][number]) => matches.set(customerId, [...(matches.get(customerId) ?? []), on]);
    for (const [index, guard] of guards) add(guard, exact[index]!);
    for (const customerId of named) add(customerId, { field: 'name', value: input.name! });

    const profiles = await this.profiles(caller.tenantId, [...matches.keys()]);
    return [...matches.entries()]
      .filter(([id]) => profiles.has(id))
      .map(([id, matchedOn]) => {
        const p = profiles.get(id)!;
        return { customerId: id, name: String(p.name), kind: String(p.kind ?? 'person'), ownerId: (p.ownerId as string | null) ?? null, matchedOn };
      })
      .sort((a, b) => b.matchedOn.length - a.matchedOn.length);
  }

  /** Guard index -> customer id, for the values someone already holds. */
  private async guards(tenantId: string, values: UniqueValue[]): Promise<Map<number, string>> {
    if (values.length === 0) return new Map();
    const wanted = values.map((v) => keys.uniqueGuard(tenantId, v.field, v.value));
    const found = await this.batchGet(wanted);
    const held = new Map<number, string>();
    wanted.forEach((key, index) => {
      const guard = found.find((item) => item.PK === key.PK);
      if (guard) held.set(index, String(guard.customerId));
    });
    return held;
  }

  private async byName(tenantId: string, normalizedName: string): Promise<string[]> {
    if (!normalizedName) return [];
    const { GSI3PK } = keys.customerName(tenantId, normalizedName, '');
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: TABLE_INDEXES.gsi3.name,
        KeyConditionExpression: 'GSI3PK = :pk AND begins_with(GSI3SK, :prefix)',
        ExpressionAttributeValues: { ':pk': GSI3PK, ':prefix': normalizedName },
        ProjectionExpression: 'id',
        Limit: MAX_NAME_MATCHES,
      }),
    );
    return (result.Items ?? []).map((item) => String(item.id));
  }

  private async profiles(tenantId: string, customerIds: string[]): Promise<Map<string, Record<string, unknown>>> {
    const items = await this.batchGet(customerIds.map((id) => keys.customer(tenantId, id)), 'id, #n, kind, ownerId');
    return new Map(items.map((item) => [String(item.id), item]));
  }

  /** BatchGetItem with its retry of unprocessed keys (at most 100 keys; callers stay far below). */
  private async batchGet(keyList: { PK: string; SK: string }[], projection?: string): Promise<Record<string, unknown>[]> {
    if (keyList.length === 0) return [];
    const items: Record<string, unknown>[] = [];
    let request: Record<string, unknown> | undefined = {
      [this.tableName]: {
        Keys: keyList,
        ...(projection ? { ProjectionExpression: projection, ExpressionAttributeNames: { '#n': 'name' } } : {}),
      },
    };
    for (let attempt = 0; request && Object.keys(request).length > 0 && attempt < 5; attempt++) {
      const result = await this.db.send(new BatchGetCommand({ RequestItems: request as never }));
      items.push(...(result.Responses?.[this.tableName] ?? []));
      request = result.UnprocessedKeys as Record<string, unknown> | undefined;
    }
    return items;
  }
}

export async function checkDuplicates(finder: DuplicateFinder, caller: Caller, input: CheckDuplicatesInput) {
  return { matches: await finder.find(caller, input) };
}
