import { DescribeReplayCommand, ResourceNotFoundException, StartReplayCommand } from '@aws-sdk/client-eventbridge';
import { eventBridge } from '../aws/eventbridge';
import { ENV, optionalEnv } from '../runtime-env';

/**
 * Replays of the stage's event archive to the webhook dispatcher's rule alone (docs/integrations.md,
 * "Replay"). EventBridge stamps each replayed event with the replay's name, which names the webhook
 * the dispatcher delivers it to. Locally the runtime's bus answers StartReplay from the events it
 * keeps (the last 5,000), and DescribeReplay.
 */
export interface ReplayGateway {
  /** False on a stage without an archive. */
  available(): boolean;
  start(replay: { name: string; from: Date; to: Date }): Promise<{ state: string }>;
  /** The replay's state (STARTING, RUNNING, CANCELLING, COMPLETED, CANCELLED, FAILED); undefined when EventBridge has none of that name. */
  state(name: string): Promise<string | undefined>;
}

export const eventArchiveReplays: ReplayGateway = {
  available: () => Boolean(optionalEnv(ENV.eventArchiveArn) && optionalEnv(ENV.eventBusArn) && optionalEnv(ENV.webhookReplayRuleArn)),
  async start({ name, from, to }) {
    const result = await eventBridge.send(
      new StartReplayCommand({
        ReplayName: name,
        EventSourceArn: optionalEnv(ENV.eventArchiveArn),
        EventStartTime: from,
        EventEndTime: to,
        Destination: { Arn: optionalEnv(ENV.eventBusArn)!, FilterArns: [optionalEnv(ENV.webhookReplayRuleArn)!] },
      }),
    );
    return { state: result.State ?? 'STARTING' };
  },
  async state(name) {
    try {
      return (await eventBridge.send(new DescribeReplayCommand({ ReplayName: name }))).State ?? 'STARTING';
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
  },
};
