import { describe, expect, it } from 'vitest';
import { METADATA } from '../../infra/metadata';
import { ENV } from '../../shared/runtime-env';
import { synthesizeStage } from './synthesize-stage';

const prod = synthesizeStage('prod');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CloudFormation JSON, navigated by the tests
type Resources = Record<string, { Properties: Record<string, any>; Metadata?: Record<string, unknown> }>;
const functions = Object.entries(prod.marketing.findResources('AWS::Lambda::Function') as Resources);
const logicalIdOf = (entry: string) => functions.find(([, f]) => f.Metadata?.[METADATA.entry] === entry)![0];
const rules = Object.values(prod.marketing.findResources('AWS::Events::Rule') as Resources);
const targetsOf = (logicalId: string) => rules.filter((r) => (r.Properties.Targets as { Arn: unknown }[]).some((t) => JSON.stringify(t.Arn).includes(logicalId)));

describe('automations', () => {
  it('one static rule on the CRM bus routes every domain event to the dispatcher, with retries and a dead-letter queue', () => {
    const dispatch = logicalIdOf('functions/automations/dispatch-automations.ts');
    const [rule, ...others] = targetsOf(dispatch);
    expect(others).toEqual([]);
    expect(rule!.Properties.EventPattern).toEqual({ source: ['crm'] });
    expect(JSON.stringify(rule!.Properties.EventBusName)).toContain('ImportValue');
    expect(rule!.Properties.Targets).toEqual([expect.objectContaining({ RetryPolicy: expect.objectContaining({ MaximumRetryAttempts: 8 }), DeadLetterConfig: expect.anything() })]);
    prod.marketing.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { FunctionName: { Ref: dispatch }, MaximumRetryAttempts: 2 });
  });

  it('the marketing-due sweep runs every minute, named for /_local/schedules/marketing-due/run', () => {
    const sweep = logicalIdOf('functions/automations/run-due-marketing.ts');
    const [rule, ...others] = targetsOf(sweep);
    expect(others).toEqual([]);
    expect(rule!.Properties.ScheduleExpression).toBe('rate(1 minute)');
    expect(rule!.Metadata?.[METADATA.schedule]).toBe('marketing-due');
    expect(rule!.Properties.Targets).toEqual([expect.objectContaining({ DeadLetterConfig: expect.anything() })]);
  });

  it("both senders get the API's URL for unsubscribe links, the account's send rate, the sender and the configuration set", () => {
    for (const entry of ['functions/automations/dispatch-automations.ts', 'functions/automations/run-due-marketing.ts']) {
      const variables = (prod.marketing.findResources('AWS::Lambda::Function') as Resources)[logicalIdOf(entry)]!.Properties.Environment.Variables;
      expect(variables, entry).toMatchObject({ [ENV.sesMaxSendRate]: '14', [ENV.mailFrom]: 'no-reply@example.com', [ENV.sesConfigurationSet]: expect.anything(), [ENV.tableName]: expect.anything() });
      expect(JSON.stringify(variables[ENV.apiBaseUrl]), entry).toMatch(/ImportValue.*ApiEndpoint/);
    }
  });
});
