import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { stepFunctions } from '../aws/step-functions';
import { ENV, requireEnv } from '../runtime-env';
import type { CampaignRunHandOver } from './campaign-flow-use-cases';
import type { CampaignRunStarter } from './campaign-run-use-cases';

/** Starts a campaign run as a Step Functions execution named after the run: a second start of one run is refused. */
export const campaignRunStarter: CampaignRunStarter = {
  async start(run) {
    await stepFunctions.send(new StartExecutionCommand({ stateMachineArn: requireEnv(ENV.campaignFlowArn), name: run.runId, input: JSON.stringify(run) }));
  },
};

/**
 * Starts the next execution of a run. A retry after a start that did happen is no second run: AWS
 * answers a repeated name with the same input as the first start, and an existing execution of
 * that name (ExecutionAlreadyExists) is the one this step started before.
 */
export const campaignRunHandOver: CampaignRunHandOver = {
  async continueRun(run, executionName) {
    try {
      await stepFunctions.send(new StartExecutionCommand({ stateMachineArn: requireEnv(ENV.campaignFlowArn), name: executionName, input: JSON.stringify(run) }));
    } catch (error) {
      if ((error as Error).name !== 'ExecutionAlreadyExists') throw error;
    }
  },
};
