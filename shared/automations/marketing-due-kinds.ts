import { AUTOMATION_SEND_KIND } from './automation-send';
import { automationSendDueHandler } from './automation-send-flow-use-cases';
import { automationFlowDeps } from './wiring';
import { CAMPAIGN_START_KIND } from '../campaigns/campaign-repository';
import { campaigns } from '../campaigns/wiring';
import { campaignStartDueHandler } from '../campaigns/campaign-start-due-use-case';
import type { DueRegistry } from './marketing-due';

/**
 * The marketing-due registry: the handler of each kind of due entry (marketing-due.ts says what a
 * handler must do). Adding a kind is one entry here, e.g. `'campaign-start': campaignStartDue(deps)`.
 */
export const DUE_KINDS: DueRegistry = {
  [AUTOMATION_SEND_KIND]: automationSendDueHandler(automationFlowDeps),
  [CAMPAIGN_START_KIND]: campaignStartDueHandler({ campaigns }),
};
