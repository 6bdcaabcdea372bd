import { LeadNotFound } from '../errors';
import { newId } from '../ids';
import type { LeadMailSignals } from '../ses-events/ses-event-use-cases';
import { recordSignal } from './lead-capture-use-case';
import { LeadErased } from './lead-errors';
import type { LeadRepository } from './lead-repository';

/**
 * Opens and clicks of a lead's campaign mail as lead scoring signals (docs/leads.md, "Scoring"):
 * `email-opened` and `email-clicked`, as `POST /leads/{id}/engagements` records them, so the score,
 * qualification and routing follow. A lead erased or gone since the mail has nothing to score; a
 * converted lead's signal is still recorded on it (its history), as a tracker's would be.
 */
export function leadMailSignals(repo: LeadRepository): LeadMailSignals {
  return {
    async record(tenantId, leadId, type, occurredAt, correlationId) {
      try {
        await recordSignal(repo, { tenantId, actor: { type: 'system', id: 'ses' }, correlationId }, leadId, { id: newId(), type, occurredAt, url: null });
      } catch (error) {
        if (error instanceof LeadErased || error instanceof LeadNotFound) return;
        throw error;
      }
    },
  };
}
