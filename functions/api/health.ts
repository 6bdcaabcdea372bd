import { httpHandler, json } from '../../shared/http/http-handler';

/** Liveness for load balancers and `npm start`; touches no dependency, so it stays up when they are down. */
export const handler = httpHandler({ authenticated: false }, async () => json(200, { status: 'ok' }));
