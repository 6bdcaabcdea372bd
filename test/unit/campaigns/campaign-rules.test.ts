import { describe, expect, it } from 'vitest';
import { campaignCost, emailsWithinBudget } from '../../../shared/campaigns/campaign';
import { createCampaignInput } from '../../../shared/campaigns/campaign-input';
import { frozenStatus, type RecipientFacts, skipReason } from '../../../shared/campaigns/campaign-audience';
import { batchSizeFor, firstUsableSecond, reservationUsable, SEND_SECOND_MARGIN_MS } from '../../../shared/campaigns/send-rate';

const sendable: RecipientFacts = { live: true, address: 'a@example.com', consented: true, suppressed: false, capped: false };

describe('campaign audience rules', () => {
  it('names the first reason not to mail, in a fixed order', () => {
    expect(skipReason(sendable)).toBeUndefined();
    expect(skipReason({ ...sendable, live: false })).toBe('no-address');
    expect(skipReason({ ...sendable, address: null, consented: false })).toBe('no-address');
    expect(skipReason({ ...sendable, consented: false, suppressed: true })).toBe('no-consent');
    expect(skipReason({ ...sendable, suppressed: true, capped: true })).toBe('suppressed');
    expect(skipReason({ ...sendable, capped: true })).toBe('capped');
  });

  it('queues until the budget is spent, then marks over-budget; skip reasons come first', () => {
    expect(frozenStatus(sendable, 0, 1)).toBe('queued');
    expect(frozenStatus(sendable, 1, 1)).toBe('over-budget');
    expect(frozenStatus({ ...sendable, consented: false }, 5, 1)).toBe('no-consent');
    expect(frozenStatus(sendable, 10_000, Number.POSITIVE_INFINITY)).toBe('queued');
  });

  it('prices at USD 0.10 per 1,000 emails, exactly', () => {
    expect(campaignCost(0)).toEqual({ currency: 'USD', amount: '0.0000' });
    expect(campaignCost(2)).toEqual({ currency: 'USD', amount: '0.0002' });
    expect(campaignCost(10_000)).toEqual({ currency: 'USD', amount: '1.0000' });
    expect(campaignCost(123_456_789)).toEqual({ currency: 'USD', amount: '12345.6789' });
    expect(emailsWithinBudget(1)).toBe(100);
    expect(emailsWithinBudget(250)).toBe(25_000);
    expect(emailsWithinBudget(null)).toBe(Number.POSITIVE_INFINITY);
  });

  it('validates a draft, naming each bad field', () => {
    const result = createCampaignInput.safeParse({ name: '', templateId: 'a.b', segmentId: 's', topic: 'Promo', ratePerSecond: 0, budget: 1.5, sendAt: 'tomorrow', extra: 1 });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join('.') || (i as { keys?: string[] }).keys?.join(','));
    expect(paths.sort()).toEqual(['budget', 'extra', 'name', 'ratePerSecond', 'sendAt', 'templateId', 'topic'].sort());
  });
});

describe('send-rate rules', () => {
  it('reserves this second unless too little of it is left', () => {
    expect(firstUsableSecond(10_000)).toBe(10);
    expect(firstUsableSecond(10_999 - SEND_SECOND_MARGIN_MS)).toBe(10);
    expect(firstUsableSecond(10_901)).toBe(11);
  });

  it('uses a reservation only inside its second, before the margin', () => {
    expect(reservationUsable(10, 9_999)).toBe(false);
    expect(reservationUsable(10, 10_000)).toBe(true);
    expect(reservationUsable(10, 11_000 - SEND_SECOND_MARGIN_MS - 1)).toBe(true);
    expect(reservationUsable(10, 11_000 - SEND_SECOND_MARGIN_MS)).toBe(false);
  });

  it('batches at most 50, the campaign rate and the account rate', () => {
    expect(batchSizeFor([250, 1000], 50)).toBe(50);
    expect(batchSizeFor([2, 1000], 50)).toBe(2);
    expect(batchSizeFor([100, 14], 50)).toBe(14);
    expect(batchSizeFor([0.5], 50)).toBe(1);
  });
});
