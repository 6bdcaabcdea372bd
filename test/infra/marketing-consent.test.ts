import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { METADATA } from '../../infra/metadata';
import { synthesizeStage } from './synthesize-stage';

const prod = synthesizeStage('prod');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CloudFormation JSON, navigated by the tests
type Resources = Record<string, { Properties: Record<string, any>; Metadata?: Record<string, unknown> }>;
const functionByEntry = (entry: string) => Object.values(prod.marketing.findResources('AWS::Lambda::Function') as Resources).find((f) => f.Metadata?.[METADATA.entry] === entry)!;

describe('SES events', () => {
  it('the configuration set publishes delivery, bounce, complaint, open and click to the default bus', () => {
    prod.stateful.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: Match.arrayEquals(['delivery', 'bounce', 'complaint', 'open', 'click']),
        EventBridgeDestination: { EventBusArn: { 'Fn::Join': ['', Match.arrayWith([':event-bus/default'])] } },
      },
    });
  });

  it("a rule on the default bus sends this stage's SES events to RecordSesEvent, with retries and a dead-letter queue", () => {
    const rules = Object.values(prod.marketing.findResources('AWS::Events::Rule') as Resources);
    const rule = rules.find((r) => r.Properties.EventPattern?.source?.[0] === 'aws.ses')!;
    expect(rule.Properties.EventBusName ?? 'default').toBe('default');
    expect(rule.Properties.EventPattern['detail-type']).toEqual(['Email Delivered', 'Email Bounced', 'Email Complaint Received', 'Email Opened', 'Email Clicked']);
    expect(rule.Properties.EventPattern.detail.mail.tags['ses:configuration-set']).toHaveLength(1);
    expect(rule.Properties.Targets).toEqual([expect.objectContaining({ RetryPolicy: expect.objectContaining({ MaximumRetryAttempts: 8 }), DeadLetterConfig: expect.anything() })]);
    expect(functionByEntry('functions/ses-events/record-ses-event.ts')).toBeDefined();
  });
});

describe('unsubscribe secret', () => {
  it('is a generated Secrets Manager secret in the stateful stack, retained on prod', () => {
    prod.stateful.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ GenerateSecretString: Match.objectLike({ PasswordLength: 64 }) }),
    });
  });

  it('only the unsubscribe functions and the automation senders (which sign links) get its ARN and read access', () => {
    const readers = ['functions/consent/show-unsubscribe.ts', 'functions/consent/unsubscribe.ts', 'functions/automations/dispatch-automations.ts', 'functions/automations/run-due-marketing.ts'];
    for (const entry of readers) {
      const fn = functionByEntry(entry);
      expect(fn.Properties.Environment.Variables.UNSUBSCRIBE_SECRET_ARN, entry).toBeDefined();
    }
    const others = Object.values(prod.marketing.findResources('AWS::Lambda::Function') as Resources).filter((f) => !readers.includes(String(f.Metadata?.[METADATA.entry])));
    for (const fn of others) expect(fn.Properties.Environment.Variables.UNSUBSCRIBE_SECRET_ARN).toBeUndefined();
    const policies = Object.values(prod.marketing.findResources('AWS::IAM::Policy') as Resources).filter((p) => JSON.stringify(p).includes('secretsmanager:GetSecretValue'));
    expect(policies).toHaveLength(readers.length);
  });
});
