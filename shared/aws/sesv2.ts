import { SESv2Client } from '@aws-sdk/client-sesv2';

export const sesV2 = new SESv2Client({});
