import { describe, expect, it } from 'vitest';
import { newDeal } from '../../../shared/deals/deal';
import { dealCells, DEAL_COLUMNS, dealColumns } from '../../../shared/imports/deal-columns';
import { importedDealFacts } from '../../../shared/imports/deal-import';
import type { ValidationFailed } from '../../../shared/errors';
import { newPipeline } from '../../../shared/pipelines/pipeline';

const HEADER = ['customerId', 'customerEmail', 'customerDomain', 'pipelineId', 'stageId', 'name', 'amount', 'currency', 'expectedCloseDate', 'ownerId', 'status', 'closedAt', 'closeReason'];
const check = (cells: Record<string, string>, header = HEADER) => dealColumns.check(header.map((c) => cells[c] ?? ''), header, dealColumns.targets(header, null));
const base = { customerId: 'C1', pipelineId: 'New business', name: 'Big deal', amount: '1000', currency: 'EUR', expectedCloseDate: '2027-03-31' };

describe('deal columns', () => {
  it('read a row as POST /deals reads a body, with the customer by id, email or domain and a closed deal as it closed', () => {
    expect(check(base)).toEqual({
      ok: true,
      row: { id: null, customer: { customerId: 'C1' }, pipeline: 'New business', stage: null, name: 'Big deal', amount: '1000', currency: 'EUR', expectedCloseDate: '2027-03-31', owner: null, status: 'open', closedAt: null, closeReason: null },
    });
    expect(check({ ...base, customerId: '', customerEmail: 'Bo@Bolt.example' })).toMatchObject({ ok: true, row: { customer: { email: 'bo@bolt.example' } } });
    expect(check({ ...base, customerId: '', customerDomain: 'https://www.acme.example/x' })).toMatchObject({ ok: true, row: { customer: { domain: 'acme.example' } } });
    // A spreadsheet's lower case and spaces are meant all the same.
    expect(check({ ...base, amount: '1 000.5', currency: 'eur', status: 'WON', closedAt: '2026-11-02' })).toMatchObject({ ok: true, row: { amount: '1000.5', currency: 'EUR', status: 'won', closedAt: '2026-11-02T00:00:00.000Z' } });
    expect(check({ ...base, status: 'lost', closedAt: '2026-10-15T09:30:00+02:00', closeReason: 'Price' })).toMatchObject({ ok: true, row: { closedAt: '2026-10-15T07:30:00.000Z', closeReason: 'Price' } });
  });

  it('fail a row naming the column, as the file names it', () => {
    const errors = (cells: Record<string, string>) => {
      const result = check(cells);
      return result.ok ? [] : result.errors.map((e) => e.column);
    };
    expect(errors({ ...base, amount: '1.234' })).toEqual(['amount']);
    expect(errors({ ...base, currency: 'EURO' })).toEqual(['currency']);
    expect(errors({ ...base, expectedCloseDate: '31.03.2027' })).toEqual(['expectedCloseDate']);
    expect(errors({ ...base, name: '' })).toEqual(['name']);
    expect(errors({ ...base, customerId: '' })).toEqual(['customerId']);
    expect(errors({ ...base, customerId: '', customerDomain: 'not a domain' })).toEqual(['customerDomain']);
    expect(errors({ ...base, status: 'pending' })).toEqual(['status']);
    expect(errors({ ...base, status: 'lost' })).toEqual(['closeReason']);
    expect(errors({ ...base, closedAt: '2026-11-02' })).toEqual(['closedAt']);
    expect(errors({ ...base, closeReason: 'why' })).toEqual(['closeReason']);
    expect(errors({ ...base, status: 'won', closedAt: 'yesterday' })).toEqual(['closedAt']);
  });

  it('refuse a header that names no customer or pipeline, or an unknown field, before a row is read', () => {
    const paths = (header: string[]) => {
      try {
        dealColumns.targets(header, null);
        return [];
      } catch (error) {
        return (error as ValidationFailed).errors.map((e) => e.path);
      }
    };
    expect(paths(['pipelineId', 'name', 'amount', 'currency', 'expectedCloseDate'])).toEqual(['mapping']);
    expect(paths(['customerEmail', 'name', 'amount', 'currency', 'expectedCloseDate'])).toEqual(['mapping']);
    expect(paths([...HEADER, 'probability'])).toEqual(['header.probability']);
  });

  it('write a deal as the cells the import reads back', () => {
    const pipeline = newPipeline({ name: 'P', stages: [{ id: 'qualified', name: 'Qualified', probability: 10 }] }, { tenantId: 't', userId: 'a', groups: ['admin'] }, 'P1', '2026-01-01T00:00:00.000Z');
    const deal = { ...newDeal({ customerId: 'C1', pipelineId: 'P1', name: 'D', amount: '12.5', currency: 'EUR', expectedCloseDate: '2027-01-01' }, pipeline, { id: 'rep-1', teamId: null }, { tenantId: 't', userId: 'a', groups: ['admin'] }, 'D1', '2026-01-01T00:00:00.000Z'), status: 'lost' as const, closedAt: '2026-02-01T00:00:00.000Z', closeReason: 'Price' };
    const cells = dealCells(deal);
    expect(Object.fromEntries(DEAL_COLUMNS.map((c, i) => [c, cells[i]]))).toEqual({ id: 'D1', customerId: 'C1', pipelineId: 'P1', stageId: 'qualified', name: 'D', amount: '12.50', currency: 'EUR', expectedCloseDate: '2027-01-01', ownerId: 'rep-1', status: 'lost', closedAt: '2026-02-01T00:00:00.000Z', closeReason: 'Price' });
    const back = check(Object.fromEntries(DEAL_COLUMNS.map((c, i) => [c, cells[i]!])), [...DEAL_COLUMNS]);
    expect(back).toMatchObject({ ok: true, row: { id: 'D1', customer: { customerId: 'C1' }, pipeline: 'P1', stage: 'qualified', amount: '12.50', status: 'lost', closedAt: '2026-02-01T00:00:00.000Z' } });
  });

  it("move the customer's deal facts as the deal says, an old deal never moving a later date back", () => {
    const none = { lastOpenDealAt: null, lastWonDealAt: null };
    expect(importedDealFacts(none, { status: 'open', closedAt: null })).toEqual({ openDelta: 1, closed: false, won: false });
    expect(importedDealFacts(none, { status: 'won', closedAt: '2026-11-02T00:00:00.000Z' })).toEqual({ openDelta: 0, closed: true, won: true });
    expect(importedDealFacts(none, { status: 'lost', closedAt: '2026-11-02T00:00:00.000Z' })).toEqual({ openDelta: 0, closed: true, won: false });
    const later = { lastOpenDealAt: '2026-12-01T00:00:00.000Z', lastWonDealAt: '2026-12-01T00:00:00.000Z' };
    expect(importedDealFacts(later, { status: 'won', closedAt: '2026-11-02T00:00:00.000Z' })).toEqual({ openDelta: 0, closed: false, won: false });
  });
});
