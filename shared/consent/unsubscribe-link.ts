import { MalformedRequest } from '../errors';
import { InvalidUnsubscribeToken, type UnsubscribeClaims, verifyUnsubscribeToken } from './unsubscribe-token';

/**
 * The token's claims, or a 400 that says nothing about why it was refused. Its own module, free of
 * repositories, so whatever reads a link (the page, the one-click POST, the preference centre)
 * shares the one refusal.
 */
export async function readUnsubscribeToken(deps: { secret: () => Promise<string> }, token: string | undefined): Promise<UnsubscribeClaims> {
  try {
    return verifyUnsubscribeToken(token ?? '', await deps.secret());
  } catch (error) {
    if (error instanceof InvalidUnsubscribeToken) throw new MalformedRequest('This unsubscribe link is not valid');
    throw error;
  }
}
