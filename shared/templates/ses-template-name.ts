import { createHash } from 'node:crypto';

/**
 * SES template names are account-wide (per region), at most 64 characters of letters, digits, `_`
 * and `-`. `crm_<stage>_` scopes them to the stage (the IAM grant is `template/crm_<stage>_*`; `_`
 * cannot occur in a stage name, so one stage's prefix never covers another's) and a hash of the
 * tenant keeps tenants apart within 64 characters: 4 + 20 + 1 + 12 + 1 + 26.
 */
export function sesTemplateName(stage: string, tenantId: string, templateId: string): string {
  const tenant = createHash('sha256').update(tenantId).digest('hex').slice(0, 12);
  return `crm_${stage}_${tenant}_${templateId}`;
}

export const sesTemplatePrefix = (stage: string) => `crm_${stage}_`;
