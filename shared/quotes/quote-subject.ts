import type { ProcessSubjects } from '../approvals/approval-use-cases';
import { clock } from '../clock';
import type { QuoteRepository } from './quote-repository';

/** Quotes as the subject of `quote-discount` processes: approval lands on the quote in the process's commits. */
export function quoteSubjects(quotes: QuoteRepository): ProcessSubjects {
  return {
    stillPending: (tenantId, head) => quotes.pendingCheck(tenantId, head),
    settle: (tenantId, head, outcome) => quotes.settleItem(tenantId, head, outcome, clock.nowIso()),
    describe: (head) => `The quote (${head.subject.summary.split(':')[0]})`,
  };
}
