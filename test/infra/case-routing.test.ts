import { describe, expect, it } from 'vitest';
import { METADATA } from '../../infra/metadata';
import { synthesizeStage } from './synthesize-stage';

const prod = synthesizeStage('prod');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CloudFormation JSON, navigated by the tests
type Resources = Record<string, { Properties: Record<string, any>; Metadata?: Record<string, unknown> }>;
const functions = Object.entries(prod.service.findResources('AWS::Lambda::Function') as Resources);
const rules = Object.values(prod.service.findResources('AWS::Events::Rule') as Resources);

describe('routing cases to agents', () => {
  it('one rule on the CRM bus gives RouteCases the opened and status-changed cases and the agents\' updates, with retries and a dead-letter queue', () => {
    const [logicalId] = functions.find(([, f]) => f.Metadata?.[METADATA.entry] === 'functions/cases/route-cases.ts')!;
    const targeting = rules.filter((r) => (r.Properties.Targets as { Arn: unknown }[]).some((t) => JSON.stringify(t.Arn).includes(logicalId)));
    expect(targeting).toHaveLength(1);
    expect(targeting[0]!.Properties.EventPattern).toEqual({ source: ['crm'], 'detail-type': ['crm.case.opened.v1', 'crm.case.status-changed.v1', 'crm.agent.updated.v1', 'crm.customer.erased.v1'] });
    expect(targeting[0]!.Properties.Targets).toEqual([expect.objectContaining({ DeadLetterConfig: expect.anything(), RetryPolicy: expect.anything() })]);
  });
});
