import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Activity } from '../activities/activity';
import { type NamedItem, TransactionConditionFailed, transactWrite } from '../aws/transact-write';
import { LIVE_PROFILE_CONDITION, LIVE_PROFILE_VALUES } from '../customers/live-profile';
import { type MarketingRecipient, recipientOfClaims, recipientTags } from '../consent/marketing-recipient';
import { GONE_SKIP } from '../consent/marketing-send';
import { keys, TABLE_INDEXES, TTL_ATTRIBUTE } from '../keys';
import { AUTOMATION_SEND_KIND } from './automation-send';
import { automationOutcomeCounter } from './automation-stats';
import { leasedSortKey } from './marketing-due';

/** One automation's send for one domain event, to the customer or lead the event is about. */
export interface AutomationSendRef {
  tenantId: string;
  recipient: MarketingRecipient;
  automationId: string;
  eventId: string;
}

export interface AutomationSendRecord extends AutomationSendRef {
  /** The event's detail-type and time, for the timeline and for reading the item later. */
  eventType: string;
  occurredAt: string;
}

/** The id of a send on the marketing-due index: one per contact when an event mails a company's contacts. */
export const dueIdOf = (send: Pick<AutomationSendRef, 'automationId' | 'eventId' | 'recipient'>) =>
  send.recipient.kind === 'contact' ? `${send.automationId}#${send.eventId}#${send.recipient.id}` : `${send.automationId}#${send.eventId}`;

/** The record as the marketing-due item holds it (the sweep hands the whole item back). */
export function automationSendFromItem(item: Record<string, unknown>): AutomationSendRecord {
  return {
    tenantId: String(item.tenantId),
    recipient: recipientOfClaims({ customerId: String(item.customerId), leadId: typeof item.leadId === 'string' ? item.leadId : undefined, contactId: typeof item.contactId === 'string' ? item.contactId : undefined }),
    automationId: String(item.automationId),
    eventId: String(item.eventId),
    eventType: String(item.eventType),
    occurredAt: String(item.occurredAt),
  };
}

export type SendClaim = { claimed: true; leasedSortKey: string } | { claimed: false; reason: 'duplicate' | 'customer-gone' | 'lead-gone' | 'contact-gone' };

/**
 * The check that the recipient is still there, beside every write into its partition: a customer
 * neither merged nor erased, a lead neither erased nor converted (its partition is then a record
 * of the past: conversion copied it to the customer, erasure deletes it), a contact that exists
 * at a live company.
 */
function liveRecipientCheck(tableName: string, tenantId: string, recipient: MarketingRecipient): NamedItem[] {
  if (recipient.kind === 'lead') {
    return [{
      name: 'profile',
      conditionCheck: {
        TableName: tableName,
        Key: keys.lead(tenantId, recipient.id),
        ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(erasedAt) AND #status <> :converted',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':converted': 'converted' },
      },
    }];
  }
  const company = recipient.kind === 'contact' ? recipient.customerId : recipient.id;
  const profile: NamedItem = { name: 'profile', conditionCheck: { TableName: tableName, Key: keys.customer(tenantId, company), ConditionExpression: LIVE_PROFILE_CONDITION, ExpressionAttributeValues: LIVE_PROFILE_VALUES } };
  if (recipient.kind !== 'contact') return [profile];
  return [profile, { name: 'contact', conditionCheck: { TableName: tableName, Key: keys.contact(tenantId, company, recipient.id), ConditionExpression: 'attribute_exists(PK)' } }];
}

/** Send records outlive their due time by 90 days: a redelivery or an archive replay of a recent event finds it and sends nothing. */
const KEEP_SECONDS = 90 * 24 * 3600;

/**
 * The send records (`T#<t>#C#<id>` or `T#<t>#L#<id>` / `$MKT#AUTO#<automationId>#<eventId>`): written once per
 * automation and event with `attribute_not_exists`, which makes a redelivered event a no-op, and
 * carrying the marketing-due GSI2 keys while the send is pending (delayed, or claimed and not yet
 * finished). The first write also checks that the recipient is live, so nothing lands beside a
 * tombstone.
 */
export class AutomationSendRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** A delayed send: pending on the index until `dueAt`. */
  async schedule(send: AutomationSendRecord, dueAt: string, nowIso: string): Promise<SendClaim> {
    const due = keys.marketingDue(dueAt, send.tenantId, AUTOMATION_SEND_KIND, dueIdOf(send));
    return this.record(send, { ...due, status: 'pending', dueAttempts: 0 }, dueAt, nowIso);
  }

  /**
   * A send about to happen now: recorded as already claimed by the caller, on the index at the
   * end of its lease, so the sweep retries it only if the caller fails to finish it.
   */
  async claimNow(send: AutomationSendRecord, nowIso: string): Promise<SendClaim> {
    const leased = leasedSortKey({ tenantId: send.tenantId, kind: AUTOMATION_SEND_KIND, id: dueIdOf(send) }, nowIso);
    return this.record(send, { GSI2PK: keys.marketingDuePartition, GSI2SK: leased, status: 'sending', dueAttempts: 1 }, nowIso, nowIso);
  }

  /**
   * Records the outcome and takes the send off the index, with the timeline entry of a sent mail
   * in the same transaction: a send recorded as sent is never retried. Only if `leasedSortKey` is
   * still the send's (no other run took it over); false otherwise. The automation's counter of the
   * outcome moves in the same transaction: the lease condition lets one finish commit, so a send
   * counts once however often it is retried.
   */
  async finish(send: AutomationSendRef, leasedSortKey: string, result: { outcome: string; messageId?: string; nextAllowedAt?: string }, nowIso: string, activity?: Activity): Promise<boolean> {
    const { gsi2 } = TABLE_INDEXES;
    const update: NamedItem = {
      name: 'send',
      update: {
        TableName: this.tableName,
        Key: keys.automationSend(send.tenantId, send.recipient, send.automationId, send.eventId),
        UpdateExpression: 'SET #status = :outcome, finishedAt = :now, messageId = :messageId, nextAllowedAt = :next REMOVE #pk, #sk',
        ConditionExpression: '#sk = :leased',
        ExpressionAttributeNames: { '#status': 'status', '#pk': gsi2.pk, '#sk': gsi2.sk },
        ExpressionAttributeValues: { ':outcome': result.outcome, ':now': nowIso, ':messageId': result.messageId ?? null, ':next': result.nextAllowedAt ?? null, ':leased': leasedSortKey },
      },
    };
    const counter = automationOutcomeCounter(result.outcome);
    const stats: NamedItem[] = counter
      ? [
          {
            name: 'stats',
            update: {
              TableName: this.tableName,
              Key: keys.automationStats(send.tenantId, send.automationId),
              UpdateExpression: 'SET #entity = :entity ADD #counter :one',
              ExpressionAttributeNames: { '#entity': 'entity', '#counter': counter },
              ExpressionAttributeValues: { ':entity': 'AutomationStats', ':one': 1 },
            },
          },
        ]
      : [];
    // A customer's timeline (a contact's company's) has the mail; a lead has none: its send record is the trace.
    const entry: NamedItem[] =
      activity && send.recipient.kind !== 'lead'
        ? [
            ...liveRecipientCheck(this.tableName, send.tenantId, send.recipient).filter((check) => check.name === 'profile'),
            { name: 'entry', put: { TableName: this.tableName, Item: { ...keys.activity(send.tenantId, activity.customerId, activity.occurredAt, activity.id), entity: 'Activity', ...activity } } },
          ]
        : [];
    try {
      await transactWrite(this.db, [update, ...entry, ...stats]);
      return true;
    } catch (error) {
      if (!(error instanceof TransactionConditionFailed)) throw error;
      if (error.failed('send')) return false;
      // Erased or merged since the mail went: record the outcome without a timeline entry beside the tombstone.
      if (activity && error.failed('profile')) return this.finish(send, leasedSortKey, result, nowIso);
      throw error;
    }
  }

  private async record(send: AutomationSendRecord, state: Record<string, unknown>, dueAt: string, nowIso: string): Promise<SendClaim> {
    const key = keys.automationSend(send.tenantId, send.recipient, send.automationId, send.eventId);
    // The item names its recipient as the mail's tags do (`customerId`, `leadId`, `contactId`), as stored sends always have.
    const { recipient, ...rest } = send;
    const item = { ...key, entity: 'AutomationSend', dueKind: AUTOMATION_SEND_KIND, ...rest, ...recipientTags(recipient), dueAt, createdAt: nowIso, ...state, [TTL_ATTRIBUTE]: Math.ceil(Date.parse(dueAt) / 1000) + KEEP_SECONDS };
    try {
      await transactWrite(this.db, [
        ...liveRecipientCheck(this.tableName, send.tenantId, send.recipient),
        { name: 'send', put: { TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(PK)' } },
      ]);
      const leased = String(state.GSI2SK);
      return { claimed: true, leasedSortKey: leased };
    } catch (error) {
      if (!(error instanceof TransactionConditionFailed)) throw error;
      // A redelivered event finds its record whatever became of the customer since: a duplicate first.
      if (error.failed('send')) return { claimed: false, reason: 'duplicate' };
      // A contact whose company went is gone with it.
      if (error.failed('profile') || error.failed('contact')) return { claimed: false, reason: GONE_SKIP[send.recipient.kind] };
      throw error;
    }
  }
}
