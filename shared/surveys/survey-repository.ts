import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { putAtVersion } from '../aws/put-at-version';
import { type NamedItem, TransactionConditionFailed, transactWrite } from '../aws/transact-write';
import { keys, withoutStorageAttributes } from '../keys';
import { outboxItem } from '../outbox/outbox';
import { counterDelta, counterScopes, defaultSurveySettings, type SatisfactionCounter, StaleSurveySettings, type Survey, type SurveyKind, type SurveySettings } from './survey';

export interface SurveyEvent {
  detailType: string;
  detail: { id: string };
}

function toSettings(tenantId: string, item: Record<string, unknown>): SurveySettings {
  const d = defaultSurveySettings(tenantId);
  return {
    tenantId,
    enabled: item.enabled === true,
    kind: item.kind === 'nps' ? 'nps' : 'csat',
    changeWindowHours: typeof item.changeWindowHours === 'number' ? item.changeWindowHours : d.changeWindowHours,
    lowScoreThreshold: typeof item.lowScoreThreshold === 'number' ? item.lowScoreThreshold : d.lowScoreThreshold,
    answerWithinDays: typeof item.answerWithinDays === 'number' ? item.answerWithinDays : d.answerWithinDays,
    version: Number(item.version),
    updatedAt: typeof item.updatedAt === 'string' ? item.updatedAt : null,
    updatedBy: typeof item.updatedBy === 'string' ? item.updatedBy : null,
  };
}

export const surveyItem = (s: Survey): Record<string, unknown> => ({ ...keys.survey(s.tenantId, s.customerId, s.caseId, s.id), entity: 'Survey', ...s });
export const toSurvey = (item: Record<string, unknown>) => withoutStorageAttributes(item) as unknown as Survey;

/**
 * Surveys, their settings and their counters in the table (docs/service.md, "Satisfaction
 * surveys"). An answer is one transaction: the survey at the version read, the three counters it
 * moves, and its event in the outbox. So two clicks at once cannot both count, and a crash leaves
 * either all of it or none.
 */
export class SurveyRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async settings(tenantId: string, consistent = false): Promise<SurveySettings> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.surveySettings(tenantId), ConsistentRead: consistent }));
    return Item ? toSettings(tenantId, Item) : defaultSurveySettings(tenantId);
  }

  /** Stores the settings only over `expectedVersion` (0: none stored yet); the loser of a race gets 412 with the current version. */
  async replaceSettings(settings: SurveySettings, expectedVersion: number): Promise<void> {
    const { tenantId, ...stored } = settings;
    const item = { ...keys.surveySettings(tenantId), entity: 'SurveySettings', tenantId, ...stored };
    const result = await putAtVersion(this.db, this.tableName, item, expectedVersion === 0 ? 'absent' : expectedVersion);
    if (!result.written) throw new StaleSurveySettings(result.currentVersion ?? 0);
  }

  /** A new survey; false when its id exists already. */
  async create(survey: Survey): Promise<boolean> {
    try {
      await this.db.send(new PutCommand({ TableName: this.tableName, Item: surveyItem(survey), ConditionExpression: 'attribute_not_exists(PK)' }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** The survey, read consistently (an answer decides on it); undefined when absent or scrubbed by erasure. */
  async get(tenantId: string, customerId: string, caseId: string, surveyId: string): Promise<Survey | undefined> {
    const { PK, SK } = keys.survey(tenantId, customerId, caseId, surveyId);
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { PK, SK }, ConsistentRead: true }));
    // Erasure keeps keys and kind only: a survey without its id is gone.
    return Item && typeof Item.id === 'string' ? toSurvey(Item) : undefined;
  }

  /**
   * The answer over the version read, the counters it moves (a changed score moves counts between
   * buckets, it adds no response) and its event. 'stale' when another answer came first.
   */
  async answer(after: Survey, expectedVersion: number, previousScore: number | null, event: SurveyEvent): Promise<'written' | 'stale'> {
    const delta = counterDelta(previousScore, after.score!);
    const counters: NamedItem[] = Object.keys(delta).length
      ? counterScopes(after).map((scope, i) => {
          const names = Object.keys(delta);
          return {
            name: `counter-${i}`,
            update: {
              TableName: this.tableName,
              Key: keys.satisfactionCounter(after.tenantId, after.kind, after.month, scope),
              UpdateExpression: `SET entity = :entity ADD ${names.map((_, j) => `#a${j} :v${j}`).join(', ')}`,
              ExpressionAttributeNames: Object.fromEntries(names.map((n, j) => [`#a${j}`, n])),
              ExpressionAttributeValues: { ':entity': 'SatisfactionCounter', ...Object.fromEntries(names.map((n, j) => [`:v${j}`, delta[n]])) },
            },
          };
        })
      : [];
    const partition = keys.customerPartition(after.tenantId, after.customerId);
    try {
      await transactWrite(this.db, [
        {
          name: 'survey',
          put: {
            TableName: this.tableName,
            Item: surveyItem(after),
            ConditionExpression: '#version = :expected',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expected': expectedVersion },
          },
        },
        ...counters,
        { name: 'event', put: { TableName: this.tableName, Item: outboxItem(partition, event.detailType, event.detail) } },
      ]);
      return 'written';
    } catch (error) {
      if (error instanceof TransactionConditionFailed && error.failed('survey')) return 'stale';
      throw error;
    }
  }

  /** One counter (the tenant's, an agent's or a team's for a kind and month); zeros when nobody answered. */
  async counter(tenantId: string, kind: SurveyKind, month: string, scope: string): Promise<SatisfactionCounter> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.satisfactionCounter(tenantId, kind, month, scope) }));
    return Object.fromEntries(Object.entries(Item ?? {}).filter(([, v]) => typeof v === 'number')) as SatisfactionCounter;
  }
}
