import { sendWelcomeEmail } from '../../shared/email/send-welcome-email';
import { welcomeEmailDeps } from '../../shared/email/welcome-email-service';

/** Task of the welcome flow: its input is the crm.customer.created.v1 bus event. */
export const handler = async (event: unknown) => sendWelcomeEmail(welcomeEmailDeps, event);
