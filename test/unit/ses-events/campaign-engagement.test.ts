import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SES_DETAIL_TYPES } from '../../../events/ses/ses-email-event';
import { ENGAGEMENT_STAT_OF_ATTRIBUTE } from '../../../shared/campaigns/campaign';
import { campaignEngagement, ENGAGEMENT_ATTRIBUTE_OF_SES_EVENT } from '../../../shared/ses-events/campaign-engagement';
import { CampaignEngagementRepository } from '../../../shared/ses-events/campaign-engagement-repository';
import { handleSesEvent, type SesEventDeps } from '../../../shared/ses-events/ses-event-use-cases';

const campaignMail = { tenantId: 't-1', customerId: 'c-1', campaignId: 'cmp-1', recipientId: 'c-1' };

describe('campaign engagement of an SES event', () => {
  it('stamps one attribute per kind, each counting its own stat; every bounce type is a bounce', () => {
    const attributes = Object.fromEntries(Object.keys(SES_DETAIL_TYPES).map((kind) => [kind, campaignEngagement(kind as keyof typeof SES_DETAIL_TYPES, campaignMail)?.attribute]));
    expect(attributes).toEqual({ delivery: 'deliveredAt', bounce: 'bouncedAt', complaint: 'complainedAt', open: 'openedAt', click: 'clickedAt' });
    const stats = Object.values(ENGAGEMENT_ATTRIBUTE_OF_SES_EVENT).map((a) => ENGAGEMENT_STAT_OF_ATTRIBUTE[a]);
    expect(stats).toEqual(['delivered', 'bounced', 'complained', 'opened', 'clicked']);
    expect(campaignEngagement('open', campaignMail)).toEqual({ campaignId: 'cmp-1', recipientId: 'c-1', attribute: 'openedAt', variant: null });
    // An A/B variant's mail names its variant; anything else in the tag is not one.
    expect(campaignEngagement('open', { ...campaignMail, variant: 'B' })?.variant).toBe('B');
    expect(campaignEngagement('open', { ...campaignMail, variant: 'C' })?.variant).toBeNull();
  });

  it('is none for a mail without campaign and recipient tags, or with tags that are not ids', () => {
    expect(campaignEngagement('delivery', { tenantId: 't-1', customerId: 'c-1' })).toBeUndefined();
    expect(campaignEngagement('delivery', { tenantId: 't-1', customerId: 'c-1', campaignId: 'cmp-1' })).toBeUndefined();
    expect(campaignEngagement('delivery', { tenantId: 't-1', customerId: 'c-1', recipientId: 'c-1' })).toBeUndefined();
    expect(campaignEngagement('delivery', { ...campaignMail, campaignId: 'a#b' })).toBeUndefined();
    expect(campaignEngagement('delivery', { ...campaignMail, recipientId: 'x'.repeat(65) })).toBeUndefined();
  });
});

const ddb = mockClient(DynamoDBDocumentClient);
const repository = () => new CampaignEngagementRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'crm-table');
const AT = '2026-11-23T12:00:03.000Z';
const cancelled = (reasons: { Code: string; Item?: Record<string, unknown> }[]) =>
  new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: reasons.map((r) => ({ Code: r.Code, Item: r.Item ? (marshall(r.Item) as never) : undefined })),
  });

describe('CampaignEngagementRepository', () => {
  beforeEach(() => ddb.reset());

  it('stamps the recipient if it exists and is not stamped yet, and adds 1 to the stat, in one transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    expect(await repository().record('t-1', 'cmp-1', 'c-1', 'clickedAt', AT)).toBe('counted');
    const [recipient, campaign] = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(recipient!.Update).toMatchObject({
      Key: { PK: 'T#t-1#CAMP#cmp-1', SK: 'R#c-1' },
      UpdateExpression: 'SET #attribute = :at',
      ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(#attribute)',
      ExpressionAttributeNames: { '#attribute': 'clickedAt' },
      ExpressionAttributeValues: { ':at': AT },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    expect(campaign!.Update).toMatchObject({
      Key: { PK: 'T#t-1#CAMPAIGNS', SK: 'CAMP#cmp-1' },
      UpdateExpression: 'SET #stats.#stat = if_not_exists(#stats.#stat, :zero) + :one',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeNames: { '#stats': 'stats', '#stat': 'clicked' },
    });
  });

  it('a stamped recipient is a duplicate; a missing recipient or campaign is unknown', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled([{ Code: 'ConditionalCheckFailed', Item: { PK: 'x', SK: 'R#c-1', openedAt: AT } }, { Code: 'None' }]))
      .rejectsOnce(cancelled([{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }]))
      .rejectsOnce(cancelled([{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }]));
    expect(await repository().record('t-1', 'cmp-1', 'c-1', 'openedAt', AT)).toBe('duplicate');
    expect(await repository().record('t-1', 'cmp-1', 'c-1', 'openedAt', AT)).toBe('unknown-recipient');
    expect(await repository().record('t-1', 'cmp-1', 'c-1', 'openedAt', AT)).toBe('unknown-recipient');
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(3);
  });

  it('retries a transaction conflict (every event of a campaign updates one item) and throws real errors', async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled([{ Code: 'None' }, { Code: 'TransactionConflict' }])).resolves({});
    expect(await repository().record('t-1', 'cmp-1', 'c-1', 'deliveredAt', AT)).toBe('counted');
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);

    ddb.reset();
    ddb.on(TransactWriteCommand).rejects(cancelled([{ Code: 'None' }, { Code: 'ValidationError' }]));
    await expect(repository().record('t-1', 'cmp-1', 'c-1', 'deliveredAt', AT)).rejects.toThrow(TransactionCanceledException);
    ddb.reset();
    ddb.on(TransactWriteCommand).rejects(new Error('network down'));
    await expect(repository().record('t-1', 'cmp-1', 'c-1', 'deliveredAt', AT)).rejects.toThrow('network down');
  });
});

describe('handleSesEvent and campaigns', () => {
  const event = (tags: Record<string, string[]>, detailType = 'Email Opened') => ({
    version: '0',
    id: 'ev-1',
    'detail-type': detailType,
    source: 'aws.ses',
    account: '000000000000',
    time: '2026-11-23T12:00:05Z',
    region: 'eu-central-1',
    resources: [],
    detail: {
      eventType: 'Open',
      mail: { timestamp: '2026-11-23T12:00:00.000Z', source: 'crm@example.com', messageId: 'msg-1', destination: ['ada@example.com'], tags },
      open: { timestamp: AT },
      bounce: { bounceType: 'Transient', bounceSubType: 'MailboxFull', bouncedRecipients: [{ emailAddress: 'ada@example.com' }], timestamp: AT },
    },
  });
  const fakeDeps = (timeline: 'recorded' | 'duplicate' | 'customer-gone' = 'recorded') => {
    const calls: unknown[][] = [];
    const automationCalls: unknown[][] = [];
    const signals: unknown[][] = [];
    const deps: SesEventDeps = {
      suppressions: { add: async () => ({}) as never },
      timeline: { recordOnce: async () => timeline },
      leadSignals: {
        record: async (...args) => {
          signals.push(args);
        },
      },
      engagement: {
        record: async (...args) => {
          calls.push(args);
          return 'counted';
        },
      },
      automationStats: {
        recordEngagement: async (...args) => {
          automationCalls.push(args);
          return 'counted';
        },
      },
    };
    return { deps, calls, automationCalls, signals };
  };
  const campaignTags = { tenant: ['t-1'], customer: ['c-1'], campaign: ['cmp-1'], recipient: ['c-1'] };

  it("counts a campaign mail's event on its recipient at the event's time, even when the timeline entry was a duplicate", async () => {
    for (const timeline of ['recorded', 'duplicate', 'customer-gone'] as const) {
      const { deps, calls } = fakeDeps(timeline);
      expect(await handleSesEvent(deps, event(campaignTags))).toMatchObject({ recorded: true, timeline, campaign: 'counted' });
      expect(calls).toEqual([['t-1', 'cmp-1', 'c-1', 'openedAt', AT, null]]);
    }
  });

  it('a soft bounce counts as bounced (nothing suppressed)', async () => {
    const { deps, calls } = fakeDeps();
    expect(await handleSesEvent(deps, event(campaignTags, 'Email Bounced'))).toMatchObject({ suppressed: [], campaign: 'counted' });
    expect(calls).toEqual([['t-1', 'cmp-1', 'c-1', 'bouncedAt', AT, null]]);
  });

  it('leaves campaigns and automations alone for a mail neither sent', async () => {
    const { deps, calls, automationCalls } = fakeDeps();
    expect(await handleSesEvent(deps, event({ tenant: ['t-1'], customer: ['c-1'] }))).toMatchObject({ recorded: true, campaign: null, automation: null });
    expect(calls).toEqual([]);
    expect(automationCalls).toEqual([]);
  });

  it("counts an automation mail's event on its send record, named by the automation and event tags", async () => {
    const { deps, calls, automationCalls } = fakeDeps('duplicate');
    const tags = { tenant: ['t-1'], customer: ['c-1'], automation: ['auto-1'], event: ['evt-1'], topic: ['marketing'] };
    expect(await handleSesEvent(deps, event(tags))).toMatchObject({ recorded: true, campaign: null, automation: 'counted' });
    expect(calls).toEqual([]);
    expect(automationCalls).toEqual([[{ tenantId: 't-1', recipient: { kind: 'customer', id: 'c-1' }, automationId: 'auto-1', eventId: 'evt-1' }, 'openedAt', AT]]);
  });

  it("counts a lead's automation mail on the send in the lead's partition, writes no timeline, and scores its first open", async () => {
    const { deps, automationCalls, signals } = fakeDeps();
    const tags = { tenant: ['t-1'], lead: ['L-1'], automation: ['auto-1'], event: ['evt-1'], topic: ['marketing'] };
    expect(await handleSesEvent(deps, event(tags))).toMatchObject({ recorded: true, timeline: 'not-a-customer', automation: 'counted' });
    expect(automationCalls).toEqual([[{ tenantId: 't-1', recipient: { kind: 'lead', id: 'L-1' }, automationId: 'auto-1', eventId: 'evt-1' }, 'openedAt', AT]]);
    expect(signals).toEqual([['t-1', 'L-1', 'email-opened', AT, 'msg-1']]);
  });

  it('counts nothing for an automation tag without its event, or ids that are not ours', async () => {
    const { deps, automationCalls } = fakeDeps();
    await handleSesEvent(deps, event({ tenant: ['t-1'], customer: ['c-1'], automation: ['auto-1'] }));
    await handleSesEvent(deps, event({ tenant: ['t-1'], customer: ['c-1'], automation: ['auto-1'], event: ['a'.repeat(65)] }));
    expect(automationCalls).toEqual([]);
  });
});
