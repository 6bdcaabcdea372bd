import type { Context } from 'aws-lambda';
import { DUE_KINDS } from '../../shared/automations/marketing-due-kinds';
import { marketingDueDeps } from '../../shared/automations/wiring';
import { runDueMarketing } from '../../shared/automations/marketing-due-use-case';
import { eventHandler } from '../../shared/log-context';

/** Stop claiming entries this long before the timeout: a claimed entry is finished within the run. */
const FINISH_MARGIN_MS = 20_000;

/** Scheduled every minute (`marketing-due`): handles what is due on the marketing-due index (delayed automation sends, ...). */
export const handler = eventHandler(async (_event: unknown, context: Context) =>
  runDueMarketing(marketingDueDeps, DUE_KINDS, { stopBy: Date.now() + context.getRemainingTimeInMillis() - FINISH_MARGIN_MS }));
