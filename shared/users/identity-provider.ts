import type { Group } from '../access/caller';
import { Conflict } from '../errors';

/**
 * Where users sign in (Cognito in AWS, the local runtime's stand-in on a laptop): the use cases of
 * the user directory change sign-in through this port and nothing else, so they stay free of the
 * SDK (the adapter is cognito-gateway.ts).
 */
export interface IdentityProvider {
  /**
   * Creates the sign-in with the tenant attribute and groups, and sends the invitation mail with a
   * temporary password. A user already invited into the same tenant (a retried request) answers
   * their id with `existed`; into another tenant, EmailTaken.
   */
  invite(user: NewSignIn): Promise<{ userId: string; existed: boolean }>;
  /** Sets what the tokens carry: the display name, the team attribute (null removes it), the groups (exactly these). */
  update(userId: string, change: SignInChange): Promise<void>;
  /** Disables sign-in and signs the user out everywhere (refresh tokens stop working), or enables it again. */
  setEnabled(userId: string, enabled: boolean): Promise<void>;
}

export interface NewSignIn {
  email: string;
  name: string;
  tenantId: string;
  teamId: string | null;
  groups: Group[];
}

export interface SignInChange {
  name?: string;
  teamId?: string | null;
  groups?: Group[];
}

/** A user pool holds each email once, whatever the tenant. */
export class EmailTaken extends Conflict {
  override readonly slug = 'email-taken';
  constructor(email: string) {
    super(`${email} already signs in to this CRM (in this or another tenant); invite them with another address`);
  }
}
