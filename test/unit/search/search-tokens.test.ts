import { describe, expect, it } from 'vitest';
import { keys } from '../../../shared/keys';
import { countryCodeLength, nameWords, phoneTokens, planQuery, tokensOf, wordsField } from '../../../shared/search/search-tokens';

const record = (over: Partial<Parameters<typeof tokensOf>[0]> = {}) => ({ names: [], emails: [], phones: [], domains: [], ...over });

describe('name words', () => {
  it('splits a name into its words, lower case, without accents or punctuation, each once', () => {
    expect(nameWords('Northwind Traders')).toEqual(['northwind', 'traders']);
    expect(nameWords('Café Müller & Söhne GmbH')).toEqual(['cafe', 'muller', 'sohne', 'gmbh']);
    expect(nameWords('New New York')).toEqual(['new', 'york']);
  });

  it('leaves out one-letter words (a search needs two characters) and nothing for no name', () => {
    expect(nameWords('A. B. Smith')).toEqual(['smith']);
    expect(nameWords(null)).toEqual([]);
  });

  it('keeps every word, one letter too, in the words field the multi-word filter reads', () => {
    expect(wordsField(['J. Smith & Co', null])).toBe(' j smith co ');
  });
});

describe('phones', () => {
  it('knows the length of the country code from its first digits', () => {
    expect(countryCodeLength('14155550100')).toBe(1);
    expect(countryCodeLength('74951234567')).toBe(1);
    expect(countryCodeLength('442079460958')).toBe(2);
    expect(countryCodeLength('4930123456')).toBe(2);
    expect(countryCodeLength('353861234567')).toBe(3);
  });

  it('indexes the international digits and the national number without leading zeros', () => {
    expect(phoneTokens('+44 20 7946 0958')).toEqual(['442079460958', '2079460958']);
    expect(phoneTokens('+39 06 1234 5678')).toEqual(['390612345678', '612345678']);
    expect(phoneTokens('+1 (415) 555-0100')).toEqual(['14155550100', '4155550100']);
    expect(phoneTokens('no number')).toEqual([]);
  });

  it.each([
    ['+44 20 7946 0958', '442079460958'],
    ['0044 20 7946 0958', '442079460958'],
    ['+44-20-7946-0958', '442079460958'],
    ['(+44) 20 7946 0958', '442079460958'],
    ['020 7946 0958', '2079460958'],
    ['(020) 7946-0958', '2079460958'],
    ['7946', '7946'],
  ])('reads the query %s as the digits %s, a prefix of a stored number\'s token', (query, prefix) => {
    expect(planQuery(query)).toEqual({ prefix, alsoWords: [] });
    if (prefix.length > 6) expect(phoneTokens('+44 20 7946 0958').some((t) => t.startsWith(prefix))).toBe(true);
  });
});

describe('emails and domains', () => {
  it('indexes a full email and the company domain of an email, not a free-mail provider\'s', () => {
    expect(tokensOf(record({ emails: ['Jane@Acme.com', 'jane.private@gmail.com'] }))).toEqual([
      { token: 'jane@acme.com', matched: 'email' },
      { token: 'acme.com', matched: 'domain' },
      { token: 'jane.private@gmail.com', matched: 'email' },
    ]);
  });

  it('indexes a company domain once, whether given or found in an email', () => {
    expect(tokensOf(record({ emails: ['sales@acme.com'], domains: ['www.acme.com'] })).filter((t) => t.matched === 'domain')).toEqual([{ token: 'acme.com', matched: 'domain' }]);
  });

  it.each([
    ['Jane@Acme.COM', 'jane@acme.com'],
    ['jane@', 'jane@'],
    ['@acme.com', 'acme.com'],
    ['acme.com', 'acme.com'],
    ['https://www.Acme.com/about', 'acme.com'],
    ['acme.co', 'acme.co'],
  ])('reads the query %s as the prefix %s', (query, prefix) => {
    expect(planQuery(query)).toEqual({ prefix, alsoWords: [] });
  });
});

describe('name queries', () => {
  it('reads a word as its normalized prefix: "Café" and "cafe" are one search', () => {
    expect(planQuery('Café')).toEqual({ prefix: 'cafe', alsoWords: [] });
    expect(planQuery('  TRAD ')).toEqual({ prefix: 'trad', alsoWords: [] });
  });

  it('keys several words on the longest and filters on the others as word prefixes', () => {
    expect(planQuery('north trad')).toEqual({ prefix: 'north', alsoWords: [' trad'] });
    expect(planQuery('Northwind T')).toEqual({ prefix: 'northwind', alsoWords: [' t'] });
  });

  it('finds nothing to search in punctuation or a single letter', () => {
    expect(planQuery('&&')).toBeNull();
    expect(planQuery('a')).toBeNull();
    expect(planQuery('a b')).toBeNull();
  });
});

describe('the index partition', () => {
  it('is the tenant and the first two characters, so a prefix of two or more is one partition', () => {
    expect(keys.searchEntry('t1', 'traders', 'name', 'customer', 'C1')).toEqual({ PK: 'T#t1#SRCH#tr', SK: 'traders#name#customer#C1' });
    expect(keys.searchShard('t1', 'trad')).toBe('T#t1#SRCH#tr');
    expect(keys.searchShard('t1', '𠀀𠀁x')).toBe('T#t1#SRCH#𠀀𠀁');
  });
});
