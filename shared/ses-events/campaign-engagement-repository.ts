import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TransactionConditionFailed, transactWrite } from '../aws/transact-write';
import { keys } from '../keys';
import { ENGAGEMENT_STAT_OF_ATTRIBUTE, type EngagementAttribute } from '../campaigns/campaign';
import { type AbVariantName, VARIANT_STAT_NAMES, type VariantStatName } from '../campaigns/campaign-ab-test';

/**
 * `counted`: stamped and added to the campaign's stats now. `duplicate`: the recipient already
 * carries the stamp (an SES redelivery, a tenth open, a second unsubscribe click). `unknown-recipient`:
 * no such recipient item (or no such campaign): nothing to count on.
 */
export type EngagementWrite = 'counted' | 'duplicate' | 'unknown-recipient';

/**
 * Engagement of campaign recipients (docs/marketing.md, "SES events"): the stamp on the recipient
 * and the campaign's stat move together, so each is counted once per recipient however often SES
 * redelivers or the recipient opens, clicks or unsubscribes again.
 */
export class CampaignEngagementRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(tenantId: string, campaignId: string, customerId: string, attribute: EngagementAttribute, at: string, variant: AbVariantName | null = null): Promise<EngagementWrite> {
    const stat = ENGAGEMENT_STAT_OF_ATTRIBUTE[attribute];
    // An A/B variant's mail counts on the variant too (the map exists from the campaign's creation).
    const perVariant = variant && (VARIANT_STAT_NAMES as readonly string[]).includes(stat) ? (stat as VariantStatName) : null;
    try {
      // Every delivery, open and click of a campaign updates its one item: concurrent events conflict and retry.
      await transactWrite(this.db, [
        {
          name: 'recipient',
          update: {
            TableName: this.tableName,
            Key: keys.campaignRecipient(tenantId, campaignId, customerId),
            UpdateExpression: 'SET #attribute = :at',
            // The recipient must exist: an Update would otherwise create a stray item with the stamp alone.
            ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(#attribute)',
            ExpressionAttributeNames: { '#attribute': attribute },
            ExpressionAttributeValues: { ':at': at },
          },
          // The current item tells a duplicate (it exists, stamped) from an unknown recipient (none).
          returnCurrent: true,
        },
        {
          name: 'campaign',
          update: {
            TableName: this.tableName,
            Key: keys.campaign(tenantId, campaignId),
            // if_not_exists: a campaign stored before a stat name existed still counts from 0.
            UpdateExpression: `SET #stats.#stat = if_not_exists(#stats.#stat, :zero) + :one${perVariant ? ', #vstats.#variant.#stat = if_not_exists(#vstats.#variant.#stat, :zero) + :one' : ''}`,
            ConditionExpression: `attribute_exists(PK)${perVariant ? ' AND attribute_exists(#vstats.#variant)' : ''}`,
            ExpressionAttributeNames: { '#stats': 'stats', '#stat': stat, ...(perVariant ? { '#vstats': 'variantStats', '#variant': variant! } : {}) },
            ExpressionAttributeValues: { ':zero': 0, ':one': 1 },
          },
        },
      ]);
      return 'counted';
    } catch (error) {
      if (!(error instanceof TransactionConditionFailed)) throw error;
      if (error.failed('recipient')) return error.current('recipient') ? 'duplicate' : 'unknown-recipient';
      if (error.failed('campaign')) return 'unknown-recipient';
      throw error;
    }
  }
}
