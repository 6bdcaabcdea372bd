import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { areaRoutes, functionIdOf, routeKey } from '../../../api/route';
import { API_ROUTES } from '../../../api/route-table';

const doc = API_ROUTES[0]!.doc;

describe('the route table', () => {
  it('has one row per method and path, and one function id per row', () => {
    const keys = API_ROUTES.map(routeKey);
    expect(new Set(keys).size).toBe(keys.length);
    const ids = API_ROUTES.map((route) => route.functionId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("points every row at a handler that exists, in its area's folder", () => {
    for (const route of API_ROUTES) {
      expect(route.handler.startsWith(`functions/${route.area}/`), routeKey(route)).toBe(true);
      expect(existsSync(new URL(`../../../${route.handler}`, import.meta.url)), route.handler).toBe(true);
    }
  });

  it('says why each public route is public', () => {
    for (const route of API_ROUTES) {
      if (route.auth === 'none') expect(route.publicBecause.length, routeKey(route)).toBeGreaterThan(40);
    }
  });

  it("keeps each area's rows together, in one stack", () => {
    const areas = API_ROUTES.map((route) => route.area).filter((area, i, all) => all[i - 1] !== area);
    expect(new Set(areas).size).toBe(areas.length);
    for (const area of areas) expect(new Set(API_ROUTES.filter((r) => r.area === area).map((r) => r.stack)).size, area).toBe(1);
  });
});

describe('areaRoutes', () => {
  it("stamps the area and the stack, and derives the function id from the handler's file name unless stated", () => {
    const [derived, stated] = areaRoutes('leads', 'sales', [
      { method: 'GET', path: '/leads/{id}/score', auth: 'jwt', handler: 'functions/leads/get-lead-score-2.ts', access: { table: 'read' }, doc },
      { method: 'POST', path: '/leads/{id}/engagements', auth: 'jwt', handler: 'functions/leads/add-engagement.ts', functionId: 'AddLeadEngagement', access: {}, doc },
    ]);

    expect(derived).toMatchObject({ area: 'leads', stack: 'sales', functionId: 'GetLeadScore2' });
    expect(stated?.functionId).toBe('AddLeadEngagement');
  });

  it('derives ids as the stacks have always named their functions', () => {
    expect(functionIdOf('functions/customers/get-customer-360.ts')).toBe('GetCustomer360');
    expect(functionIdOf('functions/custom-fields/define-custom-field.ts')).toBe('DefineCustomField');
    expect(functionIdOf('functions/api/health.ts')).toBe('Health');
  });
});
