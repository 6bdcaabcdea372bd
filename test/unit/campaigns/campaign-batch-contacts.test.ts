import { describe, expect, it } from 'vitest';
import type { BulkEntry } from '../../../shared/aws/ses-mail';
import type { Campaign } from '../../../shared/campaigns/campaign';
import { type BatchSenderDeps, sendCampaignBatch } from '../../../shared/campaigns/campaign-batch-use-case';
import type { ContactRef } from '../../../shared/campaigns/campaign-recipient-repository';
import { verifyUnsubscribeToken } from '../../../shared/consent/unsubscribe-token';

/** A contacts campaign's batch: whose cap, whose liveness, whose address, link and tags. */
describe('a batch of a contacts campaign', () => {
  const SECRET = 'a-test-secret-of-at-least-32-characters';
  const run = { tenantId: 't1', campaignId: 'c1', runId: 'c1-r1', customerIds: ['k1', 'k2', 'k3'], variant: null };
  const campaign = {
    id: 'c1', tenantId: 't1', status: 'sending', runId: 'c1-r1', topic: 'marketing', ratePerSecond: 10, offer: null, abTest: null,
    placeholders: ['contact.name', 'customer.name'], audience: { members: 'contacts' },
  } as unknown as Campaign;
  const companyOf: Record<string, string> = { k1: 'acme', k2: 'acme', k3: 'globex' };
  const companies: Record<string, { id: string; name: string }> = { acme: { id: 'acme', name: 'Acme' }, globex: { id: 'globex', name: 'Globex' } };

  function deps(goneWhileWaiting: string[]) {
    const reserved: string[] = [];
    const released: string[] = [];
    const liveAsked: [string[], string, [string, string][]][] = [];
    const entries: BulkEntry[] = [];
    const d = {
      campaigns: {
        get: async () => campaign,
        recipients: async () => run.customerIds.map((customerId) => ({ campaignId: 'c1', customerId, companyId: companyOf[customerId], status: 'queued' })),
        moveRecipients: async () => true,
      },
      facts: {
        checkContacts: async (_t: string, refs: ContactRef[]) =>
          new Map(
            refs.map((r) => [
              r.id,
              {
                customer: companies[r.companyId],
                contact: { id: r.id, customerId: r.companyId, name: `Person ${r.id}`, emails: [`${r.id}@example.com`] },
                facts: { live: true, address: `${r.id}@example.com`, consented: true, suppressed: false, capped: false },
              },
            ]),
          ),
        liveAmong: async (_t: string, ids: string[], members: string, known: Map<string, string>) => {
          liveAsked.push([ids, members, [...known.entries()]]);
          return new Set(ids.filter((id) => !goneWhileWaiting.includes(id)));
        },
      },
      settings: { get: async () => ({ frequencyCap: { maxEmails: 10, windowDays: 7 }, offerLockDays: 7 }) },
      frequency: { reserveMarketingSend: async () => ({ reserved: false }), releaseMarketingSend: async () => true },
      leadFrequency: { reserveMarketingSend: async () => ({ reserved: false }), releaseMarketingSend: async () => true },
      contactFrequency: {
        reserveMarketingSend: async (_t: string, holder: string) => (reserved.push(holder), { reserved: true }),
        releaseMarketingSend: async (_t: string, holder: string) => (released.push(holder), true),
      },
      offers: { acquireOfferLock: async () => ({ acquired: true }), releaseOfferLock: async () => undefined },
      limiter: { acquire: async (_n: number, _c: unknown, stillWanted?: () => Promise<boolean>) => (stillWanted ? stillWanted() : true) },
      mailer: { sendBulk: async (mail: { entries: BulkEntry[] }) => mail.entries.map((e) => (entries.push(e), { status: 'sent' as const, messageId: `m-${e.to}` })) },
      sesTemplateName: () => 'tpl',
      unsubscribeSecret: async () => SECRET,
      apiBaseUrl: 'https://api.example.com',
    } as unknown as BatchSenderDeps;
    return { d, reserved, released, liveAsked, entries };
  }

  it("reserves each contact's own cap in its company, checks it live with its company, and mails it with its link and tags", async () => {
    const { d, reserved, liveAsked, entries } = deps([]);
    expect(await sendCampaignBatch(d, run)).toMatchObject({ action: 'sent', sent: 3 });
    expect(reserved.sort()).toEqual(['acme#k1', 'acme#k2', 'globex#k3']);
    expect(liveAsked).toEqual([[['k1', 'k2', 'k3'], 'contacts', [['k1', 'acme'], ['k2', 'acme'], ['k3', 'globex']]]]);
    const k3 = entries.find((e) => e.to === 'k3@example.com')!;
    expect(k3.tags).toEqual({ customerId: 'globex', contactId: 'k3', recipientId: 'k3' });
    expect(k3.data).toMatchObject({ contact: { name: 'Person k3' }, customer: { name: 'Globex' } });
    const token = decodeURIComponent(k3.headers[0]!.value.replace(/^<.*\/unsubscribe\/|>$/g, ''));
    expect(verifyUnsubscribeToken(token, SECRET)).toMatchObject({ tenantId: 't1', customerId: 'globex', contactId: 'k3', campaignId: 'c1', topic: 'marketing' });
  });

  it('mails nobody gone while the batch waited, and gives back their cap slot under their company', async () => {
    const { d, released, entries } = deps(['k2']);
    expect(await sendCampaignBatch(d, run)).toMatchObject({ action: 'sent', sent: 2, skipped: 1 });
    expect(entries.map((e) => e.to)).toEqual(['k1@example.com', 'k3@example.com']);
    expect(released).toEqual(['acme#k2']);
  });
});
