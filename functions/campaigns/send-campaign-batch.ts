import { sendBatchInput } from '../../shared/marketing/campaign-flow-input';
import { batchSenderDeps } from '../../shared/marketing/campaign-batch-service';
import { sendCampaignBatch } from '../../shared/marketing/campaign-batch-sender';

/** Campaign flow, Map item: one SendBulkEmail of at most 50 recipients, never twice to one. */
export const handler = async (event: unknown) => sendCampaignBatch(batchSenderDeps, sendBatchInput.parse(event));
