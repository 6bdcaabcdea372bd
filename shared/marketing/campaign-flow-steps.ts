import { campaignCompletedV1 } from '../../events/campaign-completed.v1';
import { clock } from '../clock';
import { logInfo } from '../log';
import { newEvent } from '../outbox/outbox';
import { type Campaign, type CampaignAudience, type CampaignRecipient, completedData, emailsWithinBudget, SES_BULK_MAX_DESTINATIONS } from './campaign';
import { frozenStatus } from './campaign-audience';
import type { CampaignRecipientFacts } from './campaign-recipient-facts';
import type { CampaignRepository } from './campaign-repository';
import type { CampaignRun } from './campaign-runs';
import type { MarketingSettingsRepository } from './marketing-settings-repository';
import type { SegmentCustomerReader } from './segment-repository';
import { evaluateSegmentPage } from './segment-use-cases';
import type { SesTemplates } from './ses-template-store';
import { batchSizeFor } from './send-rate';
import type { TemplateRepository } from './template-repository';

/**
 * The campaign flow's steps (infra/constructs/campaign-flow.ts), except the batch send
 * (campaign-batch-sender.ts). Each step first checks that its run is still the campaign's
 * current run and the campaign is still sending: a pause, a cancel or a newer run (resume)
 * stops an older run at its next step, which is how they take effect between batches.
 */
export interface CampaignFlowDeps {
  campaigns: CampaignRepository;
  templates: Pick<TemplateRepository, 'get'>;
  sesTemplates: SesTemplates;
  sesTemplateName: (tenantId: string, campaignId: string) => string;
  reader: Pick<SegmentCustomerReader, 'read'>;
  facts: Pick<CampaignRecipientFacts, 'check'>;
  settings: Pick<MarketingSettingsRepository, 'get'>;
  accountRatePerSecond: number;
}

export type StepOutcome = { action: 'stop'; reason: string };

/** Index items one freeze step reads at most, in pages of FREEZE_PAGE: well inside a Lambda's time. */
export const FREEZE_PAGE = 500;
export const FREEZE_ITEMS_PER_STEP = 5000;
/** Batches planned per round of the flow's Map: keeps the state small (≤ 20 × 50 ids). */
export const BATCHES_PER_ROUND = 20;

const FROZEN_CURSOR = '#frozen';

async function currentRun(deps: Pick<CampaignFlowDeps, 'campaigns'>, run: CampaignRun): Promise<Campaign | StepOutcome> {
  const campaign = await deps.campaigns.get(run.tenantId, run.campaignId, true);
  if (!campaign) return { action: 'stop', reason: 'campaign-gone' };
  if (campaign.runId !== run.runId) return { action: 'stop', reason: 'superseded' };
  if (campaign.status !== 'sending') return { action: 'stop', reason: campaign.status };
  return campaign;
}

const stopped = (c: Campaign | StepOutcome): c is StepOutcome => 'action' in c;

/**
 * First step of a run. The first run copies the template into the campaign's own SES template, so
 * editing the template later does not change a campaign that is already sending.
 */
export async function startCampaignRun(deps: CampaignFlowDeps, run: CampaignRun): Promise<StepOutcome | { action: 'freeze' | 'send' }> {
  const campaign = await currentRun(deps, run);
  if (stopped(campaign)) return campaign;
  if (campaign.placeholders === null) {
    const template = await deps.templates.get(run.tenantId, campaign.templateId, true);
    if (!template) throw Object.assign(new Error(`Template ${campaign.templateId} no longer exists`), { name: 'TemplateGone' });
    await deps.sesTemplates.put(deps.sesTemplateName(run.tenantId, run.campaignId), template, 'create');
    await deps.campaigns.update(campaign, { placeholders: template.placeholders });
  }
  return { action: campaign.frozenAt ? 'send' : 'freeze' };
}

/**
 * Freezes the next pages of the segment into recipient items (docs/marketing.md, "Campaigns"):
 * one per customer, each with the status the audience rules give it now. Resumable: the cursor
 * lives on the campaign and moves only with the page's stats.
 */
export async function freezeAudience(deps: CampaignFlowDeps, run: CampaignRun): Promise<StepOutcome | { action: 'freeze' | 'send' }> {
  let campaign = await currentRun(deps, run);
  if (stopped(campaign)) return campaign;
  if (campaign.frozenAt || !campaign.audience) return { action: 'send' };
  const { definition, evaluatedAt } = campaign.audience;
  const cap = (await deps.settings.get(run.tenantId)).frequencyCap;
  const allowance = emailsWithinBudget(campaign.budget);
  let read = 0;
  while (read < FREEZE_ITEMS_PER_STEP) {
    const audience: CampaignAudience = campaign.audience!;
    const page = await evaluateSegmentPage(deps.reader, run.tenantId, definition, { cursor: audience.cursor || undefined, limit: FREEZE_PAGE, nowIso: evaluatedAt });
    read += page.scanned;
    const ids = page.customers.map((c) => c.id);
    const checks = await deps.facts.check(run.tenantId, ids, campaign.topic, { customers: new Map(page.customers.map((c) => [c.id, c])), cap: { limit: cap, nowIso: evaluatedAt } });
    let queued = audience.queued;
    const recipients: CampaignRecipient[] = ids.map((customerId) => {
      const status = frozenStatus(checks.get(customerId)!.facts, queued, allowance);
      if (status === 'queued') queued++;
      return { campaignId: run.campaignId, customerId, status };
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

export interface PlannedBatch {
  customerIds: string[];
}

/** The next round of batches: queued recipients after `after`, in batches the rates allow. */
export async function planCampaignBatches(
  deps: CampaignFlowDeps,
  run: CampaignRun & { after: string | null },
): Promise<StepOutcome | { action: 'complete' } | { action: 'send'; batches: PlannedBatch[]; after: string | null }> {
  const campaign = await currentRun(deps, run);
  if (stopped(campaign)) return campaign;
  const size = batchSizeFor([campaign.ratePerSecond, deps.accountRatePerSecond], SES_BULK_MAX_DESTINATIONS);
  const next = await deps.campaigns.queuedAfter(run.tenantId, run.campaignId, run.after, size * BATCHES_PER_ROUND);
  if (!next.customerIds.length) return { action: 'complete' };
  const batches: PlannedBatch[] = [];
  for (let i = 0; i < next.customerIds.length; i += size) batches.push({ customerIds: next.customerIds.slice(i, i + size) });
  return { action: 'send', batches, after: next.last };
}

/**
 * Last step: the campaign is `sent` and `crm.campaign.completed.v1` goes out in the same write.
 * Its SES template copy is removed afterwards (best effort; a leftover costs nothing but a slot).
 */
export async function completeCampaign(deps: CampaignFlowDeps & { deleteSesTemplate: (name: string) => Promise<void> }, run: CampaignRun): Promise<StepOutcome | { action: 'completed' }> {
  const campaign = await currentRun(deps, run);
  if (stopped(campaign)) return campaign;
  const now = clock.nowIso();
  const event = newEvent(campaignCompletedV1, { tenantId: run.tenantId, actor: { type: 'system', id: 'campaign-flow' }, correlationId: run.runId }, completedData(campaign, 'sent', now));
  await deps.campaigns.update(campaign, { status: 'sent', completedAt: now, updatedAt: now, updatedBy: 'system' }, { detailType: campaignCompletedV1.detailType, detail: event });
  await deps.deleteSesTemplate(deps.sesTemplateName(run.tenantId, run.campaignId)).catch(() => undefined);
  return { action: 'completed' };
}

/** A run that failed past its retries: the campaign says so (and why), and can be resumed. */
export async function recordCampaignFailure(deps: Pick<CampaignFlowDeps, 'campaigns'>, run: CampaignRun & { error?: string }): Promise<StepOutcome | { action: 'failed' }> {
  const campaign = await currentRun(deps, run);
  if (stopped(campaign)) return campaign;
  await deps.campaigns.update(campaign, { status: 'failed', failure: run.error ?? 'unknown', updatedAt: clock.nowIso(), updatedBy: 'system' });
  return { action: 'failed' };
}
