import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../shared/access/caller';
import { Forbidden, ValidationFailed } from '../../../shared/errors';
import { aggregateDeals, boardScope } from '../../../shared/pipelines/board';

const rep: Caller = { userId: 'ann', tenantId: 't1', groups: ['rep'], teamId: 'north' };
const manager: Caller = { userId: 'mia', tenantId: 't1', groups: ['manager'], teamId: 'north' };
const admin: Caller = { userId: 'ada', tenantId: 't1', groups: ['admin'] };

describe('which board a caller reads', () => {
  it('admins and managers read the whole board without owner, an owner board with it (a manager within the team)', () => {
    expect(boardScope(admin, undefined)).toEqual({ kind: 'whole' });
    expect(boardScope(manager, undefined)).toEqual({ kind: 'whole' });
    expect(boardScope(admin, 'bob')).toEqual({ kind: 'owner', ownerId: 'bob' });
    expect(boardScope(admin, 'me')).toEqual({ kind: 'owner', ownerId: 'ada' });
    expect(boardScope(manager, 'bob')).toEqual({ kind: 'owner', ownerId: 'bob', managedTeam: { teamId: 'north', managerId: 'mia' } });
  });

  it('a rep reads the board of their own deals, with or without owner=me; another owner is a 403; a bad owner a 400', () => {
    expect(boardScope(rep, undefined)).toEqual({ kind: 'owner', ownerId: 'ann' });
    expect(boardScope(rep, 'me')).toEqual({ kind: 'owner', ownerId: 'ann' });
    expect(boardScope(rep, 'ann')).toEqual({ kind: 'owner', ownerId: 'ann' });
    expect(() => boardScope(rep, 'bob')).toThrow(Forbidden);
    expect(() => boardScope(admin, 'a#b')).toThrow(ValidationFailed);
  });

  it("an owner's columns count and sum the deals given, per currency, closed deals in won and lost", () => {
    const columns = aggregateDeals([
      { status: 'open', stageId: 'proposal', currency: 'EUR', amountMinor: 100 },
      { status: 'open', stageId: 'proposal', currency: 'USD', amountMinor: 5 },
      { status: 'open', stageId: 'proposal', currency: 'EUR', amountMinor: 50 },
      { status: 'won', stageId: 'proposal', currency: 'EUR', amountMinor: 7 },
      { status: 'lost', stageId: 'qualified', currency: 'EUR', amountMinor: 9 },
    ]);
    expect(Object.fromEntries(columns)).toEqual({
      'STAGE#proposal': { count: 3, sums: { EUR: 150, USD: 5 } },
      WON: { count: 1, sums: { EUR: 7 } },
      LOST: { count: 1, sums: { EUR: 9 } },
    });
  });
});
