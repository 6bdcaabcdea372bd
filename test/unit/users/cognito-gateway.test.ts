import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserAttributesCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CognitoIdentityProvider } from '../../../shared/users/cognito-gateway';
import { EmailTaken } from '../../../shared/users/identity-provider';

const cognito = mockClient(CognitoIdentityProviderClient);
const provider = new CognitoIdentityProvider(new CognitoIdentityProviderClient({ region: 'eu-central-1' }), 'eu-central-1_Pool');
const $metadata = {};
const attributes = (sub: string, tenantId: string) => [
  { Name: 'sub', Value: sub },
  { Name: 'custom:tenantId', Value: tenantId },
];
const newUser = { email: 'ana@example.com', name: 'Ana', tenantId: 't1', teamId: 'north', groups: ['rep' as const, 'manager' as const] };

describe('the Cognito identity provider', () => {
  beforeEach(() => cognito.reset());

  it('invites by email with the tenant and team attributes and an email invitation, then adds the groups under the new sub', async () => {
    cognito.on(AdminCreateUserCommand).resolves({ User: { Attributes: attributes('sub-1', 't1') } });
    cognito.on(AdminListGroupsForUserCommand).resolves({ Groups: [] });

    expect(await provider.invite(newUser)).toEqual({ userId: 'sub-1', existed: false });
    const create = cognito.commandCalls(AdminCreateUserCommand)[0]!.args[0].input;
    expect(create).toMatchObject({ UserPoolId: 'eu-central-1_Pool', Username: 'ana@example.com', DesiredDeliveryMediums: ['EMAIL'] });
    expect(create.UserAttributes).toEqual(
      expect.arrayContaining([
        { Name: 'custom:tenantId', Value: 't1' },
        { Name: 'custom:teamId', Value: 'north' },
        { Name: 'name', Value: 'Ana' },
        { Name: 'email_verified', Value: 'true' },
      ]),
    );
    expect(cognito.commandCalls(AdminAddUserToGroupCommand).map((c) => [c.args[0].input.Username, c.args[0].input.GroupName])).toEqual([
      ['sub-1', 'rep'],
      ['sub-1', 'manager'],
    ]);
  });

  it('finishes a retried invitation of the same tenant, and refuses an address that signs in to another tenant', async () => {
    cognito.on(AdminCreateUserCommand).rejects(new UsernameExistsException({ message: 'exists', $metadata }));
    cognito.on(AdminGetUserCommand).resolves({ UserAttributes: attributes('sub-1', 't1') });
    cognito.on(AdminListGroupsForUserCommand).resolves({ Groups: [{ GroupName: 'rep' }, { GroupName: 'manager' }] });
    expect(await provider.invite(newUser)).toEqual({ userId: 'sub-1', existed: true });
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)).toHaveLength(0);

    cognito.on(AdminGetUserCommand).resolves({ UserAttributes: attributes('sub-1', 'another-tenant') });
    await expect(provider.invite(newUser)).rejects.toBeInstanceOf(EmailTaken);
  });

  it('sets exactly the groups asked for, and removes the team attribute when it is cleared', async () => {
    cognito.on(AdminListGroupsForUserCommand).resolves({ Groups: [{ GroupName: 'rep' }, { GroupName: 'marketer' }] });
    await provider.update('sub-1', { groups: ['rep', 'manager'], teamId: null, name: 'Ana B' });
    expect(cognito.commandCalls(AdminAddUserToGroupCommand).map((c) => c.args[0].input.GroupName)).toEqual(['manager']);
    expect(cognito.commandCalls(AdminRemoveUserFromGroupCommand).map((c) => c.args[0].input.GroupName)).toEqual(['marketer']);
    expect(cognito.commandCalls(AdminUpdateUserAttributesCommand)[0]!.args[0].input.UserAttributes).toEqual([{ Name: 'name', Value: 'Ana B' }]);
    expect(cognito.commandCalls(AdminDeleteUserAttributesCommand)[0]!.args[0].input.UserAttributeNames).toEqual(['custom:teamId']);
  });

  it('disables sign-in and signs the user out everywhere; a user without a sign-in changes in the directory only', async () => {
    await provider.setEnabled('sub-1', false);
    expect(cognito.commandCalls(AdminDisableUserCommand)).toHaveLength(1);
    expect(cognito.commandCalls(AdminUserGlobalSignOutCommand)).toHaveLength(1);

    cognito.on(AdminDisableUserCommand).rejects(new UserNotFoundException({ message: 'no such user', $metadata }));
    await expect(provider.setEnabled('hand-made', false)).resolves.toBeUndefined();
    cognito.on(AdminDisableUserCommand).rejects(new Error('throttled'));
    await expect(provider.setEnabled('sub-1', false)).rejects.toThrow('throttled');
  });
});
