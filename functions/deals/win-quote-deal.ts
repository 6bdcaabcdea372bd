import { winDealOfAcceptedQuote } from '../../shared/deals/quote-deal-use-case';
import { dealDeps } from '../../shared/deals/wiring';
import { eventHandler } from '../../shared/log-context';

/** On crm.quote.answered.v1 with `accepted`: the quote's deal is won. */
export const handler = eventHandler(async (event: unknown) => winDealOfAcceptedQuote(dealDeps, event));
