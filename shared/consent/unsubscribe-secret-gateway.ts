import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ENV, optionalEnv } from '../runtime-env';

/** The fixed secret of the local runtime (`npm start`, tests): links it signs are worthless elsewhere. */
export const LOCAL_UNSUBSCRIBE_SECRET = 'local-unsubscribe-secret-not-for-any-deployed-stage';

let cached: Promise<string> | undefined;

/**
 * The stage's unsubscribe signing secret, read once per container. In AWS it is a generated
 * Secrets Manager secret (stateful stack) that the function names by ARN. The local runtime sets
 * no ARN and uses LOCAL_UNSUBSCRIBE_SECRET; a deployed stage without the ARN fails instead of
 * signing with a known secret. The client is made on first use: only the two unsubscribe
 * functions read a secret, and the confirmation page of a bad link never needs it.
 */
export function unsubscribeSecret(): Promise<string> {
  cached ??= load().catch((error: unknown) => {
    cached = undefined; // a failed read (throttled, network) is tried again on the next request
    throw error;
  });
  return cached;
}

async function load(): Promise<string> {
  const arn = optionalEnv(ENV.unsubscribeSecretArn);
  if (!arn) {
    if (optionalEnv(ENV.stage) === 'local') return LOCAL_UNSUBSCRIBE_SECRET;
    throw new Error(`Missing environment variable ${ENV.unsubscribeSecretArn}`);
  }
  const { SecretString } = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: arn }));
  if (!SecretString) throw new Error('The unsubscribe secret has no SecretString');
  return SecretString;
}
