import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { TABLE_INDEXES, TTL_ATTRIBUTE } from '../../shared/keys';
import { synthesizeStage } from './synthesize-stage';

const stages = {
  prod: synthesizeStage('prod').stateful,
  staging: synthesizeStage('staging').stateful,
  dev: synthesizeStage('dev').stateful,
};

describe('the table', () => {
  it.each(['prod', 'staging'] as const)('survives on %s: retained, deletion protected, PITR', (stage) => {
    stages[stage].hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    });
  });

  it('is deleted with the dev stack, without protection', () => {
    stages.dev.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({
        DeletionProtectionEnabled: false,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
      }),
    });
  });

  it('is one on-demand table with a stream of both images, TTL and AWS managed encryption', () => {
    stages.dev.resourceCountIs('AWS::DynamoDB::Table', 1);
    stages.dev.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('has the three string-keyed GSIs of shared/keys.ts, projecting all attributes', () => {
    const [table] = Object.values(stages.dev.findResources('AWS::DynamoDB::Table'));

    expect(table?.Properties.GlobalSecondaryIndexes).toEqual(
      Object.values(TABLE_INDEXES).map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.pk, KeyType: 'HASH' },
          { AttributeName: index.sk, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    );
    for (const index of Object.values(TABLE_INDEXES)) {
      expect(table?.Properties.AttributeDefinitions).toEqual(
        expect.arrayContaining([
          { AttributeName: index.pk, AttributeType: 'S' },
          { AttributeName: index.sk, AttributeType: 'S' },
        ]),
      );
    }
  });
});

describe('the event bus', () => {
  it('is named after the stage', () => {
    stages.dev.hasResourceProperties('AWS::Events::EventBus', { Name: 'crm-dev' });
  });

  it('is archived for replay on every stage (webhook replays read it)', () => {
    stages.prod.resourceCountIs('AWS::Events::Archive', 1);
    stages.staging.resourceCountIs('AWS::Events::Archive', 1);
    stages.dev.resourceCountIs('AWS::Events::Archive', 1);
  });
});

describe('the user pool', () => {
  it('carries an immutable tenantId and a strong password policy', () => {
    stages.dev.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith([
        Match.objectLike({ Name: 'tenantId', AttributeDataType: 'String', Mutable: false }),
        Match.objectLike({ Name: 'teamId', AttributeDataType: 'String', Mutable: true }),
      ]),
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
  });

  it('is retained on prod and deleted on dev', () => {
    stages.prod.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain' });
    stages.dev.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Delete' });
  });

  it('has the five CRM groups', () => {
    const groups = Object.values(stages.dev.findResources('AWS::Cognito::UserPoolGroup')).map((g) => g.Properties.GroupName);

    expect(groups.sort()).toEqual(['admin', 'agent', 'manager', 'marketer', 'rep']);
  });

  it('has a public client (no secret) that cannot write the tenant', () => {
    stages.dev.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ReadAttributes: Match.arrayWith(['custom:tenantId']),
      WriteAttributes: Match.not(Match.arrayWith(['custom:tenantId'])),
    });
    stages.dev.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ReadAttributes: Match.arrayWith(['custom:teamId']),
      WriteAttributes: Match.not(Match.arrayWith(['custom:teamId'])),
    });
  });
});

describe('email', () => {
  it('has an SES configuration set named after the stage', () => {
    stages.dev.hasResourceProperties('AWS::SES::ConfigurationSet', { Name: 'crm-dev' });
  });
});

describe('outputs', () => {
  it.each(['TableName', 'EventBusName', 'UserPoolId', 'UserPoolClientId'])('exports %s', (name) => {
    expect(stages.dev.findOutputs(name)).toHaveProperty(name);
  });
});
