import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';

describe('the business metrics consumer', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
    vi.resetModules();
  });

  async function emitted(event: unknown): Promise<Record<string, unknown>[]> {
    vi.stubEnv('STAGE', 'prod');
    vi.stubEnv('CRM_LOG_LEVEL', '');
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));
    const { handler } = await import('../../../functions/stats/record-business-metrics');
    await handler(event, { functionName: 'RecordBusinessMetrics', awsRequestId: 'inv-1' } as Context);
    vi.restoreAllMocks();
    return written.flatMap((w) => w.split('\n')).filter((l) => l.includes('"_aws"')).map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  it('writes one EMF line per event: namespace CRM, dimensions service and stage, the count', async () => {
    const [line, ...rest] = await emitted({ source: 'crm', 'detail-type': 'crm.customer.created.v1', detail: { tenantId: 'acme', data: {} } });

    expect(rest).toEqual([]);
    expect(line).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Namespace: 'CRM', Dimensions: [expect.arrayContaining(['service', 'stage'])], Metrics: [{ Name: 'CustomersCreated', Unit: 'Count' }] }] },
      service: 'crm',
      stage: 'prod',
      CustomersCreated: 1,
    });
  });

  it('writes nothing for an event that is not a business metric', async () => {
    expect(await emitted({ source: 'crm', 'detail-type': 'crm.customer.updated.v1', detail: {} })).toEqual([]);
  });
});
