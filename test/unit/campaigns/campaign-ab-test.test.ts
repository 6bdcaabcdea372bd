import { describe, expect, it } from 'vitest';
import { abTestInput } from '../../../shared/campaigns/campaign-input';
import type { Campaign } from '../../../shared/campaigns/campaign';
import { planCampaignBatches } from '../../../shared/campaigns/campaign-flow-use-cases';
import type { CampaignRepository } from '../../../shared/campaigns/campaign-repository';
import { type AbTest, abVariantOf, awaitWinner, decideTest, emptyVariantStats, pickWinner, variantTemplateKey, variantToSend } from '../../../shared/campaigns/campaign-ab-test';

const test: AbTest = {
  variants: [
    { name: 'A', templateId: 't1', subject: null },
    { name: 'B', templateId: 't2', subject: 'Other' },
  ],
  share: 10,
  winnerBy: 'opened',
  waitMinutes: 90,
  phase: 'testing',
  decideAt: null,
  winner: null,
  decidedAt: null,
  decision: null,
};

describe('A/B test rules', () => {
  it('splits an audience into a share per variant and the rest, the same way every time', () => {
    const counts = { A: 0, B: 0, rest: 0 };
    for (let i = 0; i < 20_000; i++) counts[abVariantOf('camp-1', `cust-${i}`, 10) ?? 'rest']++;
    // 10 % each, within a percent of 20,000.
    expect(Math.abs(counts.A - 2000)).toBeLessThan(200);
    expect(Math.abs(counts.B - 2000)).toBeLessThan(200);
    expect(abVariantOf('camp-1', 'cust-7', 10)).toBe(abVariantOf('camp-1', 'cust-7', 10));
    // At 50 % there is no rest.
    for (let i = 0; i < 1000; i++) expect(abVariantOf('camp-2', `c${i}`, 50)).not.toBeNull();
    // Another campaign splits the same customers differently.
    const same = Array.from({ length: 200 }, (_, i) => abVariantOf('camp-1', `c${i}`, 50) === abVariantOf('camp-3', `c${i}`, 50)).filter(Boolean).length;
    expect(same).toBeLessThan(150);
  });

  it('picks the better rate per mail sent, not the larger count; a tie goes to A', () => {
    const stats = emptyVariantStats();
    stats.A = { ...stats.A, sent: 100, opened: 30, clicked: 1 };
    stats.B = { ...stats.B, sent: 20, opened: 10, clicked: 0 };
    expect(pickWinner(stats, 'opened')).toBe('B');
    expect(pickWinner(stats, 'clicked')).toBe('A');
    expect(pickWinner(emptyVariantStats(), 'opened')).toBe('A');
    const decided = decideTest(test, stats, '2026-12-07T10:00:00.000Z');
    expect(decided).toMatchObject({ phase: 'decided', winner: 'B', decidedAt: '2026-12-07T10:00:00.000Z', decision: { A: { sent: 100, count: 30, rate: 0.3 }, B: { sent: 20, count: 10, rate: 0.5 } } });
  });

  it('waits waitMinutes from the last test mail, and sends the rest the winner', () => {
    expect(awaitWinner(test, '2026-12-07T10:00:00.000Z')).toMatchObject({ phase: 'waiting', decideAt: '2026-12-07T11:30:00.000Z' });
    expect(variantToSend(null, undefined)).toBeNull();
    expect(variantToSend(test, 'B')).toBe('B');
    expect(variantToSend({ ...test, winner: 'B' }, undefined)).toBe('B');
    expect(variantTemplateKey('c1', null)).toBe('c1');
    expect(variantTemplateKey('c1', 'A')).toBe('c1-A');
  });

  it('takes exactly two variants and a whole share of 1 to 50 percent', () => {
    expect(abTestInput.safeParse({ variants: [{}, { subject: 'B' }], share: 50 }).success).toBe(true);
    for (const share of [0, 51, 2.5, -1]) expect(abTestInput.safeParse({ variants: [{}, {}], share }).error?.issues.map((i) => i.path.join('.'))).toEqual(['share']);
    expect(abTestInput.safeParse({ variants: [{}, {}, {}], share: 10 }).success).toBe(false);
    expect(abTestInput.safeParse({ variants: [{}, { color: 'red' }], share: 10 }).success).toBe(false);
  });
});

describe('planning an A/B test', () => {
  const run = { tenantId: 't1', campaignId: 'c1', runId: 'c1-r1' };
  const ids = Array.from({ length: 300 }, (_, i) => `C${String(i).padStart(4, '0')}`);
  const variantOf = (id: string) => abVariantOf('c1', id, 20);

  function fake(abTest: AbTest) {
    let campaign = { status: 'sending', runId: run.runId, ratePerSecond: 1000, version: 1, abTest, variantStats: emptyVariantStats() } as unknown as Campaign;
    const waited: AbTest[] = [];
    const campaigns = {
      get: async () => campaign,
      update: async (_before: Campaign, changes: Partial<Campaign>) => (campaign = { ...campaign, ...changes }),
      awaitWinner: async (_before: Campaign, next: AbTest) => (waited.push(next), (campaign = { ...campaign, abTest: next })),
      queuedAfter: async (_t: string, _c: string, after: string | null, want: number, _r: string, options: { testOnly?: boolean } = {}) => {
        const rest = ids.filter((id) => (after === null || id > after) && (!options.testOnly || variantOf(id))).slice(0, want);
        return { customerIds: rest, variants: new Map(rest.flatMap((id) => (variantOf(id) ? [[id, variantOf(id)!]] : []))), orphaned: [], last: rest.at(-1) ?? null, exhausted: rest.length < want };
      },
      moveRecipients: async () => true,
    } as unknown as CampaignRepository;
    return { campaigns, waited, current: () => campaign };
  }
  const deps = (campaigns: CampaignRepository) => ({ campaigns, accountRatePerSecond: 1000, batchesPerExecution: 1000 });
  const start = { ...run, after: null, planned: 0, part: 0 };

  it('sends only the test recipients, each batch one variant, then waits for the winner', async () => {
    const { campaigns, waited } = fake(test);
    const planned = await planCampaignBatches(deps(campaigns), start);
    if (planned.action !== 'send') throw new Error(planned.action);
    const sent = planned.batches.flatMap((b) => b.customerIds);
    expect([...sent].sort()).toEqual(ids.filter((id) => variantOf(id)));
    for (const batch of planned.batches) expect(batch.customerIds.every((id) => variantOf(id) === batch.variant)).toBe(true);
    const next = await planCampaignBatches(deps(campaigns), { ...start, after: planned.after, planned: planned.planned });
    expect(next).toEqual({ action: 'stop', reason: 'awaiting-winner' });
    expect(waited).toEqual([expect.objectContaining({ phase: 'waiting', decideAt: expect.any(String) })]);
  });

  it('resumed while waiting: nothing before decideAt; after it, the winner to everyone left, from the first recipient', async () => {
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const early = fake({ ...test, phase: 'waiting', decideAt: later });
    expect(await planCampaignBatches(deps(early.campaigns), start)).toEqual({ action: 'stop', reason: 'awaiting-winner' });
    const due = fake({ ...test, phase: 'waiting', decideAt: new Date(Date.now() - 1000).toISOString() });
    const planned = await planCampaignBatches(deps(due.campaigns), { ...start, after: 'C0299' });
    if (planned.action !== 'send') throw new Error(planned.action);
    expect(due.current().abTest).toMatchObject({ phase: 'decided', winner: 'A' });
    // The fake queue still holds the test recipients: the rest get the winner, the tested keep their variant.
    expect(planned.batches.flatMap((b) => b.customerIds)).toHaveLength(300);
    expect(planned.batches.filter((b) => b.variant === 'A').flatMap((b) => b.customerIds)).toEqual(expect.arrayContaining(ids.filter((id) => !variantOf(id))));
  });
});
