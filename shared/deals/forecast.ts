import type { Caller } from '../access/caller';
import { isAdmin } from '../access/permissions';
import { ValidationFailed } from '../errors';
import type { Pipeline } from '../pipelines/pipeline';
import type { Deal } from './deal';
import { CurrencySums } from './money';

/**
 * The forecast of a period (docs/pipeline.md), as pure functions of the deals the close-date index
 * returns for it and the tenant's pipelines. Per currency, never converted:
 * - won: deals won in the period (by the day they were won);
 * - pipeline: open deals expected to close in the period;
 * - weighted: sum of amount x the stage's probability over those open deals;
 * - commit: open deals in stages of forecast category `commit`;
 * - bestCase: open deals in `commit` or `bestCase` stages (commit is part of best case).
 */

export type ForecastDeal = Pick<Deal, 'id' | 'pipelineId' | 'stageId' | 'status' | 'amountMinor' | 'currency' | 'ownerId' | 'teamId'>;

export interface Period {
  period: string;
  /** First and last day, inclusive (yyyy-mm-dd). */
  from: string;
  to: string;
}

const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const pad = (n: number) => String(n).padStart(2, '0');

/** `2027-Q1` (a quarter) or `2027-03` (a month). */
export function parsePeriod(value: string | undefined): Period {
  const quarter = value ? /^(\d{4})-Q([1-4])$/.exec(value) : null;
  const month = value ? /^(\d{4})-(0[1-9]|1[0-2])$/.exec(value) : null;
  if (quarter) {
    const year = Number(quarter[1]);
    const first = (Number(quarter[2]) - 1) * 3 + 1;
    return { period: value!, from: `${year}-${pad(first)}-01`, to: `${year}-${pad(first + 2)}-${pad(lastDay(year, first + 2))}` };
  }
  if (month) {
    const year = Number(month[1]);
    const m = Number(month[2]);
    return { period: value!, from: `${year}-${pad(m)}-01`, to: `${year}-${pad(m)}-${pad(lastDay(year, m))}` };
  }
  throw new ValidationFailed([{ path: 'query.period', message: 'Expected a quarter such as 2027-Q1 or a month such as 2027-03' }]);
}

export type ForecastBy = 'owner' | 'team';

export function parseBy(value: string | undefined): ForecastBy {
  if (value === undefined || value === 'owner' || value === 'team') return value ?? 'owner';
  throw new ValidationFailed([{ path: 'query.by', message: 'Expected owner or team' }]);
}

/** Admins see every deal; managers their team's; everyone else their own. */
export function forecastScope(caller: Caller): (deal: ForecastDeal) => boolean {
  if (isAdmin(caller)) return () => true;
  if (caller.groups.includes('manager')) return (deal) => deal.ownerId === caller.userId || (caller.teamId !== undefined && deal.teamId === caller.teamId);
  return (deal) => deal.ownerId === caller.userId;
}

class Row {
  deals = 0;
  readonly won = new CurrencySums();
  readonly pipeline = new CurrencySums();
  readonly weighted = new CurrencySums();
  readonly commit = new CurrencySums();
  readonly bestCase = new CurrencySums();

  view() {
    return {
      deals: this.deals,
      won: this.won.view(),
      pipeline: this.pipeline.view(),
      weighted: this.weighted.view('percent'),
      commit: this.commit.view(),
      bestCase: this.bestCase.view(),
    };
  }
}

export function forecast(deals: readonly ForecastDeal[], pipelines: readonly Pipeline[], by: ForecastBy) {
  const stages = new Map(pipelines.flatMap((p) => p.stages.map((s) => [`${p.id}/${s.id}`, s] as const)));
  const rows = new Map<string, Row>();
  const total = new Row();
  for (const deal of deals) {
    const key = by === 'owner' ? (deal.ownerId ?? '') : (deal.teamId ?? '');
    const row = rows.get(key) ?? new Row();
    rows.set(key, row);
    for (const target of [row, total]) {
      target.deals++;
      if (deal.status === 'won') {
        target.won.add(deal.currency, deal.amountMinor);
        continue;
      }
      const stage = stages.get(`${deal.pipelineId}/${deal.stageId}`);
      target.pipeline.add(deal.currency, deal.amountMinor);
      target.weighted.add(deal.currency, BigInt(deal.amountMinor) * BigInt(stage?.probability ?? 0));
      if (stage?.forecastCategory === 'commit') target.commit.add(deal.currency, deal.amountMinor);
      if (stage?.forecastCategory === 'commit' || stage?.forecastCategory === 'bestCase') target.bestCase.add(deal.currency, deal.amountMinor);
    }
  }
  const idField = by === 'owner' ? 'ownerId' : 'teamId';
  return {
    rows: [...rows.keys()].sort().map((key) => ({ [idField]: key === '' ? null : key, ...rows.get(key)!.view() })),
    total: total.view(),
  };
}
