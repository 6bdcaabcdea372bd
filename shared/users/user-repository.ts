import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { queryAllPages } from '../aws/query-all-pages';
import { keys, TABLE_INDEXES } from '../keys';
import { decodeIndexCursor, encodeCursor } from '../pagination';
import { type Delegation, toDelegation } from './delegation';
import type { DirectoryUser } from './user';

const USER_ATTRIBUTES = [
  'userId', 'tenantId', 'email', 'name', 'teamId', 'managerId', 'invitedAt', 'deactivatedAt', 'deactivatedBy', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy',
] as const satisfies readonly (keyof DirectoryUser)[];

/** Entries written before users had a status or groups (and those made by PUT) read as active with no groups known. */
function toUser(item: Record<string, unknown>): DirectoryUser {
  return {
    ...(Object.fromEntries(USER_ATTRIBUTES.map((a) => [a, item[a] ?? null])) as unknown as DirectoryUser),
    groups: Array.isArray(item.groups) ? (item.groups as DirectoryUser['groups']) : [],
    status: item.status === 'deactivated' ? 'deactivated' : 'active',
    delegate: toDelegation(item.delegate),
    version: Number(item.version ?? 0),
  };
}


/** A write's result: the entry after it, or the version now stored (undefined: no entry). */
export type WriteOutcome = { written: true; user: DirectoryUser } | { written: false; currentVersion: number | undefined };

/** The fields PATCH /users/{id} may change. */
export type UserChange = Partial<Pick<DirectoryUser, 'name' | 'groups' | 'teamId' | 'managerId'>> & Pick<DirectoryUser, 'updatedAt' | 'updatedBy'>;

/** What the API shows of a user next to their id. */
export interface Person {
  userId: string;
  name: string;
  active: boolean;
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
          'createdAt = if_not_exists(createdAt, :createdAt), createdBy = if_not_exists(createdBy, :createdBy), ' +
          '#version = if_not_exists(#version, :zero) + :one',
        ExpressionAttributeNames: { ...Object.fromEntries(names.map((name, i) => [`#a${i}`, name])), '#version': 'version' },
        ExpressionAttributeValues: {
          ...Object.fromEntries(names.map((name, i) => [`:v${i}`, values[name]])),
          ':createdAt': user.createdAt,
          ':createdBy': user.createdBy,
          ':zero': 0,
          ':one': 1,
        },
        ReturnValues: 'ALL_OLD',
      }),
    );
    const before = result.Attributes;
    const created = typeof before?.createdAt !== 'string';
    return {
      // A replaced entry keeps what PUT does not describe (groups, manager, status).
      user: created ? user : toUser({ ...before, ...values, version: Number(before?.version ?? 0) + 1 }),
      created,
    };
  }

  /** A new entry (POST /users); false when the user already has one. */
  async create(user: DirectoryUser): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.user(user.tenantId, user.userId), ...keys.userDirectory(user.tenantId, user.userId), entity: 'User', ...user },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Sets the named fields only, if the entry is still at `expectedVersion` (PATCH's If-Match). */
  async update(tenantId: string, userId: string, change: UserChange, expectedVersion: number): Promise<WriteOutcome> {
    return this.set(tenantId, userId, change, expectedVersion);
  }

  /** Deactivates or reactivates the entry, whatever its version (an action, not an edit). */
  async setStatus(tenantId: string, userId: string, status: DirectoryUser['status'], by: string, nowIso: string): Promise<WriteOutcome> {
    const deactivated = status === 'deactivated';
    return this.set(tenantId, userId, { status, deactivatedAt: deactivated ? nowIso : null, deactivatedBy: deactivated ? by : null, updatedAt: nowIso, updatedBy: by });
  }

  /** Sets or clears (null) who decides the user's approvals while they are away, whatever the entry's version. */
  async setDelegate(tenantId: string, userId: string, delegate: Delegation | null, by: string, nowIso: string): Promise<WriteOutcome> {
    return this.set(tenantId, userId, { delegate, updatedAt: nowIso, updatedBy: by });
  }

  private async set(tenantId: string, userId: string, fields: Record<string, unknown>, expectedVersion?: number): Promise<WriteOutcome> {
    const names = Object.keys(fields).filter((name) => fields[name] !== undefined);
    // An entry from before versions has none: it is at version 0.
    const versionCondition = expectedVersion === undefined ? '' : expectedVersion === 0 ? ' AND attribute_not_exists(#version)' : ' AND #version = :expected';
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.user(tenantId, userId),
          UpdateExpression: `SET ${names.map((_, i) => `#a${i} = :v${i}`).join(', ')}, #version = if_not_exists(#version, :zero) + :one`,
          ConditionExpression: `attribute_exists(PK)${versionCondition}`,
          ExpressionAttributeNames: { ...Object.fromEntries(names.map((name, i) => [`#a${i}`, name])), '#version': 'version' },
          ExpressionAttributeValues: {
            ...Object.fromEntries(names.map((name, i) => [`:v${i}`, fields[name]])),
            ':zero': 0,
            ':one': 1,
            ...(expectedVersion ? { ':expected': expectedVersion } : {}),
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { written: true, user: toUser(result.Attributes ?? {}) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return { written: false, currentVersion: error.Item ? Number(unmarshall(error.Item).version ?? 0) : undefined };
    }
  }

  /**
   * Every user of the tenant with what the API shows next to their id (name, status): the GSI3
   * partition, all pages. Directories are small (people, not records); callers cache it.
   */
  async people(tenantId: string): Promise<Person[]> {
    const index = TABLE_INDEXES.gsi3;
    const items = await queryAllPages(this.db, {
      TableName: this.tableName,
      IndexName: index.name,
      KeyConditionExpression: `${index.pk} = :pk`,
      ExpressionAttributeValues: { ':pk': keys.userDirectory(tenantId, '').GSI3PK },
      ExpressionAttributeNames: { '#name': 'name', '#status': 'status' },
      ProjectionExpression: 'userId, #name, #status',
    });
    return items.map((item) => ({ userId: String(item.userId), name: String(item.name), active: item.status !== 'deactivated' }));
  }

  /** Every entry of the tenant: its GSI3 partition, all pages (an approval chain or an escalation picks approvers among them). */
  async all(tenantId: string): Promise<DirectoryUser[]> {
    const index = TABLE_INDEXES.gsi3;
    const items = await queryAllPages(this.db, {
      TableName: this.tableName,
      IndexName: index.name,
      KeyConditionExpression: `${index.pk} = :pk`,
      ExpressionAttributeValues: { ':pk': keys.userDirectory(tenantId, '').GSI3PK },
    });
    return items.map(toUser);
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
