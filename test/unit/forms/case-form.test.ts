import { describe, expect, it } from 'vitest';
import { fieldErrors } from '../../../shared/field-errors';
import { caseCategoryOf, caseFormSubmission, caseSubmissionKey, createFormInput, type Form, formView, newForm, withoutHoneypot } from '../../../shared/forms/form';

const context = { id: 'F1', tenantId: 't1', secret: 's'.repeat(32), userId: 'admin-1', nowIso: '2026-12-07T06:00:00.000Z' };
const paths = (body: unknown) => {
  const parsed = caseFormSubmission.safeParse(body);
  return parsed.success ? [] : fieldErrors(parsed.error).map((e) => e.path);
};
const valid = { email: 'Ada@Example.com', subject: 'Printer on fire', description: 'Since this morning.' };

describe('form purpose', () => {
  it('is lead unless asked; only a case form keeps categories, general by default', () => {
    const lead = newForm(createFormInput.parse({ name: 'Contact' }), context);
    expect(lead.purpose).toBe('lead');
    expect(lead.caseCategories).toBeUndefined();
    expect(formView(lead)).toMatchObject({ purpose: 'lead', caseCategories: null });

    const support = newForm(createFormInput.parse({ name: 'Support', purpose: 'case' }), context);
    expect(formView(support)).toMatchObject({ purpose: 'case', caseCategories: ['general'] });
    const billing = newForm(createFormInput.parse({ name: 'Support', purpose: 'case', caseCategories: ['billing', 'technical', 'billing'] }), context);
    expect(billing.caseCategories).toEqual(['billing', 'technical']);
  });

  it('reads a form stored before purposes as a lead form', () => {
    const { purpose: _purpose, ...old } = newForm({ name: 'Old' }, context);
    expect(formView(old as Form).purpose).toBe('lead');
  });

  it('refuses unknown purposes and malformed categories', () => {
    expect(createFormInput.safeParse({ name: 'x', purpose: 'ticket' }).success).toBe(false);
    expect(createFormInput.safeParse({ name: 'x', purpose: 'case', caseCategories: ['Billing Stuff'] }).success).toBe(false);
    expect(createFormInput.safeParse({ name: 'x', purpose: 'case', caseCategories: [] }).success).toBe(false);
  });
});

describe('case form submission', () => {
  it('takes email, subject, description and the optional name, category and priority', () => {
    const parsed = caseFormSubmission.parse({ ...valid, name: 'Ada', category: 'billing', priority: 'low' });
    expect(parsed).toMatchObject({ email: 'ada@example.com', name: 'Ada', category: 'billing', priority: 'low' });
    expect(caseFormSubmission.parse(valid).priority).toBe('normal');
  });

  it('names every missing, wrong or unknown field', () => {
    expect(paths({})).toEqual(expect.arrayContaining(['email', 'subject', 'description']));
    expect(paths({ ...valid, email: 'nope' })).toEqual(['email']);
    expect(paths({ ...valid, description: '   ' })).toEqual(['description']);
    expect(paths({ ...valid, phone: '+49301234' })).toEqual(['phone']);
  });

  it('never lets the public ask for more than normal priority', () => {
    expect(paths({ ...valid, priority: 'urgent' })).toEqual(['priority']);
    expect(paths({ ...valid, priority: 'high' })).toEqual(['priority']);
  });

  it('takes the honeypot field out before the strict check', () => {
    expect(withoutHoneypot({ ...valid, website_url: '' }, 'website_url')).toEqual(valid);
  });

  it('picks a category the form offers, its first by default', () => {
    const form = { caseCategories: ['billing', 'technical'] };
    expect(caseCategoryOf(form, undefined)).toEqual({ category: 'billing' });
    expect(caseCategoryOf(form, 'technical')).toEqual({ category: 'technical' });
    expect(caseCategoryOf(form, 'general')).toEqual({ error: 'Expected one of billing, technical' });
    expect(caseCategoryOf({}, undefined)).toEqual({ category: 'general' });
  });

  it('keys a submission by form, address (any case), subject and description', () => {
    const key = caseSubmissionKey('F1', { ...valid, email: 'ada@example.com' });
    expect(caseSubmissionKey('F1', { ...valid, email: ' ADA@example.com' })).toBe(key);
    expect(caseSubmissionKey('F2', { ...valid, email: 'ada@example.com' })).not.toBe(key);
    expect(caseSubmissionKey('F1', { ...valid, email: 'ada@example.com', description: 'Another thing.' })).not.toBe(key);
  });
});
