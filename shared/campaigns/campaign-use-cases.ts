import type { Caller } from '../access/caller';
import { clock } from '../clock';
import { ValidationFailed } from '../errors';
import { newId } from '../ids';
import { type Campaign, emptyCampaignStats } from './campaign';
import { assertCanRunCampaigns, assertStatus, getCampaign } from './campaign-state-use-cases';
import { CAMPAIGN_LIMITS, type CreateCampaignInput } from './campaign-input';
import { type CampaignRunStarter, startRun } from './campaign-run-use-cases';
import type { CampaignRepository } from './campaign-repository';
import type { SegmentRepository } from '../segments/segment-repository';
import type { TemplateRepository } from '../templates/template-repository';

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
  const [template, segment] = await Promise.all([deps.templates.get(caller.tenantId, input.templateId), deps.segments.get(caller.tenantId, input.segmentId)]);
  const missing = [
    ...(template ? [] : [{ path: 'templateId', message: `No template ${input.templateId}` }]),
    ...(segment ? [] : [{ path: 'segmentId', message: `No segment ${input.segmentId}` }]),
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
  const audience = { definition: segment.definition, evaluatedAt: now, cursor: '', queued: 0 };
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

