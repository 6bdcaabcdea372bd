import { afterSalesCategory } from './after-sales';
import { type Case, isActive } from './case';

/**
 * A customer's service picture in figures, from the cases the 360 view already read (no request of
 * its own): what the analytics issue's risk flags count. Pure.
 */

/** Cases of this category, or of a `complaint-...` sub-category (`complaint-billing`), are complaints; so are after-sales complaints about an order. */
export const COMPLAINT_CATEGORY = 'complaint';
export const isComplaint = (category: string) => category === COMPLAINT_CATEGORY || category.startsWith(`${COMPLAINT_CATEGORY}-`) || category === afterSalesCategory('complaint');

const RECENT_DAYS = 90;
const DAY_MS = 86_400_000;

export interface ServiceSummary {
  activeCases: number;
  /** Every complaint the customer made, open or done. */
  complaints: number;
  /** Complaints opened in the last 90 days. */
  recentComplaints: number;
  /** Cases with an SLA target breached (met late, or raised): how often the customer was let down. */
  slaBreachedCases: number;
  lastCaseAt: string | null;
}

export function serviceSummary(cases: readonly Case[], nowMs: number): ServiceSummary {
  const complaints = cases.filter((c) => isComplaint(c.category));
  const breached = (c: Case) => !!c.sla && [c.sla.firstResponse, c.sla.nextResponse, c.sla.resolution].some((t) => t?.status === 'breached');
  return {
    activeCases: cases.filter((c) => isActive(c.status)).length,
    complaints: complaints.length,
    recentComplaints: complaints.filter((c) => nowMs - Date.parse(c.createdAt) <= RECENT_DAYS * DAY_MS).length,
    slaBreachedCases: cases.filter(breached).length,
    lastCaseAt: cases.reduce<string | null>((latest, c) => (latest === null || c.createdAt > latest ? c.createdAt : latest), null),
  };
}
