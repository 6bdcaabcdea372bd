// Built once per container, at module load. Every construction is marked pure and reads its
// environment variable by literal name, so esbuild keeps only what a handler uses (docs/decisions.md, 52).
import { eventBridge } from '../aws/eventbridge';
import { requireEnv } from '../runtime-env';
import { EventPublisher } from './event-bus-gateway';

export const eventPublisher = /* @__PURE__ */ new EventPublisher(eventBridge, /* @__PURE__ */ requireEnv('EVENT_BUS_NAME'));
