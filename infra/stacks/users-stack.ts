import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import { DomainStack, type DomainStackProps } from './domain-stack';

export interface UsersStackProps extends DomainStackProps {
  /** The stage's user pool (the stateful stack's): invitations, groups and sign-in are managed there. */
  readonly userPool: IUserPool;
}

/**
 * Users (docs/users.md): the user directory and its lifecycle, the rows of api/routes/users.ts:
 * inviting into the user pool, changing groups, team and manager, deactivating and reactivating.
 * The only functions allowed to manage the user pool live here; its own stack keeps the stateless
 * stack under CloudFormation's resource limit (docs/decisions.md, 43).
 */
export class UsersStack extends DomainStack {
  constructor(scope: Construct, id: string, props: UsersStackProps) {
    super(scope, id, props, 'users');
    this.wire({}, [], { userPool: props.userPool });
  }
}
