import { campaignRunRequestedV1 } from '../../events/campaign-run-requested.v1';
import { clock } from '../clock';
import { newEvent } from '../outbox/outbox';
import type { Campaign } from './campaign';
import { decideTest } from './campaign-ab-test';
import type { CampaignRepository } from './campaign-repository';

/**
 * Starting a run of the campaign flow (docs/marketing.md, "Campaigns"): `/send`, `/resume` and the
 * marketing-due sweep's scheduled start. Its own module, free of the API's schemas and events, so
 * the sweep's function stays small.
 */
export interface CampaignRun {
  tenantId: string;
  campaignId: string;
  runId: string;
}

/** Starts a run of the campaign flow (Step Functions StartExecution; execution name = run id). */
export interface CampaignRunStarter {
  start(run: CampaignRun): Promise<void>;
}

const runId = (campaignId: string, run: number) => `${campaignId}-r${run}`;

/** The campaign becomes `sending` under a new run id, then its execution starts; should that fail, the campaign goes back. */
export async function startRun(deps: { campaigns: Pick<CampaignRepository, 'update'>; runs: CampaignRunStarter }, before: Campaign, changes: Partial<Campaign>): Promise<Campaign> {
  const runs = before.runs + 1;
  const next = await deps.campaigns.update(before, { ...changes, status: 'sending', runs, runId: runId(before.id, runs), failure: null });
  try {
    await deps.runs.start({ tenantId: next.tenantId, campaignId: next.id, runId: next.runId! });
  } catch (error) {
    // No run exists: put the campaign back so the marketer can try again.
    await deps.campaigns.update(next, { status: before.status, runId: before.runId, runs: before.runs }).catch(() => undefined);
    throw error;
  }
  return next;
}

/**
 * The marketing-due sweep at a campaign's due time. At `sendAt`: a still-scheduled campaign becomes
 * `sending` under a new run. At an A/B test's `decideAt`: a campaign still sending and waiting
 * picks its winner and starts a new run that mails the rest. Either way
 * `crm.campaign.run-requested.v1` in the same write starts the flow (a rule), so the sweep needs
 * no Step Functions client. Paused or cancelled campaigns stay as they are (a resume goes on).
 */
export async function startScheduledCampaign(deps: { campaigns: Pick<CampaignRepository, 'get' | 'update'> }, tenantId: string, campaignId: string): Promise<'started' | 'not-scheduled'> {
  const before = await deps.campaigns.get(tenantId, campaignId, true);
  if (!before) return 'not-scheduled';
  const now = clock.nowIso();
  const waiting = before.status === 'sending' && before.abTest?.phase === 'waiting' && before.abTest.decideAt! <= now;
  if (before.status !== 'scheduled' && !waiting) return 'not-scheduled';
  const runs = before.runs + 1;
  const run = { tenantId, campaignId, runId: runId(campaignId, runs) };
  const event = newEvent(campaignRunRequestedV1, { tenantId, actor: { type: 'system', id: 'marketing-due' }, correlationId: run.runId }, run);
  const common = { runs, runId: run.runId, failure: null, updatedAt: now, updatedBy: 'system' };
  const changes: Partial<Campaign> = waiting
    ? { ...common, abTest: decideTest(before.abTest!, before.variantStats!, now) }
    : // The rules' "now" is the moment sending starts, as for an immediate send.
      { ...common, audience: before.audience ? { ...before.audience, evaluatedAt: now } : null, status: 'sending', startedAt: now };
  await deps.campaigns.update(before, changes, { detailType: campaignRunRequestedV1.detailType, detail: event });
  return 'started';
}
