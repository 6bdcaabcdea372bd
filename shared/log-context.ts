import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context } from 'aws-lambda';

/**
 * What every log line of an invocation carries (snake case, as Powertools names its own keys):
 * which function, which invocation, which API request, which chain of work, which tenant.
 */
export interface LogContext {
  function_name?: string;
  function_request_id?: string;
  /** API Gateway's request id, on lines of HTTP handlers. */
  api_request_id?: string;
  /** The request or flow run that caused the work; events carry it on (envelope `correlationId`). */
  correlation_id?: string;
  tenant_id?: string;
}

// Async-local, not a module variable: the local runtime runs many invocations in one process at once.
const storage = new AsyncLocalStorage<LogContext>();

export function currentLogContext(): LogContext {
  return storage.getStore() ?? {};
}

/** Runs a Lambda handler with its log context: the invocation's, plus what `contextOf` finds in the event. */
export function withLogContext<E, R>(contextOf: (event: E) => LogContext, handler: (event: E, context: Context) => Promise<R>) {
  return (event: E, context: Context): Promise<R> =>
    storage.run({ function_name: context?.functionName, function_request_id: context?.awsRequestId, ...contextOf(event) }, () => handler(event, context));
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const record = (value: unknown): Record<string, unknown> | undefined => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined);

/**
 * The tenant and correlation id of a non-HTTP invocation: an EventBridge event's envelope
 * (`detail.tenantId`, `detail.correlationId`), or a flow task's input (`tenantId`, and
 * `correlationId` or the flow run's `runId`). A stream batch spans tenants: nothing.
 */
export function eventLogContext(event: unknown): LogContext {
  const e = record(event);
  const source = record(e?.detail) ?? e;
  const context: LogContext = {};
  const tenant = text(source?.tenantId);
  const correlation = text(source?.correlationId) ?? text(source?.runId);
  if (tenant) context.tenant_id = tenant;
  if (correlation) context.correlation_id = correlation;
  return context;
}

/** Wraps an event, flow-task or stream handler: every line it logs names the function, the invocation, the tenant and the correlation id. */
export function eventHandler<E, R>(handler: (event: E, context: Context) => Promise<R>) {
  return withLogContext(eventLogContext, handler);
}
