import * as z from 'zod/mini';
import { SES_BULK_MAX_DESTINATIONS } from './campaign';
import { AB_VARIANTS } from './campaign-ab-test';

/** What every step of the campaign flow receives: the run it belongs to. */
export const campaignRunInput = z.object({
  tenantId: z.string().check(z.minLength(1)),
  campaignId: z.string().check(z.minLength(1)),
  runId: z.string().check(z.minLength(1)),
});

const position = { after: z.nullable(z.string()), part: z.int().check(z.nonnegative()) };

export const planBatchesInput = z.extend(campaignRunInput, { ...position, planned: z.int().check(z.nonnegative()) });

export const continueRunInput = z.extend(campaignRunInput, position);

export const sendBatchInput = z.extend(campaignRunInput, {
  customerIds: z.array(z.string().check(z.minLength(1))).check(z.minLength(1), z.maxLength(SES_BULK_MAX_DESTINATIONS)),
  variant: z.nullable(z.enum(AB_VARIANTS)),
});

export const runFailureInput = z.extend(campaignRunInput, { error: z.optional(z.string()) });
