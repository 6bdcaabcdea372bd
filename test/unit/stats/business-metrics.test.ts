import { describe, expect, it } from 'vitest';
import { BUSINESS_METRIC_DETAIL_TYPES, businessMetricsOf } from '../../../shared/stats/business-metrics';

const crm = (detailType: string, data: Record<string, unknown> = {}) => ({ source: 'crm', 'detail-type': detailType, detail: { tenantId: 'acme', data } });

describe('businessMetricsOf', () => {
  it.each([
    ['crm.customer.created.v1', 'CustomersCreated'],
    ['crm.customer.claimed.v1', 'CustomersClaimed'],
    ['crm.customer.reclaimed.v1', 'CustomersReclaimed'],
    ['crm.lead.created.v1', 'LeadsCaptured'],
    ['crm.deal.won.v1', 'DealsWon'],
  ])('counts %s as %s', (detailType, name) => {
    expect(businessMetricsOf(crm(detailType))).toEqual([{ name, value: 1 }]);
    expect(BUSINESS_METRIC_DETAIL_TYPES).toContain(detailType);
  });

  it('counts a campaign by its outcome, and the mails it failed to send', () => {
    expect(businessMetricsOf(crm('crm.campaign.completed.v1', { outcome: 'sent', failed: 3 }))).toEqual([
      { name: 'CampaignsSent', value: 1 },
      { name: 'CampaignMailsFailed', value: 3 },
    ]);
    expect(businessMetricsOf(crm('crm.campaign.completed.v1', { outcome: 'cancelled', failed: 0 }))).toEqual([{ name: 'CampaignsCancelled', value: 1 }]);
  });

  it('counts the mails SES accepted, and nothing else SES reports', () => {
    expect(businessMetricsOf({ source: 'aws.ses', 'detail-type': 'Email Sent', detail: {} })).toEqual([{ name: 'MailsSent', value: 1 }]);
    expect(businessMetricsOf({ source: 'aws.ses', 'detail-type': 'Email Delivered', detail: {} })).toEqual([]);
  });

  it('stands for nothing when the event is unknown or malformed, rather than failing the delivery', () => {
    expect(businessMetricsOf(crm('crm.customer.updated.v1'))).toEqual([]);
    expect(businessMetricsOf(crm('crm.campaign.completed.v1', { outcome: 'exploded' }))).toEqual([]);
    expect(businessMetricsOf(null)).toEqual([]);
    expect(businessMetricsOf({ 'detail-type': 42 })).toEqual([]);
  });
});
