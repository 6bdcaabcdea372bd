import { describe, expect, it } from 'vitest';
import { matchesEventPattern, parseEventPattern } from '../../../shared/event-pattern';

// Matching semantics. Each table row is [what it shows, event, expected]; the pattern is parsed
// once per describe so that a broken parser fails loudly rather than making rows vacuous.

type Row = [string, unknown, boolean];

function table(patternJson: unknown, rows: Row[]): void {
  const pattern = parseEventPattern(patternJson);
  it.each(rows)('%s', (_label, event, expected) => {
    expect(matchesEventPattern(pattern, event)).toBe(expected);
  });
}

describe('fields: AND across fields, OR within a field, nesting', () => {
  table({ source: ['crm.customers', 'crm.deals'], detail: { stage: ['won'], owner: { team: ['emea'] } } }, [
    ['all fields match', { source: 'crm.deals', detail: { stage: 'won', owner: { team: 'emea' } } }, true],
    ['the second value of a field array matches (OR)', { source: 'crm.customers', detail: { stage: 'won', owner: { team: 'emea' } } }, true],
    ['one field differs (AND)', { source: 'crm.deals', detail: { stage: 'lost', owner: { team: 'emea' } } }, false],
    ['a nested field differs', { source: 'crm.deals', detail: { stage: 'won', owner: { team: 'apac' } } }, false],
    ['fields absent from the pattern are ignored', { source: 'crm.deals', id: 'x', detail: { stage: 'won', extra: 1, owner: { team: 'emea', id: 7 } } }, true],
    ['a pattern field missing from the event', { source: 'crm.deals', detail: { stage: 'won' } }, false],
    ['the nested object is a scalar in the event', { source: 'crm.deals', detail: { stage: 'won', owner: 'emea' } }, false],
    ['the leaf is an object in the event', { source: 'crm.deals', detail: { stage: { name: 'won' }, owner: { team: 'emea' } } }, false],
    ['the event is not an object', 'crm.deals', false],
    ['same names at another depth do not count', { source: 'crm.deals', stage: 'won', team: 'emea', detail: {} }, false],
  ]);
});

describe('arrays in events', () => {
  describe('a leaf holding an array matches when any element matches', () => {
    table({ resources: ['arn:b', 'arn:z'] }, [
      ['one element in common', { resources: ['arn:a', 'arn:b'] }, true],
      ['no element in common', { resources: ['arn:a', 'arn:c'] }, false],
      ['nested arrays are flattened', { resources: [['arn:a'], ['arn:z']] }, true],
      ['an empty array holds no value', { resources: [] }, false],
    ]);
  });

  describe('pattern objects are matched element by element (array consistency)', () => {
    table({ employees: { firstName: ['Anna'], lastName: ['Smith'] } }, [
      ['one element has both fields', { employees: [{ firstName: 'John', lastName: 'Doe' }, { firstName: 'Anna', lastName: 'Smith' }] }, true],
      ['the fields come from different elements', { employees: [{ firstName: 'Anna', lastName: 'Doe' }, { firstName: 'Peter', lastName: 'Smith' }] }, false],
      ['arrays of arrays of objects', { employees: [[{ firstName: 'John' }], [{ firstName: 'Anna', lastName: 'Smith' }]] }, true],
      ['a plain object still matches', { employees: { firstName: 'Anna', lastName: 'Smith' } }, true],
    ]);
  });
});

describe('exact values', () => {
  describe('strings are compared character by character', () => {
    table({ state: ['running'] }, [
      ['identical', { state: 'running' }, true],
      ['different case', { state: 'Running' }, false],
      ['extra whitespace', { state: 'running ' }, false],
    ]);
  });

  describe('numbers are compared by value', () => {
    const event = (json: string): unknown => JSON.parse(json);
    table(JSON.parse('{"amount": [300], "ratio": [5.0]}'), [
      ['300 and 3.0e2', event('{"amount": 3.0e2, "ratio": 5}'), true],
      ['300.0 and 5.0', event('{"amount": 300.0, "ratio": 5.0}'), true],
      ['a different number', event('{"amount": 301, "ratio": 5}'), false],
      ['the number as a string', event('{"amount": "300", "ratio": 5}'), false],
    ]);
  });

  describe('booleans', () => {
    table({ vip: [true] }, [
      ['true', { vip: true }, true],
      ['false', { vip: false }, false],
      ['the string "true"', { vip: 'true' }, false],
    ]);
  });

  describe('null matches a null field, never a missing one', () => {
    table({ detail: { responseElements: [null] } }, [
      ['null', { detail: { responseElements: null } }, true],
      ['missing', { detail: {} }, false],
      ['empty string', { detail: { responseElements: '' } }, false],
      ['the string "null"', { detail: { responseElements: 'null' } }, false],
    ]);
  });

  describe('an empty string matches only an empty string', () => {
    table({ detail: { eventVersion: [''] } }, [
      ['empty string', { detail: { eventVersion: '' } }, true],
      ['null', { detail: { eventVersion: null } }, false],
      ['missing', { detail: {} }, false],
      ['a blank', { detail: { eventVersion: ' ' } }, false],
    ]);
  });
});

describe('prefix', () => {
  describe('case-sensitive', () => {
    table({ time: [{ prefix: '2017-10-02' }] }, [
      ['starts with it', { time: '2017-10-02T18:43:48Z' }, true],
      ['is exactly it', { time: '2017-10-02' }, true],
      ['contains it later', { time: 'x2017-10-02' }, false],
      ['a number is not a string', { time: 20171002 }, false],
      ['any element of an array', { time: ['2018', '2017-10-02T00:00:00Z'] }, true],
    ]);
  });

  describe('with equals-ignore-case', () => {
    table({ service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] }, [
      ['lower case', { service: 'eventbridge' }, true],
      ['upper case', { service: 'EVENTBRIDGE' }, true],
      ['another start', { service: 'theEventBridge' }, false],
    ]);
  });

  describe('an empty prefix', () => {
    table({ name: [{ prefix: '' }] }, [
      ['matches any string', { name: 'x' }, true],
      ['matches the empty string', { name: '' }, true],
      ['does not match a number', { name: 1 }, false],
    ]);
  });
});

describe('suffix', () => {
  describe('case-sensitive', () => {
    table({ FileName: [{ suffix: '.png' }] }, [
      ['ends with it', { FileName: 'logo.png' }, true],
      ['different case', { FileName: 'logo.PNG' }, false],
      ['in the middle', { FileName: 'logo.png.bak' }, false],
      ['null', { FileName: null }, false],
    ]);
  });

  describe('with equals-ignore-case', () => {
    table({ FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] }, [
      ['upper case', { FileName: 'LOGO.PNG' }, true],
      ['mixed case', { FileName: 'logo.Png' }, true],
      ['another ending', { FileName: 'logo.jpg' }, false],
    ]);
  });
});

describe('equals-ignore-case', () => {
  table({ name: [{ 'equals-ignore-case': 'alice' }] }, [
    ['upper case', { name: 'ALICE' }, true],
    ['mixed case', { name: 'aLiCe' }, true],
    ['a longer string', { name: 'alice2' }, false],
    ['a prefix only', { name: 'ali' }, false],
    ['not a string', { name: ['x', 42] }, false],
  ]);
});

describe('wildcard', () => {
  describe('* is any run of characters, including none', () => {
    table({ path: [{ wildcard: 'dir/*.png' }] }, [
      ['some characters', { path: 'dir/logo.png' }, true],
      ['no characters', { path: 'dir/.png' }, true],
      ['slashes are ordinary characters', { path: 'dir/a/b.png' }, true],
      ['wrong start', { path: 'other/logo.png' }, false],
      ['wrong end', { path: 'dir/logo.jpg' }, false],
    ]);
  });

  describe('several wildcards keep their order', () => {
    table({ s: [{ wildcard: 'a*b*c' }] }, [
      ['in order', { s: 'a-b-c' }, true],
      ['adjacent literals', { s: 'abc' }, true],
      ['repeated middle literal', { s: 'abbbc' }, true],
      ['out of order', { s: 'acb' }, false],
      ['start and end overlap', { s: 'ac' }, false],
    ]);
  });

  describe('escapes: \\* is a literal star, \\\\ a literal backslash', () => {
    table({ s: [{ wildcard: 'price\\*\\\\*' }] }, [
      ['literal star and backslash, then anything', { s: 'price*\\ usd' }, true],
      ['literal star and backslash, then nothing', { s: 'price*\\' }, true],
      ['no literal star', { s: 'price\\ usd' }, false],
      ['the escaped star is not a wildcard', { s: 'priceX\\' }, false],
    ]);
  });

  describe('without a star it is an exact match', () => {
    table({ s: [{ wildcard: 'abc' }] }, [
      ['equal', { s: 'abc' }, true],
      ['longer', { s: 'abcd' }, false],
    ]);
  });

  describe('only strings', () => {
    table({ n: [{ wildcard: '*' }] }, [
      ['any string', { n: 'x' }, true],
      ['a number', { n: 5 }, false],
      ['null', { n: null }, false],
    ]);
  });

  it('stays fast on a long value that almost matches (no regex backtracking)', () => {
    const pattern = parseEventPattern({ s: [{ wildcard: '*a*a*a*a*a*a*a*a*c*b' }] });
    const started = performance.now();
    expect(matchesEventPattern(pattern, { s: `${'a'.repeat(50_000)}b` })).toBe(false);
    expect(matchesEventPattern(pattern, { s: `${'a'.repeat(50_000)}cb` })).toBe(true);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('anything-but', () => {
  describe('a single string', () => {
    table({ state: [{ 'anything-but': 'initializing' }] }, [
      ['another string', { state: 'running' }, true],
      ['the excluded string', { state: 'initializing' }, false],
      ['a missing field does not match', {}, false],
      ['another type matches (anything but)', { state: 3 }, true],
      ['null is a value other than the string', { state: null }, true],
      ['an array with another element', { state: ['initializing', 'running'] }, true],
      ['an array of only the excluded value', { state: ['initializing', 'initializing'] }, false],
      ['an empty array has no value', { state: [] }, false],
      ['an object is not a leaf value', { state: { name: 'running' } }, false],
    ]);
  });

  describe('a single number, compared by value', () => {
    table({ limit: [{ 'anything-but': 123 }] }, [
      ['another number', { limit: 124 }, true],
      ['the excluded number', { limit: 123 }, false],
      ['the same value written differently', JSON.parse('{"limit": 1.23e2}'), false],
      ['the number as a string is something else', { limit: '123' }, true],
    ]);
  });

  describe('a list of strings', () => {
    table({ state: [{ 'anything-but': ['stopped', 'overloaded'] }] }, [
      ['not listed', { state: 'running' }, true],
      ['first listed', { state: 'stopped' }, false],
      ['second listed', { state: 'overloaded' }, false],
      ['an array holding a value not listed', { state: ['stopped', 'running'] }, true],
      ['an array of listed values only', { state: ['stopped', 'overloaded'] }, false],
    ]);
  });

  describe('a list of numbers', () => {
    table({ limit: [{ 'anything-but': [100, 200, 300] }] }, [
      ['not listed', { limit: 150 }, true],
      ['listed', { limit: 200 }, false],
      ['listed, written as a float', JSON.parse('{"limit": 300.0}'), false],
    ]);
  });

  describe('a prefix', () => {
    table({ Region: [{ 'anything-but': { prefix: 'us-' } }] }, [
      ['another prefix', { Region: 'eu-west-1' }, true],
      ['the prefix', { Region: 'us-east-1' }, false],
      ['the prefix in another case', { Region: 'US-east-1' }, true],
      ['missing', {}, false],
    ]);
  });

  describe('a list of prefixes', () => {
    table({ Region: [{ 'anything-but': { prefix: ['us-', 'ap-'] } }] }, [
      ['neither prefix', { Region: 'eu-west-1' }, true],
      ['the first prefix', { Region: 'us-east-1' }, false],
      ['the second prefix', { Region: 'ap-south-1' }, false],
      ['a number', { Region: 5 }, true],
      ['missing', {}, false],
    ]);
  });

  describe('a list of suffixes', () => {
    table({ FileName: [{ 'anything-but': { suffix: ['.png', '.jpg'] } }] }, [
      ['neither suffix', { FileName: 'a.gif' }, true],
      ['one of them', { FileName: 'a.jpg' }, false],
      ['one of them, in a list of values', { FileName: ['a.gif', 'b.png'] }, true],
    ]);
  });

  describe('a suffix', () => {
    table({ FileName: [{ 'anything-but': { suffix: '.png' } }] }, [
      ['another suffix', { FileName: 'a.jpg' }, true],
      ['the suffix', { FileName: 'a.png' }, false],
    ]);
  });

  describe('equals-ignore-case with one value', () => {
    table({ state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] }, [
      ['another value', { state: 'running' }, true],
      ['the value in upper case', { state: 'INITIALIZING' }, false],
    ]);
  });

  describe('equals-ignore-case with a list', () => {
    table({ state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'Overloaded'] } }] }, [
      ['not listed', { state: 'running' }, true],
      ['listed, other case', { state: 'STOPPED' }, false],
      ['listed, other case, second', { state: 'overloaded' }, false],
    ]);
  });

  describe('a wildcard', () => {
    table({ FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] }, [
      ['a path without /lib/', { FilePath: 'src/app/main.ts' }, true],
      ['a path with /lib/', { FilePath: 'src/lib/util.ts' }, false],
    ]);
  });

  describe('a list of wildcards', () => {
    table({ FilePath: [{ 'anything-but': { wildcard: ['*.tmp', 'cache/*'] } }] }, [
      ['matches neither', { FilePath: 'a.txt' }, true],
      ['matches the first', { FilePath: 'a.tmp' }, false],
      ['matches the second', { FilePath: 'cache/a.txt' }, false],
    ]);
  });
});

describe('numeric', () => {
  describe('a range', () => {
    table({ detail: { count: [{ numeric: ['>', 0, '<=', 5] }] } }, [
      ['inside', { detail: { count: 3 } }, true],
      ['the inclusive upper bound', { detail: { count: 5 } }, true],
      ['5.0 is 5', JSON.parse('{"detail": {"count": 5.0}}'), true],
      ['the exclusive lower bound', { detail: { count: 0 } }, false],
      ['above', { detail: { count: 5.000001 } }, false],
      ['a numeric string is not a number', { detail: { count: '3' } }, false],
      ['missing', { detail: {} }, false],
      ['any element of an array', { detail: { count: [9, 4] } }, true],
    ]);
  });

  describe('>= and <', () => {
    table({ n: [{ numeric: ['>=', -1.5, '<', 10] }] }, [
      ['the inclusive lower bound', { n: -1.5 }, true],
      ['just below the exclusive upper bound', { n: 9.999999 }, true],
      ['the exclusive upper bound', { n: 10 }, false],
      ['below', { n: -2 }, false],
    ]);
  });

  describe('single comparisons', () => {
    it.each<[string, unknown[], number, boolean]>([
      ['= equal', ['=', 3.018e2], 301.8, true],
      ['= not equal', ['=', 3.018e2], 301.81, false],
      ['< below', ['<', 10], 9, true],
      ['< equal', ['<', 10], 10, false],
      ['<= equal', ['<=', 10], 10, true],
      ['<= above', ['<=', 10], 11, false],
      ['> above', ['>', 10], 11, true],
      ['> equal', ['>', 10], 10, false],
      ['>= equal', ['>=', 10], 10, true],
      ['>= below', ['>=', 10], 9, false],
    ])('%s', (_label, operand, value, expected) => {
      expect(matchesEventPattern({ n: [{ numeric: operand }] }, { n: value })).toBe(expected);
    });
  });

  describe('event numbers outside the documented ±5e9 range are not compared', () => {
    table({ n: [{ numeric: ['>', 0] }] }, [
      ['inside the range', { n: 5e9 }, true],
      ['beyond the range', { n: 5e9 + 1 }, false],
    ]);
  });
});

describe('exists', () => {
  describe('true: the field holds a leaf value', () => {
    table({ detail: { state: [{ exists: true }] } }, [
      ['a string', { detail: { state: 'pending' } }, true],
      ['an empty string', { detail: { state: '' } }, true],
      ['false', { detail: { state: false } }, true],
      ['null is a value', { detail: { state: null } }, true],
      ['missing', { detail: { other: 1 } }, false],
      ['the parent is missing', {}, false],
      ['an object is not a leaf', { detail: { state: { c1: 100 } } }, false],
      ['an empty array holds nothing', { detail: { state: [] } }, false],
    ]);
  });

  describe('false: the field holds no leaf value', () => {
    table({ detail: { 'c-count': [{ exists: false }] } }, [
      ['missing', { detail: { state: 'running' } }, true],
      ['the parent is missing', { source: 'x' }, true],
      ['the parent is a scalar', { detail: 'x' }, true],
      ['an object is not a leaf (documented example)', { detail: { 'c-count': { c1: 100 } } }, true],
      ['present', { detail: { 'c-count': 5 } }, false],
      ['present and null', { detail: { 'c-count': null } }, false],
    ]);
  });

  describe('false inside an array of objects is checked element by element', () => {
    table({ items: { discount: [{ exists: false }] } }, [
      ['one element lacks it', { items: [{ discount: 5 }, { sku: 'a' }] }, true],
      ['every element has it', { items: [{ discount: 5 }, { discount: 0 }] }, false],
      ['an empty array has no fields', { items: [] }, true],
    ]);
  });

  describe('combined with values in the same array (OR)', () => {
    table({ plan: [{ exists: false }, 'free'] }, [
      ['missing', {}, true],
      ['the listed value', { plan: 'free' }, true],
      ['another value', { plan: 'pro' }, false],
    ]);
  });
});

describe('cidr', () => {
  describe('IPv4', () => {
    table({ detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } }, [
      ['first address', { detail: { sourceIPAddress: '10.0.0.0' } }, true],
      ['last address', { detail: { sourceIPAddress: '10.0.0.255' } }, true],
      ['next block', { detail: { sourceIPAddress: '10.0.1.0' } }, false],
      ['an IPv4-mapped IPv6 address is the IPv4 address', { detail: { sourceIPAddress: '::ffff:10.0.0.7' } }, true],
      ['an IPv6 address', { detail: { sourceIPAddress: '2001:db8::1' } }, false],
      ['not an address', { detail: { sourceIPAddress: '10.0.0.x' } }, false],
      ['a number', { detail: { sourceIPAddress: 167772160 } }, false],
    ]);
  });

  describe('IPv6', () => {
    table({ ip: [{ cidr: '2001:db8::/32' }] }, [
      ['inside, compressed', { ip: '2001:db8:1234::5' }, true],
      ['inside, written in full and in upper case', { ip: '2001:0DB8:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF' }, true],
      ['just outside', { ip: '2001:db9::' }, false],
      ['an IPv4 address', { ip: '32.1.13.184' }, false],
    ]);
  });

  describe('IPv6 with an embedded dotted quad', () => {
    table({ ip: [{ cidr: '64:ff9b::/96' }] }, [
      ['inside', { ip: '64:ff9b::192.0.2.33' }, true],
      ['outside', { ip: '64:ff9c::192.0.2.33' }, false],
    ]);
  });

  describe('/0 is every address of its family', () => {
    table({ ip: [{ cidr: '0.0.0.0/0' }] }, [
      ['any IPv4', { ip: '203.0.113.9' }, true],
      ['but no IPv6', { ip: '::1' }, false],
    ]);
  });

  describe('the range starts at the address as written, as in EventBridge', () => {
    table({ ip: [{ cidr: '10.0.0.5/24' }] }, [
      ['the written address', { ip: '10.0.0.5' }, true],
      ['the end of the block', { ip: '10.0.0.255' }, true],
      ['below the written address', { ip: '10.0.0.4' }, false],
    ]);
  });
});

describe('$or', () => {
  describe('at the top level, ANDed with sibling fields', () => {
    table(
      {
        source: ['aws.cloudwatch'],
        $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
      },
      [
        ['first branch', { source: 'aws.cloudwatch', metricName: 'ReadLatency' }, true],
        ['second branch', { source: 'aws.cloudwatch', namespace: 'AWS/ES' }, true],
        ['both branches', { source: 'aws.cloudwatch', metricName: 'CPUUtilization', namespace: 'AWS/EC2' }, true],
        ['no branch', { source: 'aws.cloudwatch', metricName: 'Other' }, false],
        ['a branch but not the sibling', { source: 'aws.ec2', metricName: 'ReadLatency' }, false],
      ],
    );
  });

  describe('a branch with several fields, and a nested $or', () => {
    table(
      {
        source: ['aws.cloudwatch'],
        $or: [
          { metricName: ['CPUUtilization'] },
          { metricType: ['MetricType'], namespace: ['AWS/EC2'], $or: [{ metricId: [1234] }, { spaceId: [1000] }] },
        ],
      },
      [
        ['the simple branch', { source: 'aws.cloudwatch', metricName: 'CPUUtilization' }, true],
        ['the AND branch with its inner first option', { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/EC2', metricId: 1234 }, true],
        ['the AND branch with its inner second option', { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/EC2', spaceId: 1000 }, true],
        ['the AND branch without an inner option', { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/EC2' }, false],
        ['the AND branch missing a field', { source: 'aws.cloudwatch', metricType: 'MetricType', metricId: 1234 }, false],
      ],
    );
  });

  describe('parallel $or groups at different levels must each hold', () => {
    table(
      {
        $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }],
        detail: { $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }] },
      },
      [
        ['both hold', { namespace: 'AWS/EC2', detail: { 'detail-type': 'CloudWatch Alarm State Change' } }, true],
        ['only the top one holds', { namespace: 'AWS/EC2', detail: { source: 'other' } }, false],
        ['only the nested one holds', { namespace: 'other', detail: { source: 'aws.cloudwatch' } }, false],
      ],
    );
  });

  describe('branches with operators', () => {
    table({ detail: { $or: [{ amount: [{ numeric: ['>=', 1000] }] }, { tier: [{ prefix: 'gold' }] }] } }, [
      ['numeric branch', { detail: { amount: 5000 } }, true],
      ['prefix branch', { detail: { amount: 10, tier: 'gold-plus' } }, true],
      ['neither', { detail: { amount: 10, tier: 'silver' } }, false],
    ]);
  });

  describe('inside an array of objects, a branch is checked per element', () => {
    table({ lines: { sku: ['A'], $or: [{ qty: [{ numeric: ['>', 10] }] }, { gift: [true] }] } }, [
      ['same element', { lines: [{ sku: 'B', qty: 50 }, { sku: 'A', gift: true }] }, true],
      ['branch satisfied only by another element', { lines: [{ sku: 'B', qty: 50 }, { sku: 'A', qty: 1 }] }, false],
    ]);
  });
});

describe('parseEventPattern and matchesEventPattern', () => {
  it('accepts a JSON string, as stored in AWS::Events::Rule and FilterCriteria', () => {
    const pattern = parseEventPattern('{"source": ["crm.deals"], "detail": {"amount": [{"numeric": [">", 100]}]}}');
    expect(matchesEventPattern(pattern, { source: 'crm.deals', detail: { amount: 101 } })).toBe(true);
    expect(matchesEventPattern(pattern, { source: 'crm.deals', detail: { amount: 100 } })).toBe(false);
  });

  it('keeps the last of repeated keys in a JSON string, as EventBridge does', () => {
    const pattern = parseEventPattern('{"source": ["aws.s3"], "source": ["aws.sns"]}');
    expect(matchesEventPattern(pattern, { source: 'aws.sns' })).toBe(true);
    expect(matchesEventPattern(pattern, { source: 'aws.s3' })).toBe(false);
  });

  it('exposes the validated pattern as frozen JSON', () => {
    const pattern = parseEventPattern({ source: ['crm'], detail: { tags: [{ prefix: 'vip' }] } });
    expect(pattern.json).toEqual({ source: ['crm'], detail: { tags: [{ prefix: 'vip' }] } });
    expect(Object.isFrozen(pattern.json)).toBe(true);
    expect(Object.isFrozen(pattern.json['detail'])).toBe(true);
  });

  it('serialises to the pattern text itself, which parses back to the same pattern', () => {
    const pattern = parseEventPattern('{"source": ["crm"], "detail": {"n": [{"numeric": [">", 1]}]}}');
    const text = JSON.stringify(pattern);
    expect(JSON.parse(text)).toEqual({ source: ['crm'], detail: { n: [{ numeric: ['>', 1] }] } });
    expect(matchesEventPattern(text, { source: 'crm', detail: { n: 2 } })).toBe(true);
  });

  it('is not affected by later changes to the object it was given', () => {
    const raw = { source: ['crm'] };
    const pattern = parseEventPattern(raw);
    raw.source[0] = 'other';
    expect(matchesEventPattern(pattern, { source: 'crm' })).toBe(true);
    expect(pattern.json).toEqual({ source: ['crm'] });
  });

  it('validates and matches a raw pattern object or string', () => {
    expect(matchesEventPattern({ source: ['crm'] }, { source: 'crm' })).toBe(true);
    expect(matchesEventPattern('{"source": ["crm"]}', { source: 'other' })).toBe(false);
  });

  it('does not trust an object that merely looks like a parsed pattern', () => {
    const lookalike = { json: { source: ['crm'] } };
    // Taken as a raw pattern, `json` is a nested object: the event needs json.source.
    expect(matchesEventPattern(lookalike, { source: 'crm' })).toBe(false);
    expect(matchesEventPattern(lookalike, { json: { source: 'crm' } })).toBe(true);
  });

  it('filters DynamoDB stream records like a Lambda FilterCriteria pattern', () => {
    const filter = parseEventPattern({
      eventName: ['INSERT'],
      dynamodb: { NewImage: { SK: { S: [{ prefix: 'EVT#' }] }, amount: { N: [{ exists: true }] } } },
    });
    const record = (eventName: string, sk: string): unknown => ({
      eventName,
      dynamodb: { Keys: { PK: { S: 'T#t1#C#c1' }, SK: { S: sk } }, NewImage: { SK: { S: sk }, amount: { N: '12' } } },
    });
    expect(matchesEventPattern(filter, record('INSERT', 'EVT#01J'))).toBe(true);
    expect(matchesEventPattern(filter, record('MODIFY', 'EVT#01J'))).toBe(false);
    expect(matchesEventPattern(filter, record('INSERT', 'PROFILE'))).toBe(false);
  });
});
