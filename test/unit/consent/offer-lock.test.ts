import { describe, expect, it } from 'vitest';
import { ValidationFailed } from '../../../shared/errors';
import { assertOfferLockArguments, isLockExpired, offerLockDecision, offerLockUntil } from '../../../shared/consent/offer-lock';

const NOW = '2026-11-23T12:00:00.000Z';
const LATER = '2026-11-30T12:00:00.000Z';

describe('offer lock rules', () => {
  it('a lock holds until, not at, its end', () => {
    expect(isLockExpired({ offerId: 'o-1', until: LATER }, NOW)).toBe(false);
    expect(isLockExpired({ offerId: 'o-1', until: NOW }, NOW)).toBe(true);
  });

  it('an offer takes a free customer, an expired lock or its own lock', () => {
    expect(offerLockDecision(undefined, 'o-1', NOW)).toEqual({ acquire: true });
    expect(offerLockDecision({ offerId: 'o-2', until: NOW }, 'o-1', NOW)).toEqual({ acquire: true });
    expect(offerLockDecision({ offerId: 'o-1', until: LATER }, 'o-1', NOW)).toEqual({ acquire: true });
  });

  it('another offer\'s live lock names its holder and end', () => {
    expect(offerLockDecision({ offerId: 'o-2', until: LATER }, 'o-1', NOW)).toEqual({ acquire: false, heldBy: 'o-2', until: LATER });
  });

  it('the default lock ends offerLockDays later', () => {
    expect(offerLockUntil(NOW, 7)).toBe(LATER);
  });

  it('refuses a lock that ends in the past or a malformed end, naming the argument', () => {
    const fieldsOf = (f: () => void) => {
      try {
        f();
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationFailed);
        return (error as ValidationFailed).errors.map((e) => e.path);
      }
      return [];
    };
    expect(fieldsOf(() => assertOfferLockArguments('o-1', LATER, NOW))).toEqual([]);
    expect(fieldsOf(() => assertOfferLockArguments('o-1', NOW, NOW))).toEqual(['untilIso']);
    expect(fieldsOf(() => assertOfferLockArguments('o-1', '2026-11-30', NOW))).toEqual(['untilIso']);
    expect(fieldsOf(() => assertOfferLockArguments('', LATER, NOW))).toEqual(['offerId']);
  });
});
