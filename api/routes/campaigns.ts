import * as z from 'zod/mini';
import { CAMPAIGN_STAT_NAMES, CAMPAIGN_STATUSES } from '../../shared/campaigns/campaign';
import { CAMPAIGN_LIMITS, createCampaignInput } from '../../shared/campaigns/campaign-input';
import { AB_PHASES, AB_VARIANTS, AB_WINNER_METRICS, VARIANT_STAT_NAMES } from '../../shared/campaigns/campaign-ab-test';
import type { RouteDescription } from '../route-docs';
import { areaRoutes } from '../route';

const variantStats = z.object(Object.fromEntries(VARIANT_STAT_NAMES.map((n) => [n, z.number()])) as Record<(typeof VARIANT_STAT_NAMES)[number], z.ZodMiniNumber>);
const decided = z.object({ sent: z.number(), count: z.number(), rate: z.number() });

const abTestResponse = z.object({
  variants: z.array(z.object({ name: z.enum(AB_VARIANTS), templateId: z.string(), subject: z.nullable(z.string()) })),
  share: z.number(),
  winnerBy: z.enum(AB_WINNER_METRICS),
  waitMinutes: z.number(),
  phase: z.enum(AB_PHASES),
  decideAt: z.nullable(z.string()),
  winner: z.nullable(z.enum(AB_VARIANTS)),
  decidedAt: z.nullable(z.string()),
  decision: z.nullable(z.object({ A: decided, B: decided })),
});

const campaignResponse = z.object({
  id: z.string(),
  name: z.string(),
  templateId: z.string(),
  segmentId: z.string(),
  topic: z.string(),
  sendAt: z.nullable(z.string()),
  ratePerSecond: z.number(),
  budget: z.nullable(z.number()),
  offer: z.nullable(z.string()),
  abTest: z.nullable(abTestResponse),
  variantStats: z.nullable(z.object({ A: variantStats, B: variantStats })),
  status: z.enum(CAMPAIGN_STATUSES),
  runId: z.nullable(z.string()),
  frozenAt: z.nullable(z.string()),
  stats: z.object(Object.fromEntries(CAMPAIGN_STAT_NAMES.map((n) => [n, z.number()])) as Record<(typeof CAMPAIGN_STAT_NAMES)[number], z.ZodMiniNumber>),
  cost: z.object({ currency: z.literal('USD'), amount: z.string() }),
  startedAt: z.nullable(z.string()),
  completedAt: z.nullable(z.string()),
  failure: z.nullable(z.string()),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  version: z.number(),
});

const id = { id: 'Campaign id' };
const runners = 'Only marketers and admins run campaigns (`forbidden`).';
const notFound = 'No such campaign in your tenant (`not-found`).';
const transition = (what: string, from: string): Omit<RouteDescription, 'description'> & { errors: Record<number, string> } => ({
  summary: what,
  tags: ['Marketing'],
  pathParameters: id,
  success: { status: 200, description: 'The campaign after the change.', schema: campaignResponse, headers: ['ETag'] },
  errors: { 403: runners, 404: notFound, 409: `The campaign is not ${from} (\`conflict\`); the body says its status.` },
});

/** Campaigns (docs/marketing.md, "Campaigns"). */
export const CAMPAIGNS_ROUTES = areaRoutes('campaigns', 'campaigns', [
  {
    method: 'POST',
    path: '/campaigns',
    auth: 'jwt',
    handler: 'functions/campaigns/create-campaign.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Draft a campaign',
      description:
        `A template sent to a segment's members who consented to \`topic\`: its customers, or for a \`contacts\` segment the people at its company customers (each under their own address, consent and frequency cap; \`contact.*\` placeholders are theirs, \`customer.*\` their company's), or for a \`leads\` segment its leads. \`ratePerSecond\` (default ${CAMPAIGN_LIMITS.ratePerSecond.default}, at most the account's SES rate) caps recipients per second; ` +
        '`budget` (hundredths of USD) caps how many emails are queued at the SES price of USD 0.10 per 1,000; `sendAt` schedules the start; `offer` names the offer it makes: a customer under another offer\'s lock is skipped (`offerLocked`), one who gets it is locked to it for the tenant\'s `offerLockDays`; only a customers segment takes an offer. ' +
        `\`abTest\` makes it an A/B test: two variants (another \`templateId\`, another \`subject\`, or both; an empty one is the campaign's own), each mailed to \`share\` percent of the eligible audience (${CAMPAIGN_LIMITS.abShare.min}-${CAMPAIGN_LIMITS.abShare.max}); \`waitMinutes\` (default ${CAMPAIGN_LIMITS.abWaitMinutes.default}) after the last test mail the variant with the better \`winnerBy\` rate (opened, the default, or clicked, per mail sent; a tie goes to A) is mailed to the rest; \`variantStats\` counts each variant. ` +
        'Nothing is sent until `/send`. Marketers and admins.',
      tags: ['Marketing'],
      requestBody: { schema: createCampaignInput, description: 'The campaign. Unknown fields are rejected by name.' },
      success: { status: 201, description: 'The draft.', schema: campaignResponse, headers: ['Location', 'ETag'] },
      errors: { 400: 'The body fails the schema, or the template or segment does not exist (`validation-failed`, naming `templateId` / `segmentId` / `abTest.variants.<i>.templateId`; a share outside 1-50 names `abTest.share`; an `offer` to a contacts or leads segment names `offer`).', 403: runners },
    },
  },
  {
    method: 'GET',
    path: '/campaigns',
    auth: 'jwt',
    handler: 'functions/campaigns/list-campaigns.ts',
    access: { table: 'read' },
    doc: {
      summary: "The tenant's campaigns",
      description: 'Every campaign with its status and stats, oldest first. One Query. Marketers and admins.',
      tags: ['Marketing'],
      success: { status: 200, description: 'The campaigns.', schema: z.object({ items: z.array(campaignResponse) }) },
      errors: { 403: runners },
    },
  },
  {
    method: 'GET',
    path: '/campaigns/{id}',
    auth: 'jwt',
    handler: 'functions/campaigns/get-campaign.ts',
    access: { table: 'read' },
    doc: {
      summary: 'Read a campaign: status, stats and cost',
      description:
        'Stats: `audience` (recipients frozen from the segment: customers, contacts or leads), the skipped (`suppressed`, `noConsent`, `capped`, `noAddress`, `overBudget`, `offerLocked`), `sent`, `failed`, and from SES events ' +
        '`delivered`, `bounced`, `complained`, `opened`, `clicked`, plus `unsubscribed` through the mail\'s link, each counted once per recipient. `cost` is `sent` at the SES price.',
      tags: ['Marketing'],
      pathParameters: id,
      success: { status: 200, description: 'The campaign.', schema: campaignResponse, headers: ['ETag'] },
      errors: { 403: runners, 404: notFound },
    },
  },
  {
    method: 'POST',
    path: '/campaigns/{id}/send',
    auth: 'jwt',
    handler: 'functions/campaigns/send-campaign.ts',
    access: { table: 'readWrite', startFlow: 'campaign' },
    doc: {
      ...transition('Send a draft campaign', 'a draft'),
      description:
        "Takes the segment's rules as they are now and starts the campaign flow, or schedules it when `sendAt` is in the future (status `scheduled`; the marketing-due sweep starts it within a minute of `sendAt`). " +
        'The flow freezes the audience, then sends batches of at most 50 (one SendBulkEmail each) at no more than the rate, re-checking consent, suppression and the frequency cap before each batch.',
      errors: { ...transition('', '').errors, 400: 'The template or segment was deleted meanwhile (`validation-failed`).', 409: 'The campaign is not a draft (`conflict`).' },
    },
  },
  {
    method: 'POST',
    path: '/campaigns/{id}/pause',
    auth: 'jwt',
    handler: 'functions/campaigns/pause-campaign.ts',
    access: { table: 'readWrite' },
    doc: {
      ...transition('Pause a sending or scheduled campaign', 'sending or scheduled'),
      description: 'No further batch starts; a batch already sending finishes. Resume continues with the recipients still queued.',
    },
  },
  {
    method: 'POST',
    path: '/campaigns/{id}/resume',
    auth: 'jwt',
    handler: 'functions/campaigns/resume-campaign.ts',
    access: { table: 'readWrite', startFlow: 'campaign' },
    doc: {
      ...transition('Resume a paused or failed campaign', 'paused or failed'),
      description: 'Starts a new run of the flow for the recipients still queued; nobody already mailed is mailed again.',
    },
  },
  {
    method: 'POST',
    path: '/campaigns/{id}/cancel',
    auth: 'jwt',
    handler: 'functions/campaigns/cancel-campaign.ts',
    access: { table: 'readWrite' },
    doc: {
      ...transition('Cancel a campaign', 'cancellable (sent or cancelled already)'),
      description: 'Final. A campaign that had started ends with `crm.campaign.completed.v1` (outcome `cancelled`); queued recipients are not mailed.',
    },
  },
]);
