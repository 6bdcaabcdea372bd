import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { clock } from '../clock';
import { keys, TTL_ATTRIBUTE } from '../keys';
import { assertOfferLockArguments, type OfferLock, offerLockDecision } from './offer-lock';

export type OfferLockResult = { acquired: true; until: string } | { acquired: false; heldBy: string; until: string };

const toLock = (item: Record<string, unknown> | undefined): OfferLock | undefined =>
  item && typeof item.offerId === 'string' && typeof item.until === 'string' ? { offerId: item.offerId, until: item.until } : undefined;

/**
 * The offer lock's storage: `T#<t>#C#<id>` / `$MKT#OFFER` `{offerId, until}`. Acquiring is one
 * Put conditional on the item being absent, expired, or held by the same offer (the rule of
 * `offerLockDecision`, written as the condition), so of two offers racing for a customer exactly
 * one wins, and a retried acquire of the winner succeeds again. Times are stored as
 * `toISOString()` strings, whose text order is time order, so the condition compares them.
 */
export class OfferLockRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Takes or renews the lock for `offerId` until `untilIso` (the new end replaces the old one on a re-acquire). */
  async acquireOfferLock(tenantId: string, customerId: string, offerId: string, untilIso: string, nowIso: string = clock.nowIso()): Promise<OfferLockResult> {
    assertOfferLockArguments(offerId, untilIso, nowIso);
    const until = new Date(untilIso).toISOString();
    const now = new Date(nowIso).toISOString();
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.offerLock(tenantId, customerId),
            entity: 'OfferLock',
            offerId,
            until,
            acquiredAt: now,
            // Expiry is decided by the condition; TTL only clears expired locks away eventually.
            [TTL_ATTRIBUTE]: Math.ceil(Date.parse(until) / 1000),
          },
          ConditionExpression: 'attribute_not_exists(PK) OR offerId = :offer OR #until <= :now',
          ExpressionAttributeNames: { '#until': 'until' },
          ExpressionAttributeValues: { ':offer': offerId, ':now': now },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { acquired: true, until };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const holder = toLock(error.Item ? unmarshall(error.Item) : undefined);
      const decision = offerLockDecision(holder, offerId, now);
      // The condition failed, so the item the failure returned is another offer's live lock.
      if (!holder || decision.acquire) throw error;
      return { acquired: false, heldBy: decision.heldBy, until: decision.until };
    }
  }

  /** Ends the lock if `offerId` holds it (expired or not); `false` if it does not (another offer's lock is never touched). */
  async releaseOfferLock(tenantId: string, customerId: string, offerId: string): Promise<boolean> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.offerLock(tenantId, customerId),
          ConditionExpression: 'offerId = :offer',
          ExpressionAttributeValues: { ':offer': offerId },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** The lock as stored (possibly expired), for flows that show why a customer was skipped. */
  async currentOfferLock(tenantId: string, customerId: string): Promise<OfferLock | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.offerLock(tenantId, customerId), ConsistentRead: true }));
    return toLock(result.Item);
  }
}
