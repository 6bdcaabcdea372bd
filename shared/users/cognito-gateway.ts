import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserAttributesCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Group } from '../access/caller';
import { logWarn } from '../log';
import { EmailTaken, type IdentityProvider, type NewSignIn, type SignInChange } from './identity-provider';

const TENANT_ATTRIBUTE = 'custom:tenantId';
const TEAM_ATTRIBUTE = 'custom:teamId';

const attributeMap = (attributes: AttributeType[] | undefined) => new Map((attributes ?? []).map((a) => [a.Name ?? '', a.Value ?? '']));

/**
 * The identity provider as a Cognito user pool whose users sign in by email (the pool's username
 * is Cognito's own id, the `sub`, which is the CRM's user id and which every Admin* call accepts).
 * Cognito sends the invitation mail with the temporary password itself.
 */
export class CognitoIdentityProvider implements IdentityProvider {
  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  async invite(user: NewSignIn): Promise<{ userId: string; existed: boolean }> {
    let attributes: Map<string, string>;
    let existed = false;
    try {
      const created = await this.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: this.userPoolId,
          Username: user.email,
          UserAttributes: [
            { Name: 'email', Value: user.email },
            // The admin vouches for the address; Cognito mails the temporary password to it.
            { Name: 'email_verified', Value: 'true' },
            { Name: 'name', Value: user.name },
            { Name: TENANT_ATTRIBUTE, Value: user.tenantId },
            ...(user.teamId ? [{ Name: TEAM_ATTRIBUTE, Value: user.teamId }] : []),
          ],
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      );
      attributes = attributeMap(created.User?.Attributes);
    } catch (error) {
      if (!(error instanceof UsernameExistsException)) throw error;
      // A retry after a crash between Cognito and the directory, or someone else's address.
      const found = await this.cognito.send(new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: user.email }));
      attributes = attributeMap(found.UserAttributes);
      existed = true;
    }
    const userId = attributes.get('sub');
    if (!userId || attributes.get(TENANT_ATTRIBUTE) !== user.tenantId) throw new EmailTaken(user.email);
    await this.setGroups(userId, user.groups);
    return { userId, existed };
  }

  async update(userId: string, change: SignInChange): Promise<void> {
    await this.ifSignInExists(userId, async () => {
      const set: AttributeType[] = [
        ...(change.name !== undefined ? [{ Name: 'name', Value: change.name }] : []),
        ...(change.teamId ? [{ Name: TEAM_ATTRIBUTE, Value: change.teamId }] : []),
      ];
      if (set.length) await this.cognito.send(new AdminUpdateUserAttributesCommand({ UserPoolId: this.userPoolId, Username: userId, UserAttributes: set }));
      if (change.teamId === null) {
        await this.cognito.send(new AdminDeleteUserAttributesCommand({ UserPoolId: this.userPoolId, Username: userId, UserAttributeNames: [TEAM_ATTRIBUTE] }));
      }
      if (change.groups) await this.setGroups(userId, change.groups);
    });
  }

  async setEnabled(userId: string, enabled: boolean): Promise<void> {
    await this.ifSignInExists(userId, async () => {
      if (enabled) {
        await this.cognito.send(new AdminEnableUserCommand({ UserPoolId: this.userPoolId, Username: userId }));
        return;
      }
      await this.cognito.send(new AdminDisableUserCommand({ UserPoolId: this.userPoolId, Username: userId }));
      // Revokes refresh tokens; ID tokens already issued are refused by the API through the directory (docs/users.md).
      await this.cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: this.userPoolId, Username: userId }));
    });
  }

  /** Exactly `groups`: adds the missing, removes the rest (each call is idempotent, so a retry converges). */
  private async setGroups(userId: string, groups: Group[]): Promise<void> {
    const held = new Set<string>();
    let nextToken: string | undefined;
    do {
      const page = await this.cognito.send(new AdminListGroupsForUserCommand({ UserPoolId: this.userPoolId, Username: userId, NextToken: nextToken }));
      for (const g of page.Groups ?? []) if (g.GroupName) held.add(g.GroupName);
      nextToken = page.NextToken;
    } while (nextToken);
    for (const group of groups.filter((g) => !held.has(g))) {
      await this.cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: this.userPoolId, Username: userId, GroupName: group }));
    }
    for (const group of [...held].filter((g) => !(groups as string[]).includes(g))) {
      await this.cognito.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: this.userPoolId, Username: userId, GroupName: group }));
    }
  }

  /**
   * A directory entry made by PUT may describe a user that signs in elsewhere (or nowhere): the
   * directory still changes, and there is no sign-in to change.
   */
  private async ifSignInExists(userId: string, change: () => Promise<void>): Promise<void> {
    try {
      await change();
    } catch (error) {
      if (!(error instanceof UserNotFoundException)) throw error;
      logWarn('no sign-in for this directory entry; only the directory changed', { userId });
    }
  }
}
