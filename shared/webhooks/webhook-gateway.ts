import { lookup } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { type DeliveryRules, addressRefusal, urlRefusal } from './webhook-address';
import { ATTEMPT_TIMEOUT_MS, type AttemptResult } from './webhook-delivery';

/**
 * Sends one signed attempt (docs/integrations.md, "Webhooks"). The signature follows the Standard
 * Webhooks specification through its reference library (`standardwebhooks`): headers
 * `webhook-id`, `webhook-timestamp` and `webhook-signature`, one `v1,<sig>` per secret that signs
 * now (two during a rotation's overlap). Every address the host resolves to is checked in the
 * connection's own DNS lookup, so what is checked is what is connected to.
 */

export interface SignedAttempt {
  url: string;
  messageId: string;
  payload: string;
  secrets: readonly string[];
  at: Date;
}

export function signatureHeaders(attempt: Pick<SignedAttempt, 'messageId' | 'payload' | 'secrets' | 'at'>): Record<string, string> {
  const signature = attempt.secrets.map((secret) => new StandardWebhook(secret).sign(attempt.messageId, attempt.at, attempt.payload)).join(' ');
  return { 'webhook-id': attempt.messageId, 'webhook-timestamp': String(Math.floor(attempt.at.getTime() / 1000)), 'webhook-signature': signature };
}

/** A DNS lookup that refuses any address the rules refuse (all of them, when a host has several). */
function guardedLookup(rules: DeliveryRules): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const refused = addresses.map((a) => addressRefusal(a.address, rules)).find((r) => r !== undefined);
      if (refused) return callback(Object.assign(new Error(`Refused: ${refused}`), { code: 'EADDRREFUSED' }), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: typeof addresses) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

export function sendSignedAttempt(attempt: SignedAttempt, rules: DeliveryRules): Promise<AttemptResult> {
  const started = Date.now();
  const done = (statusCode: number | null, error: string | null): AttemptResult => ({ statusCode, latencyMs: Date.now() - started, error });
  const refusal = urlRefusal(attempt.url, rules);
  if (refusal) return Promise.resolve(done(null, `Refused: ${refusal}`));
  const url = new URL(attempt.url);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const headers = { 'content-type': 'application/json', 'user-agent': 'serverless-crm-webhooks/1', ...signatureHeaders(attempt) };
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', headers, lookup: guardedLookup(rules), timeout: ATTEMPT_TIMEOUT_MS }, (res) => {
      // The body is not read beyond draining it: only the status counts.
      res.resume();
      res.on('end', () => resolve(done(res.statusCode ?? null, res.statusCode && res.statusCode >= 300 ? `HTTP ${res.statusCode}` : null)));
      res.on('error', (error) => resolve(done(res.statusCode ?? null, error.message)));
    });
    req.on('timeout', () => req.destroy(new Error(`No answer within ${ATTEMPT_TIMEOUT_MS} ms`)));
    req.on('error', (error) => resolve(done(null, error.message)));
    req.end(attempt.payload);
  });
}
