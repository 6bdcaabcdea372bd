import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { TransactionConditionFailed, transactWrite } from '../aws/transact-write';
import type { MarketingRecipient } from '../consent/marketing-recipient';
import { keys } from '../keys';
import { type AutomationEngagementAttribute, automationEngagementCounter, type AutomationStats, automationStatsFromItem } from './automation-stats';

/** The send an SES event or an unsubscribe link is about: the ids its tags or token carry. */
export interface AutomationMailRef {
  tenantId: string;
  recipient: MarketingRecipient;
  automationId: string;
  eventId: string;
}

/**
 * `counted`: stamped on the send and added to the automation's stats now. `duplicate`: the send
 * already carries the stamp (a redelivery, a second open). `unknown-send`: no such send record
 * (expired after 90 days, or ids that are not ours) or no such automation (deleted): nothing to count on.
 */
export type AutomationEngagementWrite = 'counted' | 'duplicate' | 'unknown-send';

/**
 * The automations' statistics (docs/marketing.md, "Automation statistics"): one item per
 * automation, read with one GetItem. Outcomes are counted where sends are finished
 * (AutomationSendRepository.finish); engagement here, like the campaigns' recipient stamps.
 */
export class AutomationStatsRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(tenantId: string, automationId: string): Promise<AutomationStats> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.automationStats(tenantId, automationId) }));
    return automationStatsFromItem(result.Item);
  }

  /** The stamp on the send record and the counter move together, so each counts once per send. */
  async recordEngagement(mail: AutomationMailRef, attribute: AutomationEngagementAttribute, at: string): Promise<AutomationEngagementWrite> {
    try {
      await transactWrite(this.db, [
        {
          name: 'send',
          update: {
            TableName: this.tableName,
            Key: keys.automationSend(mail.tenantId, mail.recipient, mail.automationId, mail.eventId),
            UpdateExpression: 'SET #attribute = :at',
            // The send must exist: an Update would otherwise create a stray item with the stamp alone.
            ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(#attribute)',
            ExpressionAttributeNames: { '#attribute': attribute },
            ExpressionAttributeValues: { ':at': at },
          },
          returnCurrent: true,
        },
        // A deleted automation's counters went with it: a late event must not bring them back.
        { name: 'automation', conditionCheck: { TableName: this.tableName, Key: keys.automation(mail.tenantId, mail.automationId), ConditionExpression: 'attribute_exists(PK)' } },
        {
          name: 'stats',
          update: {
            TableName: this.tableName,
            Key: keys.automationStats(mail.tenantId, mail.automationId),
            UpdateExpression: 'SET #entity = :entity ADD #counter :one',
            ExpressionAttributeNames: { '#entity': 'entity', '#counter': automationEngagementCounter(attribute) },
            ExpressionAttributeValues: { ':entity': 'AutomationStats', ':one': 1 },
          },
        },
      ]);
      return 'counted';
    } catch (error) {
      if (!(error instanceof TransactionConditionFailed)) throw error;
      if (error.failed('send')) return error.current('send') ? 'duplicate' : 'unknown-send';
      if (error.failed('automation')) return 'unknown-send';
      throw error;
    }
  }
}
