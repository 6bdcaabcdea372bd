import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys, TABLE_INDEXES } from '../keys';
import { decodeIndexCursor, encodeCursor } from '../pagination';
import type { DirectoryUser } from './user';

const USER_ATTRIBUTES = [
  'userId', 'tenantId', 'email', 'name', 'teamId', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy',
] as const satisfies readonly (keyof DirectoryUser)[];

function toUser(item: Record<string, unknown>): DirectoryUser {
  return Object.fromEntries(USER_ATTRIBUTES.map((a) => [a, item[a] ?? null])) as unknown as DirectoryUser;
}

export interface UserPage {
  items: DirectoryUser[];
  cursor: string | null;
}

/**
 * The tenant's user directory: one item per user in the user's own partition
 * (`T#<t>#USER#<id>` / `PROFILE`, next to their claim counters), listed through GSI3
 * (`T#<t>#USERS` / `<userId>`). The reclaim sweep uses `get` to find a rep's email.
 */
export class UserDirectory {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(tenantId: string, userId: string): Promise<DirectoryUser | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.user(tenantId, userId) }));
    return result.Item ? toUser(result.Item) : undefined;
  }

  /**
   * Creates or replaces the entry in one UpdateItem (no read): the first write's `createdAt` and
   * `createdBy` are kept. `created` tells a new entry from a replaced one.
   */
  async put(user: DirectoryUser): Promise<{ user: DirectoryUser; created: boolean }> {
    const values: Record<string, unknown> = {
      entity: 'User',
      userId: user.userId,
      tenantId: user.tenantId,
      email: user.email,
      name: user.name,
      teamId: user.teamId,
      updatedAt: user.updatedAt,
      updatedBy: user.updatedBy,
      ...keys.userDirectory(user.tenantId, user.userId),
    };
    const names = Object.keys(values);
    const result = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.user(user.tenantId, user.userId),
        UpdateExpression:
          `SET ${names.map((_, i) => `#a${i} = :v${i}`).join(', ')}, ` +
          'createdAt = if_not_exists(createdAt, :createdAt), createdBy = if_not_exists(createdBy, :createdBy)',
        ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#a${i}`, name])),
        ExpressionAttributeValues: {
          ...Object.fromEntries(names.map((name, i) => [`:v${i}`, values[name]])),
          ':createdAt': user.createdAt,
          ':createdBy': user.createdBy,
        },
        ReturnValues: 'ALL_OLD',
      }),
    );
    const before = result.Attributes;
    const created = typeof before?.createdAt !== 'string';
    return {
      user: created ? user : { ...user, createdAt: String(before!.createdAt), createdBy: String(before!.createdBy) },
      created,
    };
  }

  /** One page of the tenant's users by id: one Query on GSI3. */
  async list(tenantId: string, limit: number, cursor: string | undefined): Promise<UserPage> {
    const index = TABLE_INDEXES.gsi3;
    const partition = keys.userDirectory(tenantId, '').GSI3PK;
    const userPartitionPrefix = keys.user(tenantId, '').PK;
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.name,
        KeyConditionExpression: `${index.pk} = :pk`,
        ExpressionAttributeValues: { ':pk': partition },
        Limit: limit,
        ExclusiveStartKey: decodeIndexCursor(cursor, index, partition, (key) => key.PK.startsWith(userPartitionPrefix) && key.SK === 'PROFILE'),
      }),
    );
    return { items: (result.Items ?? []).map(toUser), cursor: encodeCursor(result.LastEvaluatedKey) };
  }
}
