import { describe, expect, it } from 'vitest';
import { startBanner } from '../../../local/banner';

const info = {
  apiUrl: 'http://127.0.0.1:3000',
  mailUrl: 'http://127.0.0.1:4000',
  dynamoDbEndpoint: 'http://127.0.0.1:5000',
  tableName: 'crm-local',
  readySeconds: 7.26,
  tokens: [{ groups: ['rep'], sub: 'rep-ana', token: 'eyJ.rep' }],
};

describe('startBanner', () => {
  it('names the API, its docs, the mail viewer, the data and a token per demo user', () => {
    const banner = startBanner({ ...info, dataDir: '/home/me/crm/.crm', schedules: [{ name: 'reclaim', expression: 'rate(15 minutes)' }] });
    expect(banner).toContain('ready in 7.3 s');
    expect(banner).toContain('http://127.0.0.1:3000/docs');
    expect(banner).toContain('http://127.0.0.1:3000/openapi.json');
    expect(banner).toContain('http://127.0.0.1:4000/');
    expect(banner).toContain('/home/me/crm/.crm');
    expect(banner).toContain('reclaim rate(15 minutes)');
    expect(banner).toMatch(/rep\s+rep-ana\s+eyJ\.rep/);
  });

  it('says when data is throwaway and schedules are off', () => {
    const banner = startBanner(info);
    expect(banner).toContain('in memory (--memory)');
    expect(banner).toContain('off (--no-schedules)');
    expect(banner).not.toContain('Seeded');
  });
});
