import type { Context } from 'aws-lambda';
import { rescheduleFromEvent } from '../../shared/allocation/reclaim-reschedule-use-case';
import { rescheduleRepository } from '../../shared/allocation/wiring';
import { eventHandler } from '../../shared/log-context';

/** Rule target: a tenant's first pool, a pool policy change, or the continuation of such a pass -> checks set to now. */
export const handler = eventHandler(async (event: unknown, context: Context) =>
  rescheduleFromEvent({ repo: rescheduleRepository, remainingMs: () => context.getRemainingTimeInMillis() }, event));
