import * as z from 'zod/mini';

/** The id of an offer a campaign or automation makes (`spring-sale`): what the offer lock holds (offer-lock.ts). */
export const offerId = () => z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'Expected an offer id of letters, digits, _ or -'));
