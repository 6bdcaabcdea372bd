import { campaignCompletedV1 } from '../../events/campaign-completed.v1';
import { customerClaimedV1 } from '../../events/customer-claimed.v1';
import { customerCreatedV1 } from '../../events/customer-created.v1';
import { customerReclaimedV1 } from '../../events/customer-reclaimed.v1';
import { dealWonV1 } from '../../events/deal-won.v1';
import { leadCreatedV1 } from '../../events/lead-created.v1';
import { SES_EVENT_SOURCE } from '../../events/ses/ses-email-event';

/** CloudWatch namespace of the business metrics; their only dimensions are `service` and `stage`. */
export const BUSINESS_METRICS_NAMESPACE = 'CRM';

/** The detail-type SES publishes for each message it accepted (the configuration set's SEND event). */
export const SES_SENT_DETAIL_TYPE = 'Email Sent';

/**
 * Domain events that are business metrics, one count each. Claims and reclaims are the public
 * pool's pulse, leads captured and customers created the funnel's top, deals won its bottom.
 */
const COUNTED = {
  [customerCreatedV1.detailType]: 'CustomersCreated',
  [customerClaimedV1.detailType]: 'CustomersClaimed',
  [customerReclaimedV1.detailType]: 'CustomersReclaimed',
  [leadCreatedV1.detailType]: 'LeadsCaptured',
  [dealWonV1.detailType]: 'DealsWon',
} as const;

/** What the metrics rule on the CRM bus matches. */
export const BUSINESS_METRIC_DETAIL_TYPES: readonly string[] = [...Object.keys(COUNTED), campaignCompletedV1.detailType];

export interface BusinessMetric {
  name: string;
  value: number;
}

/**
 * The metrics one bus event stands for. Unknown or malformed events stand for none: a metric is
 * never worth failing a delivery. Names carry the outcome instead of a dimension, so every
 * metric stays one CloudWatch metric per stage (each dimension value would be another, billed).
 */
export function businessMetricsOf(event: unknown): BusinessMetric[] {
  if (!event || typeof event !== 'object') return [];
  const e = event as { source?: unknown; 'detail-type'?: unknown; detail?: { data?: Record<string, unknown> } };
  const type = e['detail-type'];
  if (e.source === SES_EVENT_SOURCE) return type === SES_SENT_DETAIL_TYPE ? [{ name: 'MailsSent', value: 1 }] : [];
  if (typeof type !== 'string') return [];
  if (type in COUNTED) return [{ name: COUNTED[type as keyof typeof COUNTED], value: 1 }];
  if (type === campaignCompletedV1.detailType) {
    const data = e.detail?.data ?? {};
    const outcome = data.outcome === 'cancelled' ? 'CampaignsCancelled' : data.outcome === 'sent' ? 'CampaignsSent' : undefined;
    const failed = typeof data.failed === 'number' && data.failed > 0 ? [{ name: 'CampaignMailsFailed', value: data.failed }] : [];
    return outcome ? [{ name: outcome, value: 1 }, ...failed] : [];
  }
  return [];
}
