import { busEventSchema } from '../../events/envelope';
import { quoteAnsweredV1 } from '../../events/quotes/quote-answered.v1';
import type { Caller } from '../access/caller';
import { Forbidden } from '../errors';
import { DealClosed, StaleDeal } from './deal-errors';
import { type DealDeps, updateDeal } from './deal-use-cases';

export type QuoteDealResult = { status: 'won'; dealId: string } | { status: 'not-accepted' | 'no-deal' | 'deal-gone' | 'deal-closed' | 'not-permitted' };

/** A deal moved under the win (another edit): read again, this often. */
const WIN_ATTEMPTS = 3;

/**
 * Rule target on `crm.quote.answered.v1` with `accepted`: the quote's deal is won (docs/processes.md,
 * "Sending a quote"), on its owner's behalf, with the deal's usual commit (board, forecast, profile
 * stage, crm.deal.won.v1). A deal closed meanwhile stays as it is (a lost deal is not reopened by a
 * quote); delivered again, the event finds the deal won and changes nothing.
 */
export async function winDealOfAcceptedQuote(deps: DealDeps, event: unknown): Promise<QuoteDealResult> {
  const detail = quoteAnsweredV1.schema.parse(busEventSchema.parse(event).detail);
  const { outcome, dealId } = detail.data;
  if (outcome !== 'accepted') return { status: 'not-accepted' };
  if (!dealId) return { status: 'no-deal' };
  for (let attempt = 1; ; attempt++) {
    const deal = await deps.deals.get(detail.tenantId, dealId);
    if (!deal || deal.customerId !== detail.data.customerId) return { status: 'deal-gone' };
    if (deal.status !== 'open') return { status: 'deal-closed' };
    // The deal's owner (or, for a deal nobody owns, the quote's) wins it; nobody else's rights are borrowed.
    const owner: Caller = { userId: deal.ownerId ?? detail.data.ownerId, tenantId: detail.tenantId, groups: [] };
    try {
      await updateDeal(deps, owner, dealId, { status: 'won', reason: `Quote ${detail.data.quoteId} accepted` }, deal.version, detail.id);
      return { status: 'won', dealId };
    } catch (error) {
      if (error instanceof DealClosed) return { status: 'deal-closed' };
      if (error instanceof Forbidden) return { status: 'not-permitted' };
      if (!(error instanceof StaleDeal) || attempt >= WIN_ATTEMPTS) throw error;
    }
  }
}
