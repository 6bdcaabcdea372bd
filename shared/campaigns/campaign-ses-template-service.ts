import { DeleteEmailTemplateCommand } from '@aws-sdk/client-sesv2';
import { documentClient } from '../aws/dynamodb';
import { sesV2 } from '../aws/sesv2';
import { campaignFlowDeps, tableName } from './campaign-flow-service';
import { SesTemplateStore } from '../templates/ses-template-store';
import { TemplateRepository } from '../templates/template-repository';

/** The steps that copy the template into the campaign's SES template and delete the copy at the end. */
export const campaignTemplateDeps = {
  ...campaignFlowDeps,
  templates: new TemplateRepository(documentClient, tableName),
  sesTemplates: new SesTemplateStore(sesV2),
  deleteSesTemplate: async (name: string) => {
    await sesV2.send(new DeleteEmailTemplateCommand({ TemplateName: name }));
  },
};
