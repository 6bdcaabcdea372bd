import { sendWelcomeEmail } from '../../shared/customers/welcome-email-use-case';
import { welcomeEmailDeps } from '../../shared/customers/wiring';
import { eventHandler } from '../../shared/log-context';

/** Task of the welcome flow: its input is the crm.customer.created.v1 bus event. */
export const handler = eventHandler(async (event: unknown) => sendWelcomeEmail(welcomeEmailDeps, event));
