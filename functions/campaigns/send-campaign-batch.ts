import { sendBatchInput } from '../../shared/campaigns/campaign-flow-input';
import { batchSenderDeps } from '../../shared/campaigns/wiring';
import { sendCampaignBatch } from '../../shared/campaigns/campaign-batch-use-case';
import { eventHandler } from '../../shared/log-context';

/** Campaign flow, Map item: one SendBulkEmail of at most 50 recipients, never twice to one. */
export const handler = eventHandler(async (event: unknown) => sendCampaignBatch(batchSenderDeps, sendBatchInput.parse(event)));
