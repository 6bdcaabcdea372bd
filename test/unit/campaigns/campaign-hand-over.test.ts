import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../../shared/campaigns/campaign';
import type { CampaignRepository } from '../../../shared/campaigns/campaign-repository';
import { continuationName, continueCampaignRun, planCampaignBatches, type PlanOutcome, type RunPosition } from '../../../shared/campaigns/campaign-flow-use-cases';

const run = { tenantId: 't1', campaignId: 'c1', runId: 'c1-r1' };

/** A campaign whose queued recipients are `ids`, read in key order after a cursor, as the table answers. */
function fakeCampaigns(ids: string[], campaign: Partial<Campaign> = {}) {
  const state = { status: 'sending', runId: run.runId, ratePerSecond: 100, abTest: null, ...campaign } as Campaign;
  const reads: number[] = [];
  const campaigns = {
    get: async () => state,
    queuedAfter: async (_t: string, _c: string, after: string | null, want: number) => {
      reads.push(want);
      const rest = ids.filter((id) => after === null || id > after).slice(0, want);
      return { customerIds: rest, variants: new Map(), orphaned: [], last: rest.at(-1) ?? null, exhausted: rest.length < want };
    },
    moveRecipients: async () => true,
  } as unknown as CampaignRepository;
  return { campaigns, state, reads };
}

/** Runs the plan loop of one execution as the flow does: send rounds until it completes, stops or hands over. */
async function execution(deps: Parameters<typeof planCampaignBatches>[0], start: RunPosition) {
  let position = start;
  const sent: string[][] = [];
  for (;;) {
    const outcome: PlanOutcome = await planCampaignBatches(deps, { ...run, ...position });
    if (outcome.action !== 'send') return { outcome, sent };
    sent.push(...outcome.batches.map((b) => b.customerIds));
    position = { after: outcome.after, planned: outcome.planned, part: outcome.part };
  }
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => `C${String(i).padStart(5, '0')}`);

describe('campaign runs across executions', () => {
  it('plans at most the budget per execution, then hands over at the cursor; every recipient once', async () => {
    const all = ids(1000);
    const { campaigns } = fakeCampaigns(all);
    const deps = { campaigns, accountRatePerSecond: 1000, batchesPerExecution: 5 };
    const parts: number[] = [];
    const mailed: string[] = [];
    let position: RunPosition = { after: null, planned: 0, part: 0 };
    for (;;) {
      const { outcome, sent } = await execution(deps, position);
      parts.push(sent.length);
      mailed.push(...sent.flat());
      expect(sent.every((batch) => batch.length <= 50)).toBe(true);
      if (outcome.action !== 'continue') {
        expect(outcome.action).toBe('complete');
        break;
      }
      expect(outcome.planned).toBe(5);
      position = { after: outcome.after, planned: 0, part: outcome.part + 1 };
    }
    // 1,000 recipients in batches of 50 = 20 batches = 4 executions of 5; the last one finds no one left.
    expect(parts).toEqual([5, 5, 5, 5]);
    expect(mailed).toEqual(all);
  });

  it('completes without a hand-over when the budget is spent exactly at the last recipient', async () => {
    const { campaigns, reads } = fakeCampaigns(ids(250));
    const { outcome, sent } = await execution({ campaigns, accountRatePerSecond: 1000, batchesPerExecution: 5 }, { after: null, planned: 0, part: 0 });
    expect(outcome).toEqual({ action: 'complete' });
    expect(sent).toHaveLength(5);
    // With the budget spent, one id tells a hand-over from the end.
    expect(reads.at(-1)).toBe(1);
  });

  it('keeps rounds of at most 20 batches inside a larger budget, smaller to meet it', async () => {
    const { campaigns } = fakeCampaigns(ids(5000));
    const first = await planCampaignBatches({ campaigns, accountRatePerSecond: 1000, batchesPerExecution: 25 }, { ...run, after: null, planned: 0, part: 0 });
    expect(first.action === 'send' && first.batches.length).toBe(20);
    const second = await planCampaignBatches({ campaigns, accountRatePerSecond: 1000, batchesPerExecution: 25 }, { ...run, after: first.action === 'send' ? first.after : null, planned: 20, part: 0 });
    expect(second.action === 'send' && second.batches.length).toBe(5);
  });

  it('starts the next execution under a name of its own, and none once the run is paused or superseded', async () => {
    const started: { name: string; after: string | null; part: number }[] = [];
    const handOver = { continueRun: async (r: { after: string | null; part: number }, name: string) => void started.push({ name, after: r.after, part: r.part }) };
    const { campaigns, state } = fakeCampaigns([]);
    expect(await continueCampaignRun({ campaigns, handOver }, { ...run, after: 'C00249', part: 0 })).toEqual({ action: 'continued', execution: 'c1-r1-p1' });
    expect(started).toEqual([{ name: continuationName('c1-r1', 1), after: 'C00249', part: 1 }]);
    state.status = 'paused';
    expect(await continueCampaignRun({ campaigns, handOver }, { ...run, after: 'C00499', part: 1 })).toEqual({ action: 'stop', reason: 'paused' });
    state.status = 'sending';
    state.runId = 'c1-r2';
    expect(await continueCampaignRun({ campaigns, handOver }, { ...run, after: 'C00499', part: 1 })).toEqual({ action: 'stop', reason: 'superseded' });
    expect(started).toHaveLength(1);
  });
});
