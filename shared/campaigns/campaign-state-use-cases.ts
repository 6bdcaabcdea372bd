import { campaignCompletedV1 } from '../../events/campaign-completed.v1';
import type { Caller } from '../access/caller';
import { runsMarketing } from '../access/permissions';
import { clock } from '../clock';
import { Forbidden } from '../errors';
import { newEvent } from '../outbox/outbox';
import { type Campaign, CampaignStateConflict, type CampaignStatus, completedData } from './campaign';
import type { CampaignRepository } from './campaign-repository';

/**
 * Reading campaigns and the status changes that start no run (docs/marketing.md, "Campaigns"):
 * their own module, without the API's input schemas, so those functions stay small.
 */
type Deps = { campaigns: Pick<CampaignRepository, 'require' | 'list' | 'update'> };

/** Campaigns mail the whole tenant's customers: marketers and admins run them. */
export function assertCanRunCampaigns(caller: Caller): void {
  if (!runsMarketing(caller)) throw new Forbidden('Only marketers and admins run campaigns');
}

export async function getCampaign(deps: Pick<Deps, 'campaigns'>, caller: Caller, campaignId: string): Promise<Campaign> {
  assertCanRunCampaigns(caller);
  return deps.campaigns.require(caller.tenantId, campaignId);
}

export async function listCampaigns(deps: Pick<Deps, 'campaigns'>, caller: Caller): Promise<Campaign[]> {
  assertCanRunCampaigns(caller);
  return deps.campaigns.list(caller.tenantId);
}

export function assertStatus(campaign: Campaign, allowed: readonly CampaignStatus[], action: string): void {
  if (!allowed.includes(campaign.status)) throw new CampaignStateConflict(campaign.id, campaign.status, action);
}

/** POST /campaigns/{id}/pause: the running batch finishes; no further batch starts. */
export async function pauseCampaign(deps: Deps, caller: Caller, campaignId: string): Promise<Campaign> {
  const before = await getCampaign(deps, caller, campaignId);
  assertStatus(before, ['sending', 'scheduled'], 'be paused (only a sending or scheduled one can)');
  return deps.campaigns.update(before, { status: 'paused', updatedAt: clock.nowIso(), updatedBy: caller.userId });
}

/**
 * POST /campaigns/{id}/cancel: final. A campaign that had started ends with
 * `crm.campaign.completed.v1` (outcome `cancelled`) in the same write; queued recipients stay queued.
 */
export async function cancelCampaign(deps: Deps, caller: Caller, campaignId: string, correlationId: string): Promise<Campaign> {
  const before = await getCampaign(deps, caller, campaignId);
  assertStatus(before, ['draft', 'scheduled', 'sending', 'paused', 'failed'], 'be cancelled');
  const now = clock.nowIso();
  const changes = { status: 'cancelled' as const, runId: null, completedAt: now, updatedAt: now, updatedBy: caller.userId };
  if (before.status === 'draft') return deps.campaigns.update(before, changes);
  const event = newEvent(campaignCompletedV1, { tenantId: caller.tenantId, actor: { type: 'user', id: caller.userId }, correlationId }, completedData(before, 'cancelled', now));
  return deps.campaigns.update(before, changes, { detailType: campaignCompletedV1.detailType, detail: event });
}
