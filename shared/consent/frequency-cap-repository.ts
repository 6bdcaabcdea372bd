import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { keys, TTL_ATTRIBUTE } from '../keys';
import { type FrequencyCap, frequencyExpiresAt, planRelease, planReservation, type SendRecord } from './frequency-cap';

export type SendReservation = { reserved: true } | { reserved: false; reason: 'capped'; nextAllowedAt: string };

/**
 * Every attempt lost a race: other writers kept changing the customer's sends. Each lost race
 * means another reservation or release was stored, so this takes more concurrent senders for one
 * customer than a cap allows; the caller (a flow) retries later.
 */
export class MarketingSendContention extends Error {
  constructor(customerId: string) {
    super(`Too many concurrent marketing sends for customer ${customerId}; retry`);
    this.name = 'MarketingSendContention';
  }
}

/** Attempts of one reservation or release; the K-th concurrent sender of a customer needs K. */
export const FREQUENCY_WRITE_ATTEMPTS = 12;

interface FrequencyState {
  sends: SendRecord[];
  /** 0: no item yet. */
  version: number;
}

const toState = (item: Record<string, unknown> | undefined): FrequencyState => ({
  sends: Array.isArray(item?.sends) ? (item.sends as SendRecord[]) : [],
  version: typeof item?.version === 'number' ? item.version : 0,
});

/** A short random pause so the losers of a race do not collide again in lock step. */
const jitter = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 20));

/**
 * The frequency cap's storage: one item per customer, `T#<t>#C#<id>` / `$MKT#FREQ`, holding its
 * recent sends and a version. A write is a whole-item Put conditional on the version read, so of
 * two concurrent reservations that read the same sends, one is stored and the other reads again
 * (the failed condition returns the item) and decides on what is there now. No send is counted
 * twice: a send id already recorded is reserved without a write.
 */
export class FrequencyCapRepository {
  /** `keyOf`: whose cap item this repository keeps, a customer's (the default) or a lead's. */
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly keyOf: (tenantId: string, recipientId: string) => { PK: string; SK: string } = keys.marketingFrequency,
  ) {}

  /** Records the send if fewer than `cap.maxEmails` sends happened in the window ending at `nowIso`. */
  async reserveMarketingSend(tenantId: string, customerId: string, sendId: string, nowIso: string, cap: FrequencyCap): Promise<SendReservation> {
    return this.change<SendReservation>(tenantId, customerId, (state) => {
      const plan = planReservation(state.sends, sendId, nowIso, cap);
      if (plan.kind === 'already-reserved') return { result: { reserved: true } };
      if (plan.kind === 'capped') return { result: { reserved: false, reason: 'capped', nextAllowedAt: plan.nextAllowedAt } };
      return { result: { reserved: true }, sends: plan.sends };
    });
  }

  /** Gives back the slot of a send that finally failed; `false` if the send was not recorded (never reserved, or pruned). */
  async releaseMarketingSend(tenantId: string, customerId: string, sendId: string): Promise<boolean> {
    return this.change<boolean>(tenantId, customerId, (state) => {
      const sends = planRelease(state.sends, sendId);
      return sends ? { result: true, sends } : { result: false };
    });
  }

  /** The recorded sends (newest first), for tests and diagnostics. */
  async sends(tenantId: string, customerId: string): Promise<SendRecord[]> {
    return (await this.read(tenantId, customerId)).sends;
  }

  private async read(tenantId: string, customerId: string): Promise<FrequencyState> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: this.keyOf(tenantId, customerId), ConsistentRead: true }));
    return toState(result.Item);
  }

  /** Read, decide, write over the version read; on a lost race decide again on the item the failure returned. */
  private async change<T>(tenantId: string, customerId: string, decide: (state: FrequencyState) => { result: T; sends?: SendRecord[] }): Promise<T> {
    let state = await this.read(tenantId, customerId);
    for (let attempt = 1; attempt <= FREQUENCY_WRITE_ATTEMPTS; attempt++) {
      const { result, sends } = decide(state);
      if (!sends) return result;
      try {
        await this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...this.keyOf(tenantId, customerId),
              entity: 'MarketingFrequency',
              sends,
              version: state.version + 1,
              [TTL_ATTRIBUTE]: frequencyExpiresAt(sends),
            },
            ...(state.version === 0
              ? { ConditionExpression: 'attribute_not_exists(PK)' }
              : { ConditionExpression: '#version = :expected', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':expected': state.version } }),
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return result;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        // The item as it is now comes with the failure: decide again without another read.
        state = toState(error.Item ? unmarshall(error.Item) : undefined);
        await jitter();
      }
    }
    throw new MarketingSendContention(customerId);
  }
}
