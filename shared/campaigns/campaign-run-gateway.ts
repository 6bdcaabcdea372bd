import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { stepFunctions } from '../aws/step-functions';
import { ENV, requireEnv } from '../runtime-env';
import type { CampaignRunStarter } from './campaign-run-use-cases';

/** Starts a campaign run as a Step Functions execution named after the run: a second start of one run is refused. */
export const campaignRunStarter: CampaignRunStarter = {
  async start(run) {
    await stepFunctions.send(new StartExecutionCommand({ stateMachineArn: requireEnv(ENV.campaignFlowArn), name: run.runId, input: JSON.stringify(run) }));
  },
};
