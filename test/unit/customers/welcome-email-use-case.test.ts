import { describe, expect, it, vi } from 'vitest';
import fixture from '../../../events/fixtures/crm.customer.created.v1.json';
import { sendWelcomeEmail } from '../../../shared/customers/welcome-email-use-case';
import type { OnceStore } from '../../../shared/idempotency/once-store';

const busEvent = (detail: unknown) => ({ id: 'e', 'detail-type': 'crm.customer.created.v1', source: 'crm', time: '2026-11-22T10:00:00Z', detail });

function fakes(claimable = true, sendFails = false) {
  const once = { claim: vi.fn(async () => claimable), complete: vi.fn(async () => undefined), release: vi.fn(async () => undefined) };
  const mailer = {
    sendSimple: vi.fn(async () => {
      if (sendFails) throw new Error('SES throttled');
      return { messageId: 'm-1' };
    }),
  };
  return { once, mailer, deps: { once: once as unknown as OnceStore, mailer } };
}

describe('sendWelcomeEmail', () => {
  it('mails a consenting customer and records it on the timeline', async () => {
    const { deps, mailer, once } = fakes();

    const result = await sendWelcomeEmail(deps, busEvent(fixture));

    expect(result).toEqual({ status: 'sent', messageId: 'm-1' });
    expect(mailer.sendSimple).toHaveBeenCalledWith(
      expect.objectContaining({ to: 'ada@example.com', subject: 'Welcome, Ada Lovelace', tags: { tenantId: 'acme', customerId: '01JD0000000000000000000002', kind: 'welcome-email' } }),
    );
    const [partition, effect, outcome, records] = once.complete.mock.calls[0] as unknown as [string, string, unknown, Record<string, unknown>[]];
    expect([partition, effect, outcome]).toEqual(['T#acme#C#01JD0000000000000000000002', 'welcome-email', { messageId: 'm-1' }]);
    expect(records[0]).toMatchObject({ entity: 'Activity', type: 'email', actor: { type: 'system', id: 'welcome-flow' } });
  });

  it('does not mail without consent, even if called directly', async () => {
    const { deps, mailer } = fakes();

    const result = await sendWelcomeEmail(deps, busEvent({ ...fixture, data: { ...fixture.data, consent: { marketing: false } } }));

    expect(result).toEqual({ status: 'no-consent' });
    expect(mailer.sendSimple).not.toHaveBeenCalled();
  });

  it('does not mail twice when the event is delivered again', async () => {
    const { deps, mailer } = fakes(false);

    expect(await sendWelcomeEmail(deps, busEvent(fixture))).toEqual({ status: 'already-sent' });
    expect(mailer.sendSimple).not.toHaveBeenCalled();
  });

  it('releases its claim when sending fails, so the flow\'s retry can send', async () => {
    const { deps, once } = fakes(true, true);

    await expect(sendWelcomeEmail(deps, busEvent(fixture))).rejects.toThrow('SES throttled');
    expect(once.release).toHaveBeenCalledWith('T#acme#C#01JD0000000000000000000002', 'welcome-email');
    expect(once.complete).not.toHaveBeenCalled();
  });

  it('escapes the customer name in the HTML part', async () => {
    const { deps, mailer } = fakes();

    await sendWelcomeEmail(deps, busEvent({ ...fixture, data: { ...fixture.data, name: '<script>x</script>' } }));

    const [sent] = mailer.sendSimple.mock.calls[0] as unknown as [{ html: string }];
    expect(sent.html).not.toContain('<script>');
  });
});
