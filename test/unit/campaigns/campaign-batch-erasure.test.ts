import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../../shared/campaigns/campaign';
import { type BatchSenderDeps, sendCampaignBatch } from '../../../shared/campaigns/campaign-batch-use-case';
import type { RecipientChange } from '../../../shared/campaigns/campaign-repository';

/** An erasure that commits while a campaign batch waits for its second in the send rate. */
describe('a campaign batch racing an erasure', () => {
  const run = { tenantId: 't1', campaignId: 'c1', runId: 'c1-r1', customerIds: ['a', 'b', 'c'], variant: null };
  const campaign = { id: 'c1', tenantId: 't1', status: 'sending', runId: 'c1-r1', topic: 'marketing', ratePerSecond: 10, offer: null, placeholders: [], abTest: null } as unknown as Campaign;

  function deps(erasedWhileWaiting: string[]) {
    const erased = new Set<string>();
    const moves: RecipientChange[][] = [];
    const mailedTo: string[] = [];
    const released: string[] = [];
    const d = {
      campaigns: {
        get: async () => campaign,
        recipients: async () => run.customerIds.map((customerId) => ({ campaignId: 'c1', customerId, status: 'queued' })),
        moveRecipients: async (_t: string, _c: string, changes: RecipientChange[]) => (moves.push(changes), true),
      },
      facts: {
        check: async (_t: string, ids: string[]) =>
          new Map(ids.map((id) => [id, { customer: { id, name: id, emails: [`${id}@example.com`] }, facts: { live: true, address: `${id}@example.com`, consented: true, suppressed: false, capped: false } }])),
        liveAmong: async (_t: string, ids: string[]) => new Set(ids.filter((id) => !erased.has(id))),
      },
      settings: { get: async () => ({ frequencyCap: { maxEmails: 10, windowDays: 7 }, offerLockDays: 7 }) },
      frequency: { reserveMarketingSend: async () => ({ reserved: true }), releaseMarketingSend: async (_t: string, id: string) => void released.push(id) },
      leadFrequency: { reserveMarketingSend: async () => ({ reserved: true }), releaseMarketingSend: async () => true },
      offers: { acquireOfferLock: async () => ({ acquired: true }), releaseOfferLock: async () => undefined },
      limiter: {
        // The wait for a second with room: the erasure commits during it.
        acquire: async (_n: number, _c: unknown, stillWanted?: () => Promise<boolean>) => {
          erasedWhileWaiting.forEach((id) => erased.add(id));
          return stillWanted ? stillWanted() : true;
        },
      },
      mailer: {
        sendBulk: async ({ entries }: { entries: { to: string }[] }) => entries.map((e) => (mailedTo.push(e.to), { status: 'sent' as const, messageId: `m-${e.to}` })),
      },
      sesTemplateName: () => 'tpl',
      unsubscribeSecret: async () => 'a-test-secret-of-at-least-32-characters',
      apiBaseUrl: 'https://api.example.com',
    } as unknown as BatchSenderDeps;
    return { d, moves, mailedTo, released };
  }

  it('mails nobody erased before the send, settles them unreachable and gives back their cap slot', async () => {
    const { d, moves, mailedTo, released } = deps(['b']);
    expect(await sendCampaignBatch(d, run)).toMatchObject({ action: 'sent', sent: 2, skipped: 1 });
    expect(mailedTo).toEqual(['a@example.com', 'c@example.com']);
    expect(moves.flat().filter((m) => m.from === 'sending').map((m) => [m.customerId, m.to])).toEqual([
      ['b', 'no-address'],
      ['a', 'sent'],
      ['c', 'sent'],
    ]);
    expect(released).toEqual(['b']);
  });

  it('sends nothing when everyone was erased meanwhile', async () => {
    const { d, mailedTo } = deps(['a', 'b', 'c']);
    expect(await sendCampaignBatch(d, run)).toMatchObject({ action: 'sent', sent: 0, skipped: 3 });
    expect(mailedTo).toEqual([]);
  });
});
