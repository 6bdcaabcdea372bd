import { Logger } from '@aws-lambda-powertools/logger';
import { currentLogContext } from './log-context';

/**
 * Structured JSON logs through Powertools Logger (one object per line, level, timestamp, service,
 * X-Ray trace id), each line with the invocation's log context (function, request ids,
 * correlation id, tenant). `CRM_LOG_LEVEL=silent` (tests, benchmarks) is read at call time, as
 * the local runtime sets it after modules load. Powertools' own level comes from
 * `POWERTOOLS_LOG_LEVEL` / Lambda's log level.
 */
const logger = new Logger({ serviceName: 'crm' });

const silent = () => process.env.CRM_LOG_LEVEL === 'silent';

export function logInfo(message: string, fields: Record<string, unknown> = {}): void {
  if (silent()) return;
  logger.info(message, { ...currentLogContext(), ...fields });
}

export function logWarn(message: string, fields: Record<string, unknown> = {}): void {
  if (silent()) return;
  logger.warn(message, { ...currentLogContext(), ...fields });
}

export function logError(message: string, error: unknown, fields: Record<string, unknown> = {}): void {
  if (silent()) return;
  // Powertools formats an `error` key holding an Error as name, location, message and stack.
  logger.error(message, { ...currentLogContext(), ...fields, error: error instanceof Error ? error : new Error(String(error)) });
}
