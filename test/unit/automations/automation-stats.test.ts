import { describe, expect, it } from 'vitest';
import { AUTOMATION_SEND_OUTCOMES } from '../../../shared/automations/automation-send';
import { AUTOMATION_SKIP_REASONS, automationEngagementCounter, automationOutcomeCounter, automationStatsFromItem } from '../../../shared/automations/automation-stats';

describe('automation statistics', () => {
  it('counts a sent mail as sent and every skip under its reason, but not the skips of a deleted automation', () => {
    expect(automationOutcomeCounter('sent')).toBe('sent');
    expect(automationOutcomeCounter('no-consent')).toBe('skipped:no-consent');
    expect(automationOutcomeCounter('capped')).toBe('skipped:capped');
    expect(automationOutcomeCounter('automation-gone')).toBeUndefined();
    // Dispatch answers that are not a send's outcome count nothing: a redelivery, a retry to come.
    expect(automationOutcomeCounter('duplicate')).toBeUndefined();
    expect(automationOutcomeCounter('failed')).toBeUndefined();
  });

  it('has a skip reason for every outcome the send path decides, except sent and automation-gone', () => {
    expect([...AUTOMATION_SKIP_REASONS].sort()).toEqual(AUTOMATION_SEND_OUTCOMES.filter((o) => o !== 'sent' && o !== 'automation-gone').sort());
  });

  it('reads every counter, 0 when the item or the counter is missing', () => {
    const none = automationStatsFromItem(undefined);
    expect(none).toEqual({
      sent: 0,
      skipped: { 'customer-gone': 0, 'lead-gone': 0, 'contact-gone': 0, 'no-address': 0, 'no-consent': 0, suppressed: 0, capped: 0, 'offer-locked': 0, 'offer-customers-only': 0, 'template-gone': 0, 'automation-disabled': 0 },
      delivered: 0,
      bounced: 0,
      complained: 0,
      opened: 0,
      clicked: 0,
      unsubscribed: 0,
    });
    const some = automationStatsFromItem({ PK: 'x', SK: 'STATS', sent: 3, 'skipped:suppressed': 2, opened: 1, [automationEngagementCounter('unsubscribedAt')]: 1 });
    expect(some).toMatchObject({ sent: 3, opened: 1, unsubscribed: 1, clicked: 0 });
    expect(some.skipped).toMatchObject({ suppressed: 2, 'no-consent': 0 });
  });
});
