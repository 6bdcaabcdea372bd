import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { stepFunctions } from '../aws/step-functions';

/** Errors of a token nobody waits on any more: its execution ended, timed out, or (locally) was run again. */
const GONE_TOKEN_ERRORS = new Set(['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken']);

/** Answers the approval flow's waiting step; false when the token is gone (nothing waits for it). */
export async function answerWaitingStep(taskToken: string, output: { outcome: string }): Promise<boolean> {
  try {
    await stepFunctions.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
    return true;
  } catch (error) {
    if (error instanceof Error && GONE_TOKEN_ERRORS.has(error.name)) return false;
    throw error;
  }
}
