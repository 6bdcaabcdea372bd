import { describe, expect, it } from 'vitest';
import { fieldErrors } from '../../../shared/field-errors';
import { createFormInput, formView, newForm, thankYouLocation, thankYouUrlRefusal } from '../../../shared/forms/form';
import { formThankYouPage } from '../../../shared/forms/form-page';

const context = { id: 'F1', tenantId: 't', secret: 's'.repeat(32), userId: 'u', nowIso: '2026-12-07T10:00:00.000Z' };

describe('a form\'s thank-you URL', () => {
  it('is https, or http on localhost only', () => {
    expect(thankYouUrlRefusal('https://www.example.com/thanks')).toBeUndefined();
    expect(thankYouUrlRefusal('http://localhost:8080/thanks')).toBeUndefined();
    expect(thankYouUrlRefusal('http://127.0.0.1/thanks')).toBeUndefined();
    expect(thankYouUrlRefusal('http://www.example.com/thanks')).toMatch(/https/);
    expect(thankYouUrlRefusal('javascript:alert(1)')).toMatch(/https/);
    expect(thankYouUrlRefusal('/thanks')).toMatch(/absolute URL/);
    expect(thankYouUrlRefusal('https://user:pw@www.example.com/')).toMatch(/credentials/);
  });

  it('is refused at creation naming thankYouUrl', () => {
    const parsed = createFormInput.safeParse({ name: 'Contact', thankYouUrl: 'http://www.example.com/' });
    expect(parsed.success).toBe(false);
    expect(fieldErrors(parsed.error!).map((e) => e.path)).toEqual(['thankYouUrl']);
  });

  it('is on the form and its view, null when not given (and on forms stored before it)', () => {
    const form = newForm(createFormInput.parse({ name: 'Contact', thankYouUrl: 'https://www.example.com/thanks' }), context);
    expect(formView(form).thankYouUrl).toBe('https://www.example.com/thanks');
    const { thankYouUrl: _t, ...old } = newForm(createFormInput.parse({ name: 'Old' }), context);
    expect(formView(old).thankYouUrl).toBeNull();
  });

  it('is where a post goes on; a case form\'s carries the reference', () => {
    expect(thankYouLocation({ thankYouUrl: 'https://www.example.com/thanks?lang=de' }, undefined)).toBe('https://www.example.com/thanks?lang=de');
    expect(thankYouLocation({ thankYouUrl: 'https://www.example.com/thanks?lang=de' }, 'CASE1')).toBe('https://www.example.com/thanks?lang=de&reference=CASE1');
    expect(thankYouLocation({ thankYouUrl: null }, 'CASE1')).toBeUndefined();
  });
});

describe('the built-in thank-you page', () => {
  it('shows a case reference, escaped', () => {
    expect(formThankYouPage('<b>')).toContain('&#60;b&#62;');
    expect(formThankYouPage(undefined)).not.toContain('reference');
  });
});
