import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { buildCrmApp } from '../../infra/crm-app';
import { stageConfig } from '../../infra/stage-config';
import { testApp } from './synthesize-stage';

describe('buildCrmApp', () => {
  it.each(['', 'Prod', '1dev', 'dev_1', 'pr 42', 'a'.repeat(21)])('rejects the stage name "%s"', (stage) => {
    expect(() => buildCrmApp(testApp(), stage)).toThrow(/Invalid stage name/);
  });

  it('names every stack after the stage; dependencies point from the domains to the API to the data', () => {
    const { stateful, stateless, sales, marketing, campaigns } = buildCrmApp(testApp({ 'aws:cdk:bundling-stacks': [] }), 'pr-42');

    expect([stateful, stateless, sales, marketing, campaigns].map((s) => s.stackName)).toEqual([
      'crm-pr-42-stateful',
      'crm-pr-42-stateless',
      'crm-pr-42-sales',
      'crm-pr-42-marketing',
      'crm-pr-42-campaigns',
    ]);
    expect(stateless.dependencies).toContain(stateful);
    for (const domain of [sales, marketing, campaigns]) expect(domain.dependencies).toContain(stateless);
    expect(stateful.dependencies).toEqual([]);
    expect(stateless.dependencies).not.toContain(sales);
  });
});

describe('stageConfig', () => {
  it('allows every origin on dev-like stages and none on persistent stages unless named', () => {
    expect(stageConfig('dev').corsOrigins).toEqual(['*']);
    expect(stageConfig('pr-12').corsOrigins).toEqual(['*']);
    expect(stageConfig('prod').corsOrigins).toEqual([]);
    expect(stageConfig('prod', { corsOrigins: 'https://crm.acme.test, https://admin.acme.test:8443' }).corsOrigins).toEqual([
      'https://crm.acme.test',
      'https://admin.acme.test:8443',
    ]);
    expect(stageConfig('dev', { corsOrigins: 'http://localhost:5173' }).corsOrigins).toEqual(['http://localhost:5173']);
  });

  it('takes an alarm e-mail address on stages with alarms only', () => {
    expect(stageConfig('prod', { alarmEmail: 'ops@acme.test' }).alarmEmail).toBe('ops@acme.test');
    expect(() => stageConfig('prod', { alarmEmail: 'ops at acme' })).toThrow(/Invalid alarmEmail/);
    expect(() => stageConfig('pr-7', { alarmEmail: 'ops@acme.test' })).toThrow(/has no alarms/);
  });

  it('refuses "*" on persistent stages and anything that is not an origin', () => {
    expect(() => stageConfig('prod', { corsOrigins: '*' })).toThrow(/dev-like stages only/);
    expect(() => stageConfig('staging', { corsOrigins: 'https://crm.acme.test,*' })).toThrow(/dev-like stages only/);
    expect(() => stageConfig('dev', { corsOrigins: 'https://crm.acme.test/app' })).toThrow(/Invalid corsOrigins entry/);
    expect(() => stageConfig('dev', { corsOrigins: 'crm.acme.test' })).toThrow(/Invalid corsOrigins entry/);
  });

  it.each(['prod', 'staging'])('keeps %s data: retain, deletion protection, PITR, alarms', (stage) => {
    expect(stageConfig(stage)).toMatchObject({
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
      pointInTimeRecovery: true,
      alarms: true,
    });
  });

  it('keeps prod logs a year and staging logs three months', () => {
    expect(stageConfig('prod').logRetention).toBe(RetentionDays.ONE_YEAR);
    expect(stageConfig('staging').logRetention).toBe(RetentionDays.THREE_MONTHS);
  });

  it.each(['dev', 'local', 'pr-123'])('lets %s tear down cleanly', (stage) => {
    const config = stageConfig(stage);

    expect(config).toMatchObject({
      removalPolicy: RemovalPolicy.DESTROY,
      deletionProtection: false,
      pointInTimeRecovery: false,
      logRetention: RetentionDays.ONE_WEEK,
      alarms: false,
    });
    // Webhook replays read the archive on every stage.
    expect(config.eventArchiveRetention?.toDays()).toBe(7);
  });

  it('sends from no-reply@example.com unless told otherwise', () => {
    expect(stageConfig('dev').mailFrom).toBe('no-reply@example.com');
    expect(stageConfig('dev', { mailFrom: 'crm@acme.test' }).mailFrom).toBe('crm@acme.test');
  });

  it('rejects a sender that is not an email address', () => {
    expect(() => stageConfig('dev', { mailFrom: 'CRM <crm@acme.test>' })).toThrow(/Invalid mailFrom/);
  });
});
