import { describe, expect, it } from 'vitest';
import { normalizeDomain, normalizeEmail, normalizeName, normalizePhone, normalizeWebsite, uniqueValueChanges, uniqueValues } from '../../../shared/customers/contact-points';

describe('normalizeEmail', () => {
  it('trims and lower-cases', () => {
    expect(normalizeEmail('  Ada@Example.COM ')).toBe('ada@example.com');
  });
});

describe('normalizePhone', () => {
  it.each([
    ['+49 30 1234567', '+49301234567'],
    ['+1 (415) 555-0100', '+14155550100'],
    ['0044 20 7946 0018', '+442079460018'],
    ['+33.1.23.45.67.89', '+33123456789'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  it.each(['030 1234567', '+0 123 4567', '+49 30', 'call me', '+1234567890123456'])('rejects %s', (input) => {
    expect(normalizePhone(input)).toBeUndefined();
  });
});

describe('normalizeDomain', () => {
  it.each([
    ['https://www.Example.com/about?x=1', 'example.com'],
    ['example.co.uk', 'example.co.uk'],
    ['http://shop.example.com:8080', 'shop.example.com'],
    ['WWW.EXAMPLE.ORG', 'example.org'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeDomain(input)).toBe(expected);
  });

  it.each(['localhost', 'not a domain', 'http://', '127.0.0.1'])('rejects %s', (input) => {
    expect(normalizeDomain(input)).toBeUndefined();
  });
});

describe('unique values', () => {
  const customer = { emails: ['a@x.io', 'b@x.io'], phones: ['+4930123456'], domain: 'x.io' };

  it('lists every email, phone and the domain', () => {
    expect(uniqueValues(customer)).toEqual([
      { field: 'email', value: 'a@x.io' },
      { field: 'email', value: 'b@x.io' },
      { field: 'phone', value: '+4930123456' },
      { field: 'domain', value: 'x.io' },
    ]);
  });

  it('claims what an update adds and releases what it drops, nothing else', () => {
    const after = uniqueValues({ emails: ['b@x.io', 'c@x.io'], phones: ['+4930123456'], domain: null });
    expect(uniqueValueChanges(uniqueValues(customer), after)).toEqual({
      claim: [{ field: 'email', value: 'c@x.io' }],
      release: [
        { field: 'email', value: 'a@x.io' },
        { field: 'domain', value: 'x.io' },
      ],
    });
  });
});

describe('normalizeName', () => {
  it.each([
    ['Müller & Söhne GmbH', 'muller sohne gmbh'],
    ['  ACME,   Inc. ', 'acme inc'],
    ['Ångström-Labs', 'angstrom labs'],
    ['株式会社 Example', '株式会社 example'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeName(input)).toBe(expected);
  });
});

describe('normalizeWebsite', () => {
  it.each([
    ['acme.example', 'https://acme.example/'],
    ['http://www.acme.example/about', 'http://www.acme.example/about'],
    [' https://Acme.Example ', 'https://acme.example/'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeWebsite(input)).toBe(expected);
  });

  it.each(['', 'ftp://acme.example', 'https://localhost', 'not a site'])('rejects %j', (input) => {
    expect(normalizeWebsite(input)).toBeUndefined();
  });
});
