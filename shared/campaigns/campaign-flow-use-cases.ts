import { campaignCompletedV1 } from '../../events/campaign-completed.v1';
import { clock } from '../clock';
import { newEvent } from '../outbox/outbox';
import { type Campaign, completedData, SES_BULK_MAX_DESTINATIONS } from './campaign';
import type { CampaignRepository } from './campaign-repository';
import type { CampaignRun } from './campaign-run-use-cases';
import type { SesTemplates } from '../templates/ses-template-gateway';
import { batchSizeFor } from './send-rate';
import type { TemplateRepository } from '../templates/template-repository';
import { checkPlaceholders } from '../templates/template-placeholders';
import { AB_VARIANTS, type AbVariantName, awaitWinner, decideTest, variantTemplateKey, variantToSend } from './campaign-ab-test';

/**
 * The campaign flow's steps (infra/constructs/campaign-flow.ts), except the audience freeze
 * (campaign-freeze-use-case.ts) and the batch send (campaign-batch-use-case.ts), which load more. Each step first checks that its run is still the campaign's
 * current run and the campaign is still sending: a pause, a cancel or a newer run (resume)
 * stops an older run at its next step, which is how they take effect between batches.
 */
export interface CampaignFlowDeps {
  campaigns: CampaignRepository;
  sesTemplateName: (tenantId: string, campaignId: string) => string;
  accountRatePerSecond: number;
}

export type StepOutcome = { action: 'stop'; reason: string };

/** Batches planned per round of the flow's Map: keeps the state small (≤ 20 × 50 ids). */
export const BATCHES_PER_ROUND = 20;

export async function currentRun(deps: Pick<CampaignFlowDeps, 'campaigns'>, run: CampaignRun): Promise<Campaign | StepOutcome> {
  const campaign = await deps.campaigns.get(run.tenantId, run.campaignId, true);
  if (!campaign) return { action: 'stop', reason: 'campaign-gone' };
  if (campaign.runId !== run.runId) return { action: 'stop', reason: 'superseded' };
  if (campaign.status !== 'sending') return { action: 'stop', reason: campaign.status };
  return campaign;
}

export const stopped = (c: Campaign | StepOutcome): c is StepOutcome => 'action' in c;

/**
 * First step of a run. The first run copies the template into the campaign's own SES template
 * (an A/B test: each variant's template, with its subject, into one copy per variant), so editing
 * the template later does not change a campaign that is already sending.
 */
export async function startCampaignRun(
  deps: Pick<CampaignFlowDeps, 'campaigns' | 'sesTemplateName'> & { templates: Pick<TemplateRepository, 'get'>; sesTemplates: SesTemplates },
  run: CampaignRun,
): Promise<StepOutcome | { action: 'freeze' | 'send' }> {
  const campaign = await currentRun(deps, run);
  if (stopped(campaign)) return campaign;
  if (campaign.placeholders === null) {
    const copies = campaign.abTest
      ? campaign.abTest.variants.map((v) => ({ key: variantTemplateKey(run.campaignId, v.name), templateId: v.templateId, subject: v.subject }))
      : [{ key: run.campaignId, templateId: campaign.templateId, subject: null }];
    const placeholders = new Set<string>();
    for (const copy of copies) {
      const template = await deps.templates.get(run.tenantId, copy.templateId, true);
      if (!template) throw Object.assign(new Error(`Template ${copy.templateId} no longer exists`), { name: 'TemplateGone' });
      const content = copy.subject === null ? template : { ...template, subject: copy.subject };
      await deps.sesTemplates.put(deps.sesTemplateName(run.tenantId, copy.key), content, 'create');
      template.placeholders.forEach((p) => placeholders.add(p));
      if (copy.subject !== null) checkPlaceholders({ subject: copy.subject, html: '', text: '' }, new Set()).placeholders.forEach((p) => placeholders.add(p));
    }
    await deps.campaigns.update(campaign, { placeholders: [...placeholders].sort() });
  }
  return { action: campaign.frozenAt ? 'send' : 'freeze' };
}

export interface PlannedBatch {
  customerIds: string[];
  /** The A/B variant the batch sends (null without a test): one SES template per call. */
  variant: AbVariantName | null;
}

/**
 * Where a run stands inside its current execution: the cursor, the batches this execution has
 * planned so far (its history budget is counted in batches) and which execution of the run it is
 * (0 the first, n the n-th hand-over).
 */
export interface RunPosition {
  after: string | null;
  planned: number;
  part: number;
}

export type PlanOutcome =
  | StepOutcome
  | { action: 'complete' }
  | ({ action: 'send'; batches: PlannedBatch[] } & RunPosition)
  | ({ action: 'continue' } & RunPosition);

/**
 * The next round of batches: queued recipients after `after`, in batches the rates allow, as many
 * as the execution's history budget still holds. Once it is spent and recipients remain, the run
 * continues in a fresh execution from the same cursor (`continue`, then continueCampaignRun).
 */
export async function planCampaignBatches(
  deps: Pick<CampaignFlowDeps, 'campaigns' | 'accountRatePerSecond'> & { batchesPerExecution: number },
  run: CampaignRun & RunPosition,
): Promise<PlanOutcome> {
  let campaign = await currentRun(deps, run);
  if (stopped(campaign)) return campaign;
  let after = run.after;
  if (campaign.abTest?.phase === 'waiting') {
    // A run resumed while the test waits: before its time it sends nothing (the marketing-due
    // sweep starts a run then); after it, it picks the winner itself and mails the rest from the start.
    const now = clock.nowIso();
    if (now < campaign.abTest.decideAt!) return { action: 'stop', reason: 'awaiting-winner' };
    campaign = await deps.campaigns.update(campaign, { abTest: decideTest(campaign.abTest, campaign.variantStats!, now) });
    after = null;
  }
  const testing = campaign.abTest?.phase === 'testing';
  const size = batchSizeFor([campaign.ratePerSecond, deps.accountRatePerSecond], SES_BULK_MAX_DESTINATIONS);
  const room = Math.min(BATCHES_PER_ROUND, deps.batchesPerExecution - run.planned);
  // With no room left, one id is enough to tell a hand-over from the end.
  const next = await deps.campaigns.queuedAfter(run.tenantId, run.campaignId, after, room > 0 ? size * room : 1, run.runId, { testOnly: testing });
  if (next.orphaned.length) {
    // Claimed by a run that ended before settling them: never mailed again, counted as failed.
    const settledAt = clock.nowIso();
    const changes = next.orphaned.map(({ customerId, attempt }) => ({ customerId, from: 'sending' as const, attempt, to: 'failed' as const, set: { error: 'outcome-unknown', settledAt } }));
    for (let i = 0; i < changes.length; i += SES_BULK_MAX_DESTINATIONS) await deps.campaigns.moveRecipients(run.tenantId, run.campaignId, changes.slice(i, i + SES_BULK_MAX_DESTINATIONS));
  }
  if (!next.customerIds.length) {
    if (!testing) return { action: 'complete' };
    // The test's mails are out: the run ends here, and the winner is picked waitMinutes from now.
    await deps.campaigns.awaitWinner(campaign, awaitWinner(campaign.abTest!, clock.nowIso()));
    return { action: 'stop', reason: 'awaiting-winner' };
  }
  if (room <= 0) return { action: 'continue', after, planned: run.planned, part: run.part };
  const batches: PlannedBatch[] = [];
  const byVariant = new Map<AbVariantName | null, string[]>();
  for (const id of next.customerIds) {
    const variant = variantToSend(campaign.abTest, next.variants.get(id));
    const ids = byVariant.get(variant);
    if (ids) ids.push(id);
    else byVariant.set(variant, [id]);
  }
  for (const [variant, ids] of byVariant) {
    for (let i = 0; i < ids.length; i += size) batches.push({ customerIds: ids.slice(i, i + size), variant });
  }
  return { action: 'send', batches, after: next.last, planned: run.planned + batches.length, part: run.part };
}

/** Starts the next execution of a run (Step Functions StartExecution, named after the run and its part). */
export interface CampaignRunHandOver {
  continueRun(run: CampaignRun & { after: string | null; part: number }, executionName: string): Promise<void>;
}

/** The n-th execution of a run is named `<runId>-p<n>`: a step retried after starting it starts nothing new. */
export const continuationName = (runId: string, part: number) => `${runId}-p${part}`;

/**
 * The hand-over: while the run is still current, its next execution starts from the cursor, and
 * this one ends. Pause, cancel and resume keep working across executions because every step of
 * every execution checks the run first.
 */
export async function continueCampaignRun(
  deps: Pick<CampaignFlowDeps, 'campaigns'> & { handOver: CampaignRunHandOver },
  run: CampaignRun & { after: string | null; part: number },
): Promise<StepOutcome | { action: 'continued'; execution: string }> {
  const campaign = await currentRun(deps, run);
  if (stopped(campaign)) return campaign;
  const part = run.part + 1;
  const execution = continuationName(run.runId, part);
  await deps.handOver.continueRun({ tenantId: run.tenantId, campaignId: run.campaignId, runId: run.runId, after: run.after, part }, execution);
  return { action: 'continued', execution };
}

/**
 * Last step: the campaign is `sent` and `crm.campaign.completed.v1` goes out in the same write.
 * Its SES template copy is removed afterwards (best effort; a leftover costs nothing but a slot).
 */
export async function completeCampaign(deps: Pick<CampaignFlowDeps, 'campaigns' | 'sesTemplateName'> & { deleteSesTemplate: (name: string) => Promise<void> }, run: CampaignRun): Promise<StepOutcome | { action: 'completed' }> {
  const campaign = await currentRun(deps, run);
  if (stopped(campaign)) return campaign;
  const now = clock.nowIso();
  const event = newEvent(campaignCompletedV1, { tenantId: run.tenantId, actor: { type: 'system', id: 'campaign-flow' }, correlationId: run.runId }, completedData(campaign, 'sent', now));
  await deps.campaigns.update(campaign, { status: 'sent', completedAt: now, updatedAt: now, updatedBy: 'system' }, { detailType: campaignCompletedV1.detailType, detail: event });
  const keys = campaign.abTest ? AB_VARIANTS.map((v) => variantTemplateKey(run.campaignId, v)) : [run.campaignId];
  for (const key of keys) await deps.deleteSesTemplate(deps.sesTemplateName(run.tenantId, key)).catch(() => undefined);
  return { action: 'completed' };
}

/** A run that failed past its retries: the campaign says so (and why), and can be resumed. */
export async function recordCampaignFailure(deps: Pick<CampaignFlowDeps, 'campaigns'>, run: CampaignRun & { error?: string }): Promise<StepOutcome | { action: 'failed' }> {
  const campaign = await currentRun(deps, run);
  if (stopped(campaign)) return campaign;
  await deps.campaigns.update(campaign, { status: 'failed', failure: run.error ?? 'unknown', updatedAt: clock.nowIso(), updatedBy: 'system' });
  return { action: 'failed' };
}
