import { sendBatchInput } from '../../shared/campaigns/campaign-flow-input';
import { batchSenderDeps } from '../../shared/campaigns/wiring';
import { sendCampaignBatch } from '../../shared/campaigns/campaign-batch-use-case';

/** Campaign flow, Map item: one SendBulkEmail of at most 50 recipients, never twice to one. */
export const handler = async (event: unknown) => sendCampaignBatch(batchSenderDeps, sendBatchInput.parse(event));
