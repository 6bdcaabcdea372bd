import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { METADATA } from '../../infra/metadata';
import { UNSUBSCRIBE_SIGNING_KEY_PK } from '../../shared/keys';
import { synthesizeStage } from './synthesize-stage';

const prod = synthesizeStage('prod');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CloudFormation JSON, navigated by the tests
type Resources = Record<string, { Properties: Record<string, any>; Metadata?: Record<string, unknown> }>;
const functionByEntry = (entry: string) => Object.values(prod.marketing.findResources('AWS::Lambda::Function') as Resources).find((f) => f.Metadata?.[METADATA.entry] === entry)!;

describe('SES events', () => {
  it('the configuration set publishes send (for the MailsSent metric), delivery, bounce, complaint, open and click to the default bus', () => {
    prod.stateful.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: Match.arrayEquals(['send', 'delivery', 'bounce', 'complaint', 'open', 'click']),
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
  it('is no billed resource: an item of the table, created by the first function that needs it (decision 56)', () => {
    for (const stack of [prod.stateful, ...prod.functionStacks]) stack.resourceCountIs('AWS::SecretsManager::Secret', 0);
  });

  it('only the unsubscribe functions and the automation senders (which sign links) may read and create its item, and nothing else of its partition', () => {
    const readers = ['functions/consent/show-unsubscribe.ts', 'functions/consent/unsubscribe.ts', 'functions/consent/save-preferences.ts', 'functions/automations/dispatch-automations.ts', 'functions/automations/run-due-marketing.ts'];
    const policies = Object.values(prod.marketing.findResources('AWS::IAM::Policy') as Resources).filter((p) => JSON.stringify(p).includes(UNSUBSCRIBE_SIGNING_KEY_PK));
    expect(policies).toHaveLength(readers.length);
    for (const policy of policies) {
      const statements = (policy.Properties.PolicyDocument.Statement as { Condition?: unknown }[]).filter((s) => JSON.stringify(s).includes(UNSUBSCRIBE_SIGNING_KEY_PK));
      expect(statements).toEqual([
        expect.objectContaining({
          Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
          Effect: 'Allow',
          Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [UNSUBSCRIBE_SIGNING_KEY_PK] } },
        }),
      ]);
    }
    for (const entry of readers) expect(functionByEntry(entry).Properties.Environment.Variables.TABLE_NAME, entry).toBeDefined();
  });
});
