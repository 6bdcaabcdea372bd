import { z } from 'zod';
import type { ControlHandler } from './http-api';
import { sesEventEntry } from './ses-events';
import type { LocalRuntimeParts } from './runtime';

/**
 * A user of the stand-in pool (invited with POST /users) signs in by `sub` or `email` alone and gets
 * the pool's claims; anyone else is made up on the spot from `sub` and `tenantId`.
 */
const tokenRequest = z.strictObject({
  sub: z.string().min(1).optional(),
  tenantId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
  groups: z.array(z.string()).default([]),
  teamId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
  email: z.email().optional(),
  expiresIn: z.string().optional(),
});

const sesEventRequest = z.strictObject({
  messageId: z.string().min(1),
  type: z.enum(['delivery', 'bounce', 'complaint', 'open', 'click']),
  bounceType: z.enum(['Permanent', 'Transient', 'Undetermined']).optional(),
});

const throttleRequest = z.strictObject({ count: z.number().int().min(0).max(1_000_000) });

const inboundRequest = z.strictObject({
  /** The message as it would arrive: RFC 5322 text (headers, blank line, body). */
  raw: z.string().min(1),
  /** Envelope recipients; default the message's To and Cc. */
  recipients: z.array(z.string()).optional(),
  /** What SES's checks would have said of the sender (PASS, FAIL, GRAY...); default none. */
  verdicts: z.strictObject({ dmarc: z.string().optional(), spf: z.string().optional(), dkim: z.string().optional() }).default({}),
});

const clockRequest = z.union([z.strictObject({ advance: z.string() }), z.strictObject({ now: z.string() })]);

const bad = (message: string) => ({ status: 400, body: { message } });

/** The local-only control routes (`/_local/*`); none of them exists in an AWS deployment. */
export function controlRoutes(parts: LocalRuntimeParts): ControlHandler {
  return async ({ method, path, body, query }) => {
    const route = `${method} ${path}`;
    switch (route) {
      case 'POST /_local/tokens': {
        const parsed = tokenRequest.safeParse(body);
        if (!parsed.success) return bad(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
        const request = parsed.data;
        const pooled = parts.userPool.find(request.sub ?? request.email ?? '');
        if (pooled && !pooled.enabled) return { status: 403, body: { message: 'User is disabled.' } };
        const claims = pooled
          ? { sub: pooled.sub, tenantId: pooled.attributes['custom:tenantId'] ?? '', groups: pooled.groups, teamId: pooled.attributes['custom:teamId'], email: pooled.email, expiresIn: request.expiresIn }
          : request.sub && request.tenantId
            ? { ...request, sub: request.sub, tenantId: request.tenantId }
            : undefined;
        if (!claims) return bad('Name sub and tenantId, or the sub or email of a user invited with POST /users');
        try {
          return { status: 200, body: { token: await parts.tokens.issue(claims) } };
        } catch (error) {
          return bad((error as Error).message);
        }
      }
      case 'POST /_local/inbound-email': {
        // JSON {raw, recipients?, verdicts?}, or the raw message itself as message/rfc822 with ?to=a@x,b@y.
        const to = query.get('to');
        const request = Buffer.isBuffer(body) ? { raw: body, recipients: to ? to.split(',') : undefined, verdicts: {} } : inboundRequest.safeParse(body);
        if ('success' in request && !request.success) return bad(request.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
        const { raw, recipients, verdicts } = 'success' in request ? request.data! : request;
        const delivery = await parts.inbound(Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'utf8'), recipients, verdicts);
        if (delivery.status === 'no-rule') return bad(`No receipt rule takes ${delivery.recipients.join(', ') || 'these recipients (none found in To or Cc)'}: SES would reject the mail (550)`);
        return { status: 200, body: delivery };
      }
      case 'GET /_local/clock':
        return { status: 200, body: { now: parts.clock.now().toISOString() } };
      case 'POST /_local/clock': {
        const parsed = clockRequest.safeParse(body);
        if (!parsed.success) return bad('Send {"advance": "P31D"} or {"now": "2027-01-01T00:00:00Z"}');
        try {
          const now = 'advance' in parsed.data ? parts.clock.advance(parsed.data.advance) : parts.clock.set(parsed.data.now);
          // Work that the jump made due runs now, not on the scheduler's next tick.
          const fired = parts.scheduler?.tick() ?? [];
          return { status: 200, body: { now: now.toISOString(), fired } };
        } catch (error) {
          return bad((error as Error).message);
        }
      }
      case 'GET /_local/schedules':
        return { status: 200, body: { schedules: parts.bus.schedules(), automatic: parts.scheduler !== undefined, next: parts.scheduler?.next() ?? {} } };
      case 'POST /_local/ses-events': {
        // What SES would publish for a mail the stand-in accepted; the template's rule and consumer take it from there.
        const parsed = sesEventRequest.safeParse(body);
        if (!parsed.success) return bad(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
        const message = parts.sesMessages.get(parsed.data.messageId);
        if (!message) return { status: 404, body: { message: `No mail ${parsed.data.messageId} was sent through the SES stand-in` } };
        const result = parts.bus.putEvents([sesEventEntry(message, parsed.data, parts.clock.now())]);
        await parts.settle();
        return { status: 200, body: { eventId: result.Entries[0] && 'EventId' in result.Entries[0] ? result.Entries[0].EventId : null } };
      }
      case 'GET /_local/emails':
        return { status: 200, body: { emails: await parts.ses.emails() } };
      case 'GET /_local/ses/calls':
        return { status: 200, body: parts.sesMessages.calls() };
      case 'DELETE /_local/ses/calls':
        parts.sesMessages.resetCalls();
        return { status: 200, body: { reset: true } };
      case 'GET /_local/ses/throttle':
        return { status: 200, body: { remaining: parts.sesMessages.throttled } };
      case 'POST /_local/ses/throttle': {
        const parsed = throttleRequest.safeParse(body);
        if (!parsed.success) return bad('Send {"count": N}: how many of the next SendEmail / SendBulkEmail calls to refuse as throttled (0 stops)');
        return { status: 200, body: { remaining: parts.sesMessages.throttleNext(parsed.data.count) } };
      }
      case 'GET /_local/events': {
        const detailType = query.get('detailType');
        const events = parts.bus.recent().filter((r) => !detailType || r.event['detail-type'] === detailType);
        return { status: 200, body: { events } };
      }
      case 'GET /_local/executions':
        return { status: 200, body: { executions: parts.flows.list() } };
      case 'GET /_local/dead-letters':
        return { status: 200, body: { bus: parts.bus.deadLetters, streams: parts.streamPollers.flatMap((p) => p.deadLetters) } };
      case 'GET /_local/dynamodb-requests':
        if (!parts.requestCounter) return { status: 404, body: { message: 'Start with --count-requests to count DynamoDB requests' } };
        return { status: 200, body: { operations: parts.requestCounter.snapshot(), writesByKind: parts.requestCounter.kindSnapshot() } };
      case 'POST /_local/dynamodb-requests/reset':
        if (!parts.requestCounter) return { status: 404, body: { message: 'Start with --count-requests to count DynamoDB requests' } };
        parts.requestCounter.reset();
        return { status: 200, body: { reset: true } };
      case 'POST /_local/settle':
        await parts.settle();
        return { status: 200, body: { settled: true } };
      case 'GET /_local/wiring':
        return {
          status: 200,
          body: {
            routes: parts.wiring.routes,
            rules: parts.wiring.rules,
            stateMachines: parts.wiring.stateMachines.map((s) => ({ name: s.name, arn: s.arn })),
            streamMappings: parts.wiring.streamMappings,
            functions: [...parts.wiring.functions.values()].map((f) => ({ name: f.name, entry: f.entry })),
          },
        };
    }
    const redelivery = /^POST \/_local\/events\/([^/]+)\/redeliver$/.exec(route);
    if (redelivery) {
      const record = parts.bus.redeliver(decodeURIComponent(redelivery[1]!));
      if (!record) return { status: 404, body: { message: `No recent event ${redelivery[1]}` } };
      await parts.settle();
      return { status: 200, body: record };
    }
    const schedule = /^POST \/_local\/schedules\/([^/]+)\/run$/.exec(route);
    if (schedule) {
      const record = parts.bus.runSchedule(decodeURIComponent(schedule[1]!));
      if (!record) return { status: 404, body: { message: `No schedule ${schedule[1]}`, schedules: parts.bus.schedules() } };
      await parts.settle();
      return { status: 200, body: record };
    }
    return undefined;
  };
}
