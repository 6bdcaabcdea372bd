import * as iam from 'aws-cdk-lib/aws-iam';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { UNSUBSCRIBE_SIGNING_KEY_PK } from '../../shared/keys';
import { ENV } from '../../shared/runtime-env';

/**
 * The secret that signs unsubscribe links (docs/marketing.md): one item of the table
 * (`keys.unsubscribeSigningKey`) that the first function needing it creates
 * (shared/consent/unsubscribe-secret-repository.ts). It costs nothing a month, where a Secrets
 * Manager secret cost $0.40 on every stage, idle or not (docs/decisions.md, 56); it lives and dies
 * with the table (retained and backed up on prod, gone with a dev-like stage).
 */
export class UnsubscribeKey {
  constructor(private readonly table: ITable) {}

  /**
   * Lets `fn` read and create the secret's item, and nothing else in its partition
   * (`dynamodb:LeadingKeys`), and sets TABLE_NAME. Functions without this grant and with table
   * access can read the item too: see decision 56.
   */
  grantReadCreate(fn: lambda.Function): void {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        resources: [this.table.tableArn],
        conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [UNSUBSCRIBE_SIGNING_KEY_PK] } },
      }),
    );
    fn.addEnvironment(ENV.tableName, this.table.tableName);
  }
}
