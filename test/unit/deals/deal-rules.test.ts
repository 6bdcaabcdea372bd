import { describe, expect, it } from 'vitest';
import { applyDealPatch, boardColumnOf, dealFactChange, forecastDateOf, lifecycleAfterWin, newDeal } from '../../../shared/deals/deal';
import { DealClosed } from '../../../shared/deals/deal-errors';
import { aggregateUpdates, boardDelta, netBoardDeltas } from '../../../shared/deals/deal-items';
import { forecast, parsePeriod } from '../../../shared/deals/forecast';
import { fromMinor, fromMinorPercent, toMinor } from '../../../shared/deals/money';
import { ValidationFailed } from '../../../shared/errors';
import type { Caller } from '../../../shared/access/caller';
import { newPipeline } from '../../../shared/pipelines/pipeline';

const caller: Caller = { userId: 'ann', tenantId: 't1', groups: ['rep'], teamId: 'north' };
const NOW = '2027-01-10T09:00:00.000Z';
const pipeline = newPipeline(
  { name: 'Sales', stages: [{ id: 'qualified', name: 'Q', probability: 10 }, { id: 'proposal', name: 'P', probability: 50 }, { id: 'negotiation', name: 'N', probability: 80 }] },
  caller, 'p1', NOW,
);
const deal = newDeal({ customerId: 'c1', pipelineId: 'p1', name: 'Pilot', amount: '100.5', currency: 'EUR', expectedCloseDate: '2027-02-01' }, pipeline, { id: 'ann', teamId: 'north' }, caller, 'd1', NOW);

describe('money', () => {
  it('converts decimal strings to hundredths and back without float drift; weighted sums round once, half up', () => {
    expect(toMinor('0.1') + toMinor('0.2')).toBe(30);
    expect(toMinor('100.5')).toBe(10050);
    expect(fromMinor(toMinor('999999999999.99'))).toBe('999999999999.99');
    expect(fromMinorPercent(20005n * 50n)).toBe('100.03');
    expect(fromMinorPercent(-20005n * 50n)).toBe('-100.03');
  });
});

describe('pipelines', () => {
  it('default the forecast category from the probability', () => {
    expect(pipeline.stages.map((s) => s.forecastCategory)).toEqual(['pipeline', 'bestCase', 'commit']);
  });
});

describe('deal rules', () => {
  it('start in the first stage and reject a stage of no pipeline stage, naming stageId', () => {
    expect(deal).toMatchObject({ stageId: 'qualified', status: 'open', amountMinor: 10050, version: 1 });
    expect(() => applyDealPatch(deal, { stageId: 'won' }, pipeline, undefined, caller, NOW)).toThrow(ValidationFailed);
  });

  it('move, close and reopen with the transition the history and events follow', () => {
    const moved = applyDealPatch(deal, { stageId: 'proposal' }, pipeline, undefined, caller, NOW);
    expect(moved.transition).toEqual({ kind: 'moved', from: 'qualified', to: 'proposal' });
    expect(moved.after.version).toBe(2);
    expect(() => applyDealPatch(moved.after, { status: 'lost' }, pipeline, undefined, caller, NOW)).toThrow(ValidationFailed);
    const lost = applyDealPatch(moved.after, { status: 'lost', reason: 'Price' }, pipeline, undefined, caller, NOW);
    expect(lost.transition).toEqual({ kind: 'lost', from: 'proposal' });
    expect(lost.after).toMatchObject({ status: 'lost', closedAt: NOW, closeReason: 'Price' });
    expect(() => applyDealPatch(lost.after, { name: 'Renamed' }, pipeline, undefined, caller, NOW)).toThrow(DealClosed);
    const reopened = applyDealPatch(lost.after, { status: 'open' }, pipeline, undefined, caller, NOW);
    expect(reopened.transition).toEqual({ kind: 'reopened', from: 'lost', to: 'proposal' });
    expect(reopened.after).toMatchObject({ status: 'open', closedAt: null, closeReason: null });
  });

  it('answer an unchanged deal for a patch that changes nothing', () => {
    expect(applyDealPatch(deal, { stageId: 'qualified' }, pipeline, undefined, caller, NOW).after).toBe(deal);
  });

  it('place deals on the board and in the forecast by status', () => {
    const won = { ...deal, status: 'won' as const, closedAt: '2027-03-05T10:00:00.000Z' };
    expect(boardColumnOf(deal)).toBe('STAGE#qualified');
    expect(boardColumnOf(won)).toBe('WON');
    expect(forecastDateOf(deal)).toBe('2027-02-01');
    expect(forecastDateOf(won)).toBe('2027-03-05');
    expect(forecastDateOf({ ...deal, status: 'lost' })).toBeNull();
  });

  it('move the deal facts: opening counts, closing restarts the open-deal clock, winning sets the won clock', () => {
    expect(dealFactChange(null, deal)).toEqual({ openDelta: 1, closed: false, won: false });
    expect(dealFactChange(deal, { status: 'won' })).toEqual({ openDelta: -1, closed: true, won: true });
    expect(dealFactChange({ status: 'lost' }, deal)).toEqual({ openDelta: 1, closed: false, won: false });
    expect(dealFactChange(deal, deal)).toEqual({ openDelta: 0, closed: false, won: false });
  });

  it('make a winner a customer, never backwards', () => {
    expect(lifecycleAfterWin('lead')).toBe('customer');
    expect(lifecycleAfterWin('churned')).toBe('customer');
    expect(lifecycleAfterWin('customer')).toBeNull();
    expect(lifecycleAfterWin('evangelist')).toBeNull();
  });
});

describe('board aggregates', () => {
  it('update each touched column once: a stage move takes count and amount from one column to the other', () => {
    const moved = { ...deal, stageId: 'proposal', amountMinor: 20000 };
    const items = aggregateUpdates('table', 't1', 'p1', deal, moved);
    expect(items.map((i) => [i.Update!.Key!.SK, i.Update!.ExpressionAttributeValues])).toEqual([
      ['STAGE#qualified', { ':count': -1, ':s0': -10050, ':entity': 'BoardAggregate' }],
      ['STAGE#proposal', { ':count': 1, ':s0': 20000, ':entity': 'BoardAggregate' }],
    ]);
    const reCurrency = aggregateUpdates('table', 't1', 'p1', deal, { ...deal, currency: 'USD' });
    expect(reCurrency).toHaveLength(1);
    expect(reCurrency[0]!.Update!.ExpressionAttributeNames).toEqual({ '#count': 'count', '#s0': 'sum:EUR', '#s1': 'sum:USD' });
    expect(aggregateUpdates('table', 't1', 'p1', deal, { ...deal, name: 'Renamed' })).toEqual([]);
  });

  it("add up a batch's deals per column and currency, leaving out columns that net to nothing (an import's one update per column)", () => {
    const won = { ...deal, status: 'won' as const };
    const deltas = netBoardDeltas([boardDelta(deal), boardDelta({ ...deal, currency: 'USD', amountMinor: 500 }), boardDelta(won), boardDelta(won, -1), boardDelta({ ...deal, pipelineId: 'p2' })]);
    expect(deltas).toEqual([
      { pipelineId: deal.pipelineId, column: 'STAGE#qualified', count: 2, sums: { EUR: 10050, USD: 500 } },
      { pipelineId: 'p2', column: 'STAGE#qualified', count: 1, sums: { EUR: 10050 } },
    ]);
  });
});

describe('forecast', () => {
  it('reads quarters and months as inclusive day ranges', () => {
    expect(parsePeriod('2027-Q1')).toEqual({ period: '2027-Q1', from: '2027-01-01', to: '2027-03-31' });
    expect(parsePeriod('2028-02')).toEqual({ period: '2028-02', from: '2028-02-01', to: '2028-02-29' });
    expect(() => parsePeriod('2027-Q5')).toThrow(ValidationFailed);
  });

  it('adds won, pipeline, weighted, commit and best case per owner and currency', () => {
    const row = (over: Partial<typeof deal>) => ({ ...deal, ...over });
    const result = forecast(
      [row({ amountMinor: 10010 }), row({ stageId: 'proposal', amountMinor: 20005 }), row({ stageId: 'negotiation', amountMinor: 100000, ownerId: 'bob' }), row({ status: 'won', amountMinor: 30000 })],
      [pipeline],
      'owner',
    );
    expect(result.rows).toEqual([
      { ownerId: 'ann', deals: 3, won: { EUR: '300.00' }, pipeline: { EUR: '300.15' }, weighted: { EUR: '110.04' }, commit: {}, bestCase: { EUR: '200.05' } },
      { ownerId: 'bob', deals: 1, won: {}, pipeline: { EUR: '1000.00' }, weighted: { EUR: '800.00' }, commit: { EUR: '1000.00' }, bestCase: { EUR: '1000.00' } },
    ]);
  });
});
