import { eventBridge } from '../aws/eventbridge';
import { ENV, requireEnv } from '../runtime-env';
import { EventPublisher } from './event-publisher';

export const eventPublisher = new EventPublisher(eventBridge, requireEnv(ENV.eventBusName));
