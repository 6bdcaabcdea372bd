import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildCrmApp } from './crm-app';

const app = new App();
const stage: unknown = app.node.tryGetContext('stage') ?? 'dev';
buildCrmApp(app, String(stage));
// cdk-nag 3 is a policy validation plugin: unacknowledged errors fail `cdk synth`.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
