// Built once per container, at module load. Every construction is marked pure and reads its
// environment variable by literal name, so esbuild keeps only what a handler uses (docs/decisions.md, 52).
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { documentClient } from '../aws/dynamodb';
import { requireEnv } from '../runtime-env';
import { CognitoIdentityProvider } from './cognito-gateway';
import { UserDirectory } from './user-repository';

/** The user directory wired to this container's table. */
export const userDirectory = /* @__PURE__ */ new UserDirectory(documentClient, /* @__PURE__ */ requireEnv('TABLE_NAME'));

/** The stage's user pool (the local runtime's stand-in through AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER). */
export const identityProvider = /* @__PURE__ */ new CognitoIdentityProvider(
  /* @__PURE__ */ new CognitoIdentityProviderClient({}),
  /* @__PURE__ */ requireEnv('USER_POOL_ID'),
);
