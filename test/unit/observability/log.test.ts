import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { httpHandler } from '../../../shared/http/http-handler';
import { logError, logInfo } from '../../../shared/log';
import { eventHandler, eventLogContext } from '../../../shared/log-context';

const context = (functionName: string, awsRequestId: string) => ({ functionName, awsRequestId }) as Context;

/** The JSON lines Powertools wrote to stdout/stderr during `body`. */
async function linesOf(body: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const written: string[] = [];
  const capture = (chunk: unknown) => (written.push(String(chunk)), true);
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    await body();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return written.flatMap((w) => w.split('\n')).filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
}

let level: string | undefined;
beforeEach(() => {
  level = process.env.CRM_LOG_LEVEL;
  delete process.env.CRM_LOG_LEVEL;
});
afterEach(() => {
  if (level === undefined) delete process.env.CRM_LOG_LEVEL;
  else process.env.CRM_LOG_LEVEL = level;
});

describe('eventLogContext', () => {
  it('reads the tenant and correlation id of a bus event envelope', () => {
    expect(eventLogContext({ 'detail-type': 'x', detail: { tenantId: 'acme', correlationId: 'req-1' } })).toEqual({ tenant_id: 'acme', correlation_id: 'req-1' });
  });

  it('reads a flow task input, taking the run id as the correlation id', () => {
    expect(eventLogContext({ tenantId: 'acme', runId: 'run-9' })).toEqual({ tenant_id: 'acme', correlation_id: 'run-9' });
  });

  it('finds nothing in a stream batch or garbage', () => {
    expect(eventLogContext({ Records: [] })).toEqual({});
    expect(eventLogContext(null)).toEqual({});
    expect(eventLogContext({ detail: { tenantId: 42 } })).toEqual({});
  });
});

describe('log lines', () => {
  it('of an event consumer name the function, the invocation, the tenant and the correlation id', async () => {
    const handler = eventHandler(async () => logInfo('counted', { metric: 'x' }));
    const [line] = await linesOf(() => handler({ detail: { tenantId: 'acme', correlationId: 'req-1' } }, context('CountDailyEvents', 'inv-1')));

    expect(line).toMatchObject({ level: 'INFO', message: 'counted', service: 'crm', function_name: 'CountDailyEvents', function_request_id: 'inv-1', tenant_id: 'acme', correlation_id: 'req-1', metric: 'x' });
  });

  it('of an API request carry its request id as the correlation id, and its tenant', async () => {
    const handler = httpHandler({}, async () => {
      logInfo('inside');
      throw new Error('boom');
    });
    const event = { rawPath: '/customers', headers: {}, requestContext: { requestId: 'api-7', authorizer: { jwt: { claims: { sub: 'u1', 'custom:tenantId': 'acme', 'cognito:groups': '[rep]' } } } } };
    const lines = await linesOf(async () => expect(await handler(event as never, context('GetCustomer', 'inv-2'))).toMatchObject({ statusCode: 500 }));

    expect(lines).toEqual([
      expect.objectContaining({ message: 'inside', api_request_id: 'api-7', correlation_id: 'api-7', tenant_id: 'acme', function_name: 'GetCustomer' }),
      expect.objectContaining({ level: 'ERROR', message: 'unhandled error', api_request_id: 'api-7', tenant_id: 'acme', error: expect.objectContaining({ message: 'boom' }) }),
    ]);
  });

  it('keep the context of each of two invocations running at once (the local runtime runs many in one process)', async () => {
    const handler = eventHandler(async (event: { detail: { tenantId: string } }) => {
      await new Promise((resolve) => setTimeout(resolve, event.detail.tenantId === 'first' ? 20 : 1));
      logInfo('done');
    });
    const lines = await linesOf(() => Promise.all([handler({ detail: { tenantId: 'first' } }, context('F', '1')), handler({ detail: { tenantId: 'second' } }, context('F', '2'))]));

    expect(lines.map((l) => [l.tenant_id, l.function_request_id])).toEqual([
      ['second', '2'],
      ['first', '1'],
    ]);
  });

  it('are not written at all with CRM_LOG_LEVEL=silent', async () => {
    process.env.CRM_LOG_LEVEL = 'silent';
    expect(await linesOf(async () => (logInfo('x'), logError('y', new Error('z'))))).toEqual([]);
  });
});
