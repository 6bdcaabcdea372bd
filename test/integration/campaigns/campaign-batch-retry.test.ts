import { SESv2Client } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { SesMail } from '../../../shared/aws/ses-mail';
import { type BatchSenderDeps, sendCampaignBatch } from '../../../shared/campaigns/campaign-batch-use-case';
import { CampaignRecipientFacts } from '../../../shared/campaigns/campaign-recipient-repository';
import { CampaignRepository } from '../../../shared/campaigns/campaign-repository';
import { FrequencyCapRepository } from '../../../shared/consent/frequency-cap-repository';
import { MarketingSettingsRepository } from '../../../shared/consent/marketing-settings-repository';
import { OfferLockRepository } from '../../../shared/consent/offer-lock-repository';
import { SendRateLimiter } from '../../../shared/campaigns/send-rate-repository';
import { SuppressionRepository } from '../../../shared/consent/suppression-repository';
import { LOCAL_UNSUBSCRIBE_SECRET } from '../../../shared/consent/unsubscribe-secret-repository';
import { keys } from '../../../shared/keys';
import { call, newTenant, rawTable, settle, stack, tokenFor, uniqueEmail } from '../client';

/**
 * The batch sender's promise, "never twice to one recipient, even when a batch is retried",
 * against the real table (DynamoDB Local) and the SES stand-in: the batch is run, the process
 * "dies" right after SES accepted the mail (before the outcomes are written), and the flow's
 * retry runs the same batch again.
 */
/** A real campaign to three customers, sent to the end; the tests then replay parts of it. */
async function sentCampaign() {
    const tenant = newTenant();
    const marketer = await tokenFor(tenant, 'marketer-1', ['marketer']);
    const subject = `Retry ${tenant}`;
    const template = await call<{ id: string }>('POST', '/templates', { token: marketer, body: { name: 'R', subject, html: '<p>Hi {{customer.name}}</p>', text: 'Hi' } });
    const segment = await call<{ id: string }>('POST', '/segments', { token: marketer, body: { name: 'R', definition: { tags: { any: ['retry'] } } } });
    const people: string[] = [];
    for (const name of ['Ria', 'Rob', 'Roy']) {
      const { body } = await call<{ id: string }>('POST', '/customers', { token: marketer, body: { name, tags: ['retry'], emails: [uniqueEmail(name)], consent: { marketing: true } } });
      people.push(body.id);
    }
    // A real campaign freezes its audience and sends; then its recipients are put back to queued
    // so this test can drive the batch sender itself, with a crash where it wants one.
    const created = await call<{ id: string }>('POST', '/campaigns', { token: marketer, body: { name: 'R', templateId: template.body.id, segmentId: segment.body.id, topic: 'marketing' } });
    const sent = await call('POST', `/campaigns/${created.body.id}/send`, { token: marketer });
    expect(sent.status).toBe(200);
    await settle();

    const db = rawTable();
    const tableName = stack().tableName;
    const campaigns = new CampaignRepository(db, tableName);
    const before = (await campaigns.get(tenant, created.body.id, true))!;
    expect(before.status).toBe('sent');
  return { tenant, marketer, subject, template, created, people, db, tableName, campaigns, before };
}

describe('a retried campaign batch', () => {
  it('sends nothing twice: a batch that died after SES accepted it settles as outcome-unknown on retry, and a retry after success is a no-op', async () => {
    const { tenant, subject, template, marketer, created, people, db, tableName, campaigns, before } = await sentCampaign();
    // A new run of the same campaign, with every recipient queued again as if never sent.
    await campaigns.update(before, { status: 'sending', runId: 'retry-run' });
    for (const customerId of people) {
      const recipient = (await campaigns.recipient(tenant, created.body.id, customerId))!;
      expect(await campaigns.moveRecipients(tenant, created.body.id, [{ customerId, from: recipient.status, to: 'queued' }])).toBe(true);
    }

    const ses = new SesMail(new SESv2Client({ endpoint: stack().sesEndpoint, region: 'local-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }), 'no-reply@example.com', undefined);
    let calls = 0;
    let crash = true;
    const mailer: BatchSenderDeps['mailer'] = {
      async sendBulk(mail) {
        calls++;
        const results = await ses.sendBulk(mail);
        if (crash) throw new Error('the function died after SES accepted the batch');
        return results;
      },
    };
    // The campaign's own SES template copy was deleted when it completed; send through the tenant's template.
    const { body: tpl } = await call<{ sesTemplateName: string }>('GET', `/templates/${template.body.id}`, { token: marketer });
    const settings = new MarketingSettingsRepository(db, tableName);
    const deps: BatchSenderDeps = {
      campaigns,
      facts: new CampaignRecipientFacts(db, tableName, new SuppressionRepository(db, tableName)),
      settings: { get: async (t) => ({ ...(await settings.get(t)), frequencyCap: { maxEmails: 100, windowDays: 1 } }) },
      frequency: new FrequencyCapRepository(db, tableName),
      leadFrequency: new FrequencyCapRepository(db, tableName, keys.leadMarketingFrequency),
      contactFrequency: new FrequencyCapRepository(db, tableName, keys.contactMarketingFrequencyOf),
      offers: new OfferLockRepository(db, tableName),
      limiter: new SendRateLimiter(db, tableName, 1000),
      mailer,
      sesTemplateName: () => tpl.sesTemplateName,
      unsubscribeSecret: async () => LOCAL_UNSUBSCRIBE_SECRET,
      apiBaseUrl: stack().apiUrl,
    };
    const mailsBefore = (await call<{ emails: { subject: string }[] }>('GET', '/_local/emails')).body.emails.filter((m) => m.subject === subject).length;
    const batch = { tenantId: tenant, campaignId: created.body.id, runId: 'retry-run', customerIds: people, variant: null };
    await expect(sendCampaignBatch(deps, batch)).rejects.toThrow(/died after SES accepted/);
    const mailed = (await call<{ emails: { subject: string }[] }>('GET', '/_local/emails')).body.emails.filter((m) => m.subject === subject).length;
    expect(mailed - mailsBefore).toBe(3);

    // The flow retries the batch: nobody is mailed again; the unknown outcomes are settled as failed.
    crash = false;
    const retried = await sendCampaignBatch(deps, batch);
    expect(retried).toMatchObject({ action: 'sent', sent: 0, unknown: 3 });
    expect(calls).toBe(1);
    for (const customerId of people) {
      expect(await campaigns.recipient(tenant, created.body.id, customerId)).toMatchObject({ status: 'failed', error: 'outcome-unknown' });
    }
    // And once more after that: still nothing to send.
    expect(await sendCampaignBatch(deps, batch)).toMatchObject({ action: 'sent', sent: 0, unknown: 0, alreadyDone: 3 });
    expect(calls).toBe(1);
    const after = (await call<{ emails: { subject: string }[] }>('GET', '/_local/emails')).body.emails.filter((m) => m.subject === subject).length;
    expect(after).toBe(mailed);
  });

  it('settles the recipients a failed run claimed but never settled as outcome-unknown when the campaign is resumed, mailing nobody again', async () => {
    const { tenant, marketer, subject, created, people, campaigns, before } = await sentCampaign();
    // The run died after claiming its batch: the recipients are `sending` under its attempt, the campaign `failed`.
    await campaigns.update(before, { status: 'failed', runId: `${created.body.id}-r1`, failure: 'States.Timeout' });
    for (const customerId of people) {
      const recipient = (await campaigns.recipient(tenant, created.body.id, customerId))!;
      expect(await campaigns.moveRecipients(tenant, created.body.id, [{ customerId, from: recipient.status, to: 'sending', set: { attempt: `${created.body.id}-r1#${people[0]}` } }])).toBe(true);
    }
    const mailsBefore = (await call<{ emails: { subject: string }[] }>('GET', '/_local/emails')).body.emails.filter((m) => m.subject === subject).length;
    const failedBefore = (await campaigns.get(tenant, created.body.id, true))!.stats.failed;

    expect((await call('POST', `/campaigns/${created.body.id}/resume`, { token: marketer })).status).toBe(200);
    await settle();

    const after = (await campaigns.get(tenant, created.body.id, true))!;
    expect(after.status).toBe('sent');
    expect(after.stats.failed - failedBefore).toBe(3);
    for (const customerId of people) {
      expect(await campaigns.recipient(tenant, created.body.id, customerId)).toMatchObject({ status: 'failed', error: 'outcome-unknown' });
    }
    expect((await call<{ emails: { subject: string }[] }>('GET', '/_local/emails')).body.emails.filter((m) => m.subject === subject)).toHaveLength(mailsBefore);
  });
});
