import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { stepFunctions } from '../aws/step-functions';
import { ENV, requireEnv } from '../runtime-env';
import type { ImportRunInput } from './import-use-cases';

/** Starts the import flow; the execution name is the run and its attempt, so one start of an attempt is all there is. */
export async function startImportFlow(input: ImportRunInput, executionName: string): Promise<void> {
  await stepFunctions.send(new StartExecutionCommand({ stateMachineArn: requireEnv(ENV.importFlowArn), name: executionName, input: JSON.stringify(input) }));
}
