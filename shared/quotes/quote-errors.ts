import { Conflict, NotFound } from '../errors';

/** Unknown quotes and quotes the caller may not work on look the same. */
export class QuoteNotFound extends NotFound {
  constructor(quoteId: string) {
    super(`Quote ${quoteId} not found`);
  }
}

/** The quote's status does not allow the step (submitting an approved quote, revising an accepted one...). */
export class QuoteNotSubmittable extends Conflict {
  override readonly slug = 'quote-status';
  constructor(quote: { number: string; status: string }, action: 'submitted' | 'revised' | 'recalled' | 'sent') {
    super(`Quote ${quote.number} is ${quote.status}; it cannot be ${action} now`);
    this.extensions.currentStatus = quote.status;
  }
}
