import { CreateEmailTemplateCommand, type SESv2Client, UpdateEmailTemplateCommand } from '@aws-sdk/client-sesv2';
import { sesTemplateContent, type TemplateContent } from './template-placeholders';

/** Where templates are stored for sending: SES v2, or a stub in tests. */
export interface SesTemplates {
  /**
   * Makes the SES template hold this content, whether it exists or not (idempotent). `likely`
   * says which call to try first: `create` for a new template, `update` for an edit.
   */
  put(name: string, content: TemplateContent, likely: 'create' | 'update'): Promise<void>;
}

/**
 * Writes the compiled content (sesTemplateContent) as an SES v2 template. Create and update each
 * fall back to the other, so a retry after a half-finished request, a template SES lost, or a
 * concurrent first write all end with SES holding this content.
 */
export class SesTemplateStore implements SesTemplates {
  constructor(private readonly client: SESv2Client) {}

  async put(name: string, content: TemplateContent, likely: 'create' | 'update'): Promise<void> {
    const compiled = sesTemplateContent(content);
    const input = { TemplateName: name, TemplateContent: { Subject: compiled.subject, Html: compiled.html, Text: compiled.text } };
    const create = () => this.client.send(new CreateEmailTemplateCommand(input));
    const update = () => this.client.send(new UpdateEmailTemplateCommand(input));
    if (likely === 'create') {
      try {
        await create();
      } catch (error) {
        if (!isSesError(error, 'AlreadyExistsException')) throw error;
        await update();
      }
      return;
    }
    try {
      await update();
    } catch (error) {
      if (!isSesError(error, 'NotFoundException')) throw error;
      try {
        await create();
      } catch (createError) {
        if (!isSesError(createError, 'AlreadyExistsException')) throw createError;
        await update();
      }
    }
  }
}

/** By the exception's name, or by the `type` member of the body that stand-ins send without an error header. */
function isSesError(error: unknown, name: 'NotFoundException' | 'AlreadyExistsException'): boolean {
  if (!(error instanceof Error)) return false;
  const body = (error as { type?: unknown }).type;
  return error.name === name || body === name;
}
