import { sendWelcomeEmail } from '../../shared/customers/welcome-email-use-case';
import { welcomeEmailDeps } from '../../shared/customers/wiring';

/** Task of the welcome flow: its input is the crm.customer.created.v1 bus event. */
export const handler = async (event: unknown) => sendWelcomeEmail(welcomeEmailDeps, event);
