import { describe, expect, it } from 'vitest';
import { ABANDONED_GUARD_MINUTES, isAbandonedGuard } from '../../../shared/customers/abandoned-guard';

const NOW = '2026-12-07T12:00:00.000Z';
const ago = (minutes: number) => new Date(Date.parse(NOW) - minutes * 60_000).toISOString();

describe('abandoned guards', () => {
  it('are those an import claimed long ago for a customer that was never written', () => {
    expect(isAbandonedGuard({ customerId: 'C1', claimedAt: ago(ABANDONED_GUARD_MINUTES) }, false, NOW)).toBe(true);
    // A writer may still be between guard and profile, or the customer exists: held.
    expect(isAbandonedGuard({ customerId: 'C1', claimedAt: ago(ABANDONED_GUARD_MINUTES - 1) }, false, NOW)).toBe(false);
    expect(isAbandonedGuard({ customerId: 'C1', claimedAt: ago(600) }, true, NOW)).toBe(false);
    // A guard written with its profile in one transaction carries no claim time: never abandoned.
    expect(isAbandonedGuard({ customerId: 'C1' }, false, NOW)).toBe(false);
  });
});
