import { sendReclaimDigests } from '../../shared/allocation/reclaim-digest-use-case';
import { digestDeps } from '../../shared/allocation/wiring';
import { eventHandler } from '../../shared/log-context';

/** Last task of the reclaim flow: one digest email per affected rep, and the run's counts. */
export const handler = eventHandler(async (event: unknown) => sendReclaimDigests(digestDeps, event));
