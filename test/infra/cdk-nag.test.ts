import { Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { nagFindings, synthesizeStage, testApp } from './synthesize-stage';

describe('cdk-nag AwsSolutions', () => {
  it.each(['dev', 'staging', 'prod', 'pr-42'])('leaves no unacknowledged error or warning on stage %s', (stage) => {
    const { app } = synthesizeStage(stage);

    expect(nagFindings(app)).toEqual([]);
  });

  it('reports a non-compliant resource (the check is not silently off)', () => {
    const app = testApp();
    new sqs.Queue(new Stack(app, 'Probe'), 'PlainQueue', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    app.synth();

    expect(nagFindings(app)).toEqual(
      expect.arrayContaining([
        'error AwsSolutions-SQS3 at Probe/PlainQueue/Resource',
        'error AwsSolutions-SQS4 at Probe/PlainQueue/Resource',
      ]),
    );
  });
});
