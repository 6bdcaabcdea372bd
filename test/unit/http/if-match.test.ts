import { describe, expect, it } from 'vitest';
import { ValidationFailed } from '../../../shared/errors';
import { PreconditionRequired } from '../../../shared/http/http-errors';
import { optionalVersionFromIfMatch, versionFromIfMatch } from '../../../shared/http/if-match';

describe('versionFromIfMatch', () => {
  it('reads the version from a strong or weak ETag', () => {
    expect(versionFromIfMatch('"3"')).toBe(3);
    expect(versionFromIfMatch('W/"12"')).toBe(12);
    expect(versionFromIfMatch(' "0" ')).toBe(0);
  });

  it('answers 428 without the header, naming the record when told which', () => {
    expect(() => versionFromIfMatch(undefined)).toThrow(new PreconditionRequired('Send If-Match with the ETag of the version you edited'));
    expect(() => versionFromIfMatch(undefined, 'deal')).toThrow(new PreconditionRequired('Send If-Match with the ETag of the deal version you edited'));
  });

  it.each(['3', 'v1', '"abc"', '"3", "4"', '*', ''])('answers 400 naming headers.if-match for %j', (value) => {
    const error = (() => {
      try {
        versionFromIfMatch(value);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).errors).toEqual([{ path: 'headers.if-match', message: 'Expected an ETag such as "3"' }]);
  });
});

describe('optionalVersionFromIfMatch', () => {
  it('is no version without the header, the version with one', () => {
    expect(optionalVersionFromIfMatch(undefined)).toBeUndefined();
    expect(optionalVersionFromIfMatch('W/"5"')).toBe(5);
  });

  it('still refuses a malformed header', () => {
    expect(() => optionalVersionFromIfMatch('5')).toThrow(ValidationFailed);
  });
});
