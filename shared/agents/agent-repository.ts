import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { queryAllPages } from '../aws/query-all-pages';
import { type NamedItem, TransactionConditionFailed, transactWrite } from '../aws/transact-write';
import { AGENT_SK_PREFIX, CASE_SK_PREFIX, keys } from '../keys';
import { outboxItem } from '../outbox/outbox';
import { type Agent, DEFAULT_ROUTING_POLICY, type Presence, type RoutingPolicy } from './agent';

/** The tenant's agents with the policy: what the router decides on. */
export interface Roster {
  agents: Agent[];
  policy: RoutingPolicy;
}

/** The routing profile as PUT /agents/{userId} writes it. */
export type AgentProfile = Pick<Agent, 'userId' | 'tenantId' | 'presence' | 'skills' | 'capacity' | 'presenceChangedAt' | 'updatedAt' | 'updatedBy'>;

// Reserved words of DynamoDB among them (CAPACITY), so every attribute goes by a name.
const NAMES = {
  '#presence': 'presence',
  '#capacity': 'capacity',
  '#caseIds': 'caseIds',
  '#count': 'assignedCount',
  '#last': 'lastAssignedAt',
} as const;

/** An agent item holds a profile once PUT /agents wrote one; a case write alone leaves only the load (a user assigned by hand). */
const hasProfile = (item: Record<string, unknown>) => typeof item.presence === 'string';

function toAgent(item: Record<string, unknown>): Agent {
  const caseIds = item.caseIds instanceof Set ? item.caseIds : undefined;
  const skills = (item.skills ?? {}) as Partial<Agent['skills']>;
  return {
    userId: item.userId as string,
    tenantId: item.tenantId as string,
    presence: item.presence as Presence,
    skills: { categories: skills.categories ?? [], languages: skills.languages ?? [] },
    capacity: (item.capacity as number | undefined) ?? 0,
    load: caseIds?.size ?? 0,
    assignedCount: (item.assignedCount as number | undefined) ?? 0,
    lastAssignedAt: (item.lastAssignedAt as string | null | undefined) ?? null,
    presenceChangedAt: item.presenceChangedAt as string,
    updatedAt: item.updatedAt as string,
    updatedBy: item.updatedBy as string,
  };
}

function toPolicy(item: Record<string, unknown> | undefined): RoutingPolicy {
  if (!item) return DEFAULT_ROUTING_POLICY;
  return { strategy: item.strategy as RoutingPolicy['strategy'], whenAway: item.whenAway as RoutingPolicy['whenAway'], updatedAt: item.updatedAt as string, updatedBy: item.updatedBy as string };
}

/**
 * Agents and the routing policy in the table (docs/service.md, "Routing to agents"): one partition
 * per tenant. The load is the set of active case ids on the agent's item, changed only inside the
 * transactions that change those cases: exact, and a repeated ADD or DELETE of one id is a no-op.
 */
export class AgentRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  /** One agent's profile with its load, read consistently; undefined when no profile was written. */
  async get(tenantId: string, userId: string): Promise<(Agent & { version: number }) | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.agent(tenantId, userId), ConsistentRead: true }));
    return Item && hasProfile(Item) ? { ...toAgent(Item), version: (Item.version as number | undefined) ?? 0 } : undefined;
  }

  /** Every agent of the tenant and the policy: one consistent Query (the bookkeeping `$` items sort before `AGENT#`). */
  async roster(tenantId: string): Promise<Roster> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND SK >= :first',
          ExpressionAttributeValues: { ':pk': keys.agentsPartition(tenantId), ':first': AGENT_SK_PREFIX },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    const policy = items.find((item) => item.SK === keys.routingPolicy(tenantId).SK);
    const agents = items.filter((item) => typeof item.SK === 'string' && item.SK.startsWith(AGENT_SK_PREFIX) && hasProfile(item)).map(toAgent);
    return { agents, policy: toPolicy(policy) };
  }

  async policy(tenantId: string): Promise<RoutingPolicy> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.routingPolicy(tenantId), ConsistentRead: true }));
    return toPolicy(Item);
  }

  async putPolicy(tenantId: string, policy: RoutingPolicy): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.routingPolicy(tenantId), entity: 'RoutingPolicy', tenantId, ...policy } }));
  }

  /**
   * The profile over the version read (0: none yet), with its event, leaving the load and the
   * assignment count alone. `false` when another PUT came first: read again.
   */
  async putProfile(profile: AgentProfile, expectedVersion: number, event: { detailType: string; detail: { id: string } }): Promise<boolean> {
    try {
      await transactWrite(this.db, [
        {
          name: 'agent',
          update: {
            TableName: this.tableName,
            Key: keys.agent(profile.tenantId, profile.userId),
            UpdateExpression:
              'SET #presence = :presence, skills = :skills, #capacity = :capacity, userId = :userId, tenantId = :tenantId, entity = :entity, presenceChangedAt = :presenceChangedAt, ' +
              'updatedAt = :updatedAt, updatedBy = :updatedBy, version = :next, #count = if_not_exists(#count, :zero)',
            ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(version)' : 'version = :expected',
            ExpressionAttributeNames: { '#presence': NAMES['#presence'], '#capacity': NAMES['#capacity'], '#count': NAMES['#count'] },
            ExpressionAttributeValues: {
              ':presence': profile.presence,
              ':skills': profile.skills,
              ':capacity': profile.capacity,
              ':userId': profile.userId,
              ':tenantId': profile.tenantId,
              ':entity': 'Agent',
              ':presenceChangedAt': profile.presenceChangedAt,
              ':updatedAt': profile.updatedAt,
              ':updatedBy': profile.updatedBy,
              ':next': expectedVersion + 1,
              ':zero': 0,
              ...(expectedVersion === 0 ? {} : { ':expected': expectedVersion }),
            },
          },
        },
        { name: 'event', put: { TableName: this.tableName, Item: outboxItem(keys.agentsPartition(profile.tenantId), event.detailType, event.detail) } },
      ]);
      return true;
    } catch (error) {
      if (error instanceof TransactionConditionFailed && error.failed('agent')) return false;
      throw error;
    }
  }

  /**
   * The transaction item that gives a case to an agent by routing, for the case's own transaction
   * (CaseRepository.change's `extra`, named `agent`): the case joins the load and the count goes up,
   * only while the agent is available, below capacity, and still at the count the router read, so
   * a concurrent router that picked the same agent fails and picks again with fresh figures.
   */
  assignItem(tenantId: string, agent: Pick<Agent, 'userId' | 'assignedCount'>, caseId: string, nowIso: string): NamedItem {
    return {
      name: 'agent',
      update: {
        TableName: this.tableName,
        Key: keys.agent(tenantId, agent.userId),
        UpdateExpression: 'ADD #caseIds :case, #count :one SET #last = :now',
        ConditionExpression: '#presence = :available AND #count = :seen AND (attribute_not_exists(#caseIds) OR size(#caseIds) < #capacity)',
        ExpressionAttributeNames: NAMES,
        ExpressionAttributeValues: { ':case': new Set([caseId]), ':one': 1, ':now': nowIso, ':available': 'available', ':seen': agent.assignedCount },
      },
    };
  }

  /**
   * The items that move a case between agents' loads, for the case's own transaction: no
   * condition, so they never fail a case write. A set holds an id once, so the write is exact
   * however the case got there, and a load item is made for anyone holding cases (a profile later
   * finds its load right).
   */
  loadItems(tenantId: string, caseId: string, change: { remove: string | null; add: string | null }): NamedItem[] {
    const item = (name: string, userId: string, action: 'ADD' | 'DELETE'): NamedItem => ({
      name,
      update: {
        TableName: this.tableName,
        Key: keys.agent(tenantId, userId),
        UpdateExpression: `${action} #caseIds :case`,
        ExpressionAttributeNames: { '#caseIds': NAMES['#caseIds'] },
        ExpressionAttributeValues: { ':case': new Set([caseId]) },
      },
    });
    return [...(change.remove ? [item('load-remove', change.remove, 'DELETE')] : []), ...(change.add ? [item('load-add', change.add, 'ADD')] : [])];
  }

  /** The cases of one customer with their assignee and status (one Query of its partition): what erasure closed. */
  async casesOfCustomer(tenantId: string, customerId: string): Promise<{ id: string; assigneeId: string | null; status: string }[]> {
    const items = await queryAllPages(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :case)',
      ExpressionAttributeValues: { ':pk': keys.customerPartition(tenantId, customerId), ':case': CASE_SK_PREFIX },
      ProjectionExpression: 'id, assigneeId, #status',
      ExpressionAttributeNames: { '#status': 'status' },
      ConsistentRead: true,
    });
    return items.map((item) => ({ id: item.id as string, assigneeId: (item.assigneeId as string | null | undefined) ?? null, status: item.status as string }));
  }

  /**
   * Takes cases off a user's load outside a case transaction: only for cases that can never come
   * back (closed), so no concurrent write can have put them on again. A no-op for ids not held.
   */
  async releaseClosed(tenantId: string, userId: string, caseIds: readonly string[]): Promise<void> {
    if (caseIds.length === 0) return;
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.agent(tenantId, userId),
        UpdateExpression: 'DELETE #caseIds :cases',
        ExpressionAttributeNames: { '#caseIds': NAMES['#caseIds'] },
        ExpressionAttributeValues: { ':cases': new Set(caseIds) },
      }),
    );
  }
}
