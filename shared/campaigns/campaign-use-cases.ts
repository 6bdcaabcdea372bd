import type { Caller } from '../access/caller';
import { clock } from '../clock';
import { ValidationFailed } from '../errors';
import { newId } from '../ids';
import { type Campaign, emptyCampaignStats } from './campaign';
import { AB_VARIANTS, type AbTest, emptyVariantStats } from './campaign-ab-test';
import { assertCanRunCampaigns, assertStatus, getCampaign } from './campaign-state-use-cases';
import { CAMPAIGN_LIMITS, type CreateCampaignInput } from './campaign-input';
import { type CampaignRunStarter, startRun } from './campaign-run-use-cases';
import type { CampaignRepository } from './campaign-repository';
import type { SegmentRepository } from '../segments/segment-repository';
import type { TemplateRepository } from '../templates/template-repository';
import { checkPlaceholders } from '../templates/template-placeholders';

/** Where scheduled starts wait until `sendAt` (a due entry the marketing-due sweep picks up). */
export interface CampaignSchedule {
  schedule(campaign: Campaign, at: string): Promise<void>;
}

export type { CampaignRun, CampaignRunStarter } from './campaign-run-use-cases';
export { assertCanRunCampaigns, cancelCampaign, getCampaign, listCampaigns, pauseCampaign } from './campaign-state-use-cases';

export interface CampaignDeps {
  campaigns: CampaignRepository;
  templates: Pick<TemplateRepository, 'get'>;
  segments: Pick<SegmentRepository, 'get'>;
  runs: CampaignRunStarter;
  schedule: CampaignSchedule;
}

/** POST /campaigns: a draft naming an existing template and segment; nothing is sent yet. */
export async function createCampaign(deps: Pick<CampaignDeps, 'campaigns' | 'templates' | 'segments'>, caller: Caller, input: CreateCampaignInput): Promise<Campaign> {
  assertCanRunCampaigns(caller);
  const variantTemplates = (input.abTest?.variants ?? []).map((v, i) => ({ path: `abTest.variants.${i}.templateId`, templateId: v.templateId }));
  const [template, segment, ...variants] = await Promise.all([
    deps.templates.get(caller.tenantId, input.templateId),
    deps.segments.get(caller.tenantId, input.segmentId),
    ...variantTemplates.map((v) => (v.templateId ? deps.templates.get(caller.tenantId, v.templateId) : Promise.resolve(true))),
  ]);
  const missing = [
    ...(template ? [] : [{ path: 'templateId', message: `No template ${input.templateId}` }]),
    ...(segment ? [] : [{ path: 'segmentId', message: `No segment ${input.segmentId}` }]),
    // The offer lock is a customer's: a lead has none to take, and a company's is not its contacts'
    // (two contacts of one company would contend for it, and a lock taken for one would hide the offer from the rest).
    ...(segment && segment.audience !== 'customers' && input.offer ? [{ path: 'offer', message: `Offers are made to customers: a ${segment.audience} segment takes no offer` }] : []),
    ...variantTemplates.flatMap((v, i) => (variants[i] ? [] : [{ path: v.path, message: `No template ${v.templateId}` }])),
    // A variant's subject may use the standard placeholders (not custom fields: they are checked per template).
    ...(input.abTest?.variants ?? []).flatMap((v, i) =>
      v.subject === undefined ? [] : checkPlaceholders({ subject: v.subject, html: '', text: '' }, new Set()).errors.map((e) => ({ path: `abTest.variants.${i}.subject`, message: e.message })),
    ),
  ];
  if (missing.length) throw new ValidationFailed(missing);
  const now = clock.nowIso();
  const campaign: Campaign = {
    id: newId(),
    tenantId: caller.tenantId,
    name: input.name,
    templateId: input.templateId,
    segmentId: input.segmentId,
    topic: input.topic,
    sendAt: input.sendAt ? new Date(input.sendAt).toISOString() : null,
    ratePerSecond: input.ratePerSecond ?? CAMPAIGN_LIMITS.ratePerSecond.default,
    budget: input.budget ?? null,
    offer: input.offer ?? null,
    abTest: abTestOf(input),
    variantStats: input.abTest ? emptyVariantStats() : null,
    status: 'draft',
    runId: null,
    runs: 0,
    frozenAt: null,
    audience: null,
    placeholders: null,
    stats: emptyCampaignStats(),
    startedAt: null,
    completedAt: null,
    failure: null,
    createdAt: now,
    createdBy: caller.userId,
    updatedAt: now,
    updatedBy: caller.userId,
    version: 1,
  };
  await deps.campaigns.create(campaign);
  return campaign;
}

function abTestOf(input: CreateCampaignInput): AbTest | null {
  if (!input.abTest) return null;
  const { variants, share, winnerBy, waitMinutes } = input.abTest;
  return {
    variants: [0, 1].map((i) => ({ name: AB_VARIANTS[i]!, templateId: variants[i]!.templateId ?? input.templateId, subject: variants[i]!.subject ?? null })) as AbTest['variants'],
    share,
    winnerBy: winnerBy ?? 'opened',
    waitMinutes: waitMinutes ?? CAMPAIGN_LIMITS.abWaitMinutes.default,
    phase: 'testing',
    decideAt: null,
    winner: null,
    decidedAt: null,
    decision: null,
  };
}

/**
 * POST /campaigns/{id}/send: takes the segment's rules as they are now (later edits of the
 * segment do not change this campaign), then starts the flow, or schedules it for `sendAt`.
 */
export async function sendCampaign(deps: CampaignDeps, caller: Caller, campaignId: string): Promise<Campaign> {
  const before = await getCampaign(deps, caller, campaignId);
  assertStatus(before, ['draft'], 'be sent (only a draft can)');
  const [segment, template] = await Promise.all([deps.segments.get(caller.tenantId, before.segmentId), deps.templates.get(caller.tenantId, before.templateId)]);
  const missing = [
    ...(template ? [] : [{ path: 'templateId', message: `Template ${before.templateId} no longer exists` }]),
    ...(segment ? [] : [{ path: 'segmentId', message: `Segment ${before.segmentId} no longer exists` }]),
  ];
  if (missing.length || !segment) throw new ValidationFailed(missing);
  const now = clock.nowIso();
  const audience = { definition: segment.definition, members: segment.audience, evaluatedAt: now, cursor: '', queued: 0 };
  const common = { audience, updatedAt: now, updatedBy: caller.userId };
  if (before.sendAt && before.sendAt > now) {
    const scheduled = await deps.campaigns.update(before, { ...common, status: 'scheduled' });
    await deps.schedule.schedule(scheduled, before.sendAt);
    return scheduled;
  }
  return startRun(deps, before, { ...common, startedAt: now });
}

/** POST /campaigns/{id}/resume: a new run continues with the recipients still queued (a failed run's too). */
export async function resumeCampaign(deps: CampaignDeps, caller: Caller, campaignId: string): Promise<Campaign> {
  const before = await getCampaign(deps, caller, campaignId);
  assertStatus(before, ['paused', 'failed'], 'be resumed (only a paused or failed one can)');
  const now = clock.nowIso();
  return startRun(deps, before, { updatedAt: now, updatedBy: caller.userId, startedAt: before.startedAt ?? now });
}

