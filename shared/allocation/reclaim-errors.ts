/**
 * Which failures of a sweep task are worth retrying (throttling, conflicts, transient service and
 * network errors) and which are the item's own (a profile that cannot be read, a bug). Retryable
 * ones leave the Lambda as `ReclaimRetryable`, the one name the state machine's Retry (with
 * backoff) matches; everything else becomes the item's outcome `failed` and the run goes on.
 */

export const RETRYABLE_ERROR = 'ReclaimRetryable';

const RETRYABLE_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'TransactionConflictException',
  'TransactionInProgressException',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

const RETRYABLE_CANCELLATIONS = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded']);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

interface AwsLikeError {
  name?: string;
  code?: string;
  $retryable?: unknown;
  CancellationReasons?: { Code?: string }[];
}

export function isRetryable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as AwsLikeError;
  if (e.name === RETRYABLE_ERROR || (e.name && RETRYABLE_NAMES.has(e.name))) return true;
  if (e.$retryable) return true;
  if (e.code && NETWORK_CODES.has(e.code)) return true;
  return e.name === 'TransactionCanceledException' && (e.CancellationReasons ?? []).some((r) => r.Code !== undefined && RETRYABLE_CANCELLATIONS.has(r.Code));
}

export class RetryableSweepError extends Error {
  override readonly name = RETRYABLE_ERROR;
  constructor(cause: unknown) {
    super(cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause), { cause });
  }
}
