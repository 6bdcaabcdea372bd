import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys, TTL_ATTRIBUTE } from '../keys';
import { firstUsableSecond, reservationUsable, SEND_SECONDS_AHEAD } from './send-rate';

/** A counter of sends in one second, with the most it may reach. */
interface RateCounter {
  key: (second: number) => Record<string, string>;
  limit: number;
}

/** A campaign's own rate, on top of the account's. */
export interface CampaignRate {
  tenantId: string;
  campaignId: string;
  ratePerSecond: number;
}

export class SendRateTooLow extends Error {
  constructor(count: number, limit: number) {
    super(`A send of ${count} recipients cannot fit a rate of ${limit} per second`);
    this.name = 'SendRateTooLow';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Counters outlive their second by a day (TTL), long enough to read them back in a benchmark. */
const COUNTER_TTL_SECONDS = 24 * 3600;

/**
 * Reserves room for `count` recipients in a wall-clock second of per-second counters (the SES
 * account's and, for a campaign, the campaign's), waits for that second, and returns when the
 * caller may call SES. Each counter's condition keeps it at or under its limit however many
 * senders run at once; a sender that overslept its second gives the room back and reserves again.
 */
export class SendRateLimiter {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly accountRatePerSecond: number,
  ) {}

  /**
   * Resolves in the second reserved for these `count` sends; the caller then calls SES at once
   * (`true`). `stillWanted` runs after the wait and before the last check that the second is still
   * usable, so whatever it reads cannot push the SES call past its second; when it says no, the
   * room is given back and the result is `false`.
   */
  async acquire(count: number, campaign?: CampaignRate, stillWanted?: () => Promise<boolean>): Promise<boolean> {
    const counters: RateCounter[] = [{ key: (s) => keys.sesSendRate(s), limit: this.accountRatePerSecond }];
    if (campaign) counters.unshift({ key: (s) => keys.campaignSendRate(campaign.tenantId, campaign.campaignId, s), limit: campaign.ratePerSecond });
    for (const counter of counters) if (count > counter.limit) throw new SendRateTooLow(count, counter.limit);

    for (;;) {
      const second = await this.reserveFrom(firstUsableSecond(Date.now()), count, counters);
      const wait = second * 1000 - Date.now();
      if (wait > 0) await sleep(wait);
      if (stillWanted && !(await stillWanted())) {
        await Promise.all(counters.map((c) => this.add(c, second, -count)));
        return false;
      }
      if (reservationUsable(second, Date.now())) return true;
      // Woke too late (a busy event loop): the second is nearly over; give the room back.
      await Promise.all(counters.map((c) => this.add(c, second, -count)));
    }
  }

  /** The first second from `start` where every counter has room; waits past full windows. */
  private async reserveFrom(start: number, count: number, counters: RateCounter[]): Promise<number> {
    let second = start;
    for (;;) {
      if (second - Math.floor(Date.now() / 1000) > SEND_SECONDS_AHEAD) {
        // Every second in sight is taken: let time pass rather than reserve far ahead.
        await sleep(1000);
        second = firstUsableSecond(Date.now());
        continue;
      }
      if (await this.reserveAll(second, count, counters)) return second;
      second++;
    }
  }

  private async reserveAll(second: number, count: number, counters: RateCounter[]): Promise<boolean> {
    const taken: RateCounter[] = [];
    for (const counter of counters) {
      if (await this.tryAdd(counter, second, count)) {
        taken.push(counter);
        continue;
      }
      await Promise.all(taken.map((c) => this.add(c, second, -count)));
      return false;
    }
    return true;
  }

  private async tryAdd(counter: RateCounter, second: number, count: number): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: counter.key(second),
          UpdateExpression: 'ADD sends :n SET #ttl = :ttl',
          ConditionExpression: 'attribute_not_exists(sends) OR sends <= :room',
          ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ':n': count, ':room': counter.limit - count, ':ttl': second + COUNTER_TTL_SECONDS },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private async add(counter: RateCounter, second: number, count: number): Promise<void> {
    await this.db.send(
      new UpdateCommand({ TableName: this.tableName, Key: counter.key(second), UpdateExpression: 'ADD sends :n', ExpressionAttributeValues: { ':n': count } }),
    );
  }
}
