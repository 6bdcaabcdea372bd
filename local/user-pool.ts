import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** One user of the stand-in pool, as Cognito keeps it for the CRM. */
export interface LocalPoolUser {
  sub: string;
  email: string;
  attributes: Record<string, string>;
  groups: string[];
  enabled: boolean;
  status: 'FORCE_CHANGE_PASSWORD' | 'CONFIRMED';
  createdAt: string;
}

type Input = Record<string, unknown>;
type Attribute = { Name: string; Value: string };

/** Thrown with the name Cognito gives the error, which the SDK maps to its exception class. */
const cognitoError = (name: string, message: string) => Object.assign(new Error(message), { name });

/**
 * The stage's Cognito user pool on a laptop: the Admin* calls the user routes make
 * (shared/users/cognito-gateway.ts), over the same JSON protocol, so the SDK code path
 * is the one that runs in AWS. Users are kept by `sub` and found by `sub` or email (the pool's
 * sign-in alias), like a pool with email sign-in; the invitation goes out as a mail through the
 * SES stand-in. `POST /_local/tokens` signs in as these users with their pool's claims, and refuses
 * disabled ones. Persisted in the data dir, so a restart keeps them.
 */
export class LocalUserPool {
  private readonly users = new Map<string, LocalPoolUser>();

  constructor(
    private readonly sendInvitation: (to: string, subject: string, text: string) => Promise<void>,
    private readonly file?: string,
  ) {
    if (file && existsSync(file)) {
      for (const user of JSON.parse(readFileSync(file, 'utf8')) as LocalPoolUser[]) this.users.set(user.sub, user);
    }
  }

  /** A user by `sub` or email. */
  find(username: string): LocalPoolUser | undefined {
    const byId = this.users.get(username);
    if (byId) return byId;
    const email = username.toLowerCase();
    return [...this.users.values()].find((u) => u.email === email);
  }

  /** The JSON-protocol operations, by `X-Amz-Target`. */
  operations(): Record<string, (input: Input) => unknown> {
    const op = (name: string, run: (input: Input) => unknown) => [`AWSCognitoIdentityProviderService.${name}`, run] as const;
    return Object.fromEntries([
      op('AdminCreateUser', (input) => this.create(input)),
      op('AdminGetUser', (input) => {
        const user = this.get(input);
        return { Username: user.sub, UserAttributes: attributeList(user), Enabled: user.enabled, UserStatus: user.status, UserCreateDate: Date.parse(user.createdAt) / 1000 };
      }),
      op('AdminAddUserToGroup', (input) => this.change(input, (u) => void (u.groups.includes(String(input.GroupName)) || u.groups.push(String(input.GroupName))))),
      op('AdminRemoveUserFromGroup', (input) => this.change(input, (u) => void (u.groups = u.groups.filter((g) => g !== input.GroupName)))),
      op('AdminListGroupsForUser', (input) => ({ Groups: this.get(input).groups.map((GroupName) => ({ GroupName })) })),
      op('AdminUpdateUserAttributes', (input) =>
        this.change(input, (u) => {
          for (const a of (input.UserAttributes as Attribute[] | undefined) ?? []) {
            if (a.Name === 'custom:tenantId') throw cognitoError('InvalidParameterException', 'custom:tenantId is immutable');
            u.attributes[a.Name] = a.Value;
          }
        }),
      ),
      op('AdminDeleteUserAttributes', (input) => this.change(input, (u) => void ((input.UserAttributeNames as string[] | undefined) ?? []).forEach((n) => delete u.attributes[n]))),
      op('AdminDisableUser', (input) => this.change(input, (u) => void (u.enabled = false))),
      op('AdminEnableUser', (input) => this.change(input, (u) => void (u.enabled = true))),
      // Refresh tokens do not exist here; the local tokens of a disabled user are refused at issue.
      op('AdminUserGlobalSignOut', (input) => this.change(input, () => undefined)),
    ]);
  }

  private async create(input: Input): Promise<unknown> {
    const given = Object.fromEntries(((input.UserAttributes as Attribute[] | undefined) ?? []).map((a) => [a.Name, a.Value]));
    const email = String(given.email ?? input.Username).toLowerCase();
    if (this.find(email)) throw cognitoError('UsernameExistsException', 'An account with the given email already exists.');
    const sub = randomUUID();
    const user: LocalPoolUser = { sub, email, attributes: { ...given, sub, email }, groups: [], enabled: true, status: 'FORCE_CHANGE_PASSWORD', createdAt: new Date().toISOString() };
    this.users.set(sub, user);
    this.save();
    const password = `${randomBytes(6).toString('base64url')}a1!A`;
    await this.sendInvitation(email, 'Your temporary password', `Your username is ${email} and temporary password is ${password}.`);
    return { User: { Username: sub, Attributes: attributeList(user), Enabled: true, UserStatus: user.status, UserCreateDate: Date.parse(user.createdAt) / 1000 } };
  }

  private get(input: Input): LocalPoolUser {
    const user = this.find(String(input.Username ?? ''));
    if (!user) throw cognitoError('UserNotFoundException', 'User does not exist.');
    return user;
  }

  private change(input: Input, apply: (user: LocalPoolUser) => void): Record<string, never> {
    apply(this.get(input));
    this.save();
    return {};
  }

  private save(): void {
    if (this.file) writeFileSync(this.file, JSON.stringify([...this.users.values()], null, 1));
  }
}

function attributeList(user: LocalPoolUser): Attribute[] {
  return Object.entries(user.attributes).map(([Name, Value]) => ({ Name, Value }));
}
