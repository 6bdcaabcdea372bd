import { clock } from '../clock';
import { logInfo } from '../log';
import { type CampaignAudience, type CampaignRecipient, emailsWithinBudget } from './campaign';
import { abVariantOf } from './campaign-ab-test';
import { frozenStatus } from './campaign-audience';
import { type CampaignFlowDeps, currentRun, type StepOutcome, stopped } from './campaign-flow-use-cases';
import type { CampaignRecipientFacts } from './campaign-recipient-repository';
import type { CampaignRun } from './campaign-run-use-cases';
import type { MarketingSettingsRepository } from '../consent/marketing-settings-repository';
import type { SegmentCustomerReader } from '../segments/segment-repository';
import type { SegmentAudience } from '../segments/segment-definition';
import { evaluateSegmentPage, type SegmentPage } from '../segments/segment-use-cases';
import type { FrequencyCap } from '../consent/frequency-cap';

export interface FreezeDeps extends Pick<CampaignFlowDeps, 'campaigns'> {
  reader: Pick<SegmentCustomerReader, 'read' | 'contactsOf'>;
  facts: Pick<CampaignRecipientFacts, 'check' | 'checkLeads' | 'checkContacts'>;
  settings: Pick<MarketingSettingsRepository, 'get'>;
}

/** Index items one freeze step reads at most, in pages of FREEZE_PAGE: well inside a Lambda's time. */
export const FREEZE_PAGE = 500;
export const FREEZE_ITEMS_PER_STEP = 5000;

const FROZEN_CURSOR = '#frozen';

/**
 * Freezes the next pages of the segment into recipient items (docs/marketing.md, "Campaigns"):
 * one per customer, each with the status the audience rules give it now. Resumable: the cursor
 * lives on the campaign and moves only with the page's stats.
 */
export async function freezeAudience(deps: FreezeDeps, run: CampaignRun): Promise<StepOutcome | { action: 'freeze' | 'send' }> {
  let campaign = await currentRun(deps, run);
  if (stopped(campaign)) return campaign;
  if (campaign.frozenAt || !campaign.audience) return { action: 'send' };
  const { definition, evaluatedAt } = campaign.audience;
  const cap = (await deps.settings.get(run.tenantId)).frequencyCap;
  const allowance = emailsWithinBudget(campaign.budget);
  const abTest = campaign.abTest;
  let read = 0;
  while (read < FREEZE_ITEMS_PER_STEP) {
    const audience: CampaignAudience = campaign.audience!;
    const members = audience.members ?? 'customers';
    const page = await evaluateSegmentPage(deps.reader, run.tenantId, definition, { cursor: audience.cursor || undefined, limit: FREEZE_PAGE, nowIso: evaluatedAt, audience: members });
    read += page.scanned;
    const capCheck = { limit: cap, nowIso: evaluatedAt };
    const { ids, checks, companyOf } = await recipientsOfPage(deps, run.tenantId, campaign.topic, members, page, capCheck);
    let queued = audience.queued;
    const recipients: CampaignRecipient[] = ids.map((customerId) => {
      // A contact's record keeps its company: the batch reads the contact in that partition.
      const company = companyOf.has(customerId) ? { companyId: companyOf.get(customerId)! } : {};
      const status = frozenStatus(checks.get(customerId)!.facts, queued, allowance);
      if (status !== 'queued') return { campaignId: run.campaignId, customerId, status, ...company };
      queued++;
      // An A/B test's recipients are split now, once: a share for each variant, the rest for the winner.
      const variant = abTest ? abVariantOf(run.campaignId, customerId, abTest.share) : null;
      return { campaignId: run.campaignId, customerId, status, ...company, ...(variant ? { variant } : {}) };
    });
    const done = page.cursor === null;
    const nextCursor = done ? FROZEN_CURSOR : page.cursor!;
    const frozenAt = done ? clock.nowIso() : null;
    const committed = await deps.campaigns.commitFrozenPage(campaign, { startCursor: audience.cursor, nextCursor, queued, recipients, frozenAt });
    if (!committed) return { action: 'freeze' }; // another attempt got there first: read the campaign again
    campaign = { ...campaign, audience: { ...audience, cursor: nextCursor, queued }, frozenAt };
    if (done) {
      logInfo('campaign audience frozen', { campaignId: run.campaignId, queued });
      return { action: 'send' };
    }
  }
  return { action: 'freeze' };
}

/**
 * A page's recipients and their facts: leads and contacts are mailed under their own address,
 * consent and cap; a contact's id is its recipient id, with its company's id beside it.
 */
async function recipientsOfPage(deps: FreezeDeps, tenantId: string, topic: string, members: SegmentAudience, page: SegmentPage, cap: { limit: FrequencyCap; nowIso: string }) {
  const companyOf = new Map<string, string>();
  if (members === 'leads') {
    const ids = page.leads.map((l) => l.id);
    return { ids, companyOf, checks: await deps.facts.checkLeads(tenantId, ids, topic, { leads: new Map(page.leads.map((l) => [l.id, l])), cap }) };
  }
  if (members === 'contacts') {
    const refs = page.contacts.map(({ contact }) => ({ id: contact.id, companyId: contact.customerId }));
    refs.forEach((r) => companyOf.set(r.id, r.companyId));
    const checks = await deps.facts.checkContacts(tenantId, refs, topic, { contacts: new Map(page.contacts.map((m) => [m.contact.id, m])), cap });
    return { ids: refs.map((r) => r.id), companyOf, checks };
  }
  const ids = page.customers.map((c) => c.id);
  return { ids, companyOf, checks: await deps.facts.check(tenantId, ids, topic, { customers: new Map(page.customers.map((c) => [c.id, c])), cap }) };
}
