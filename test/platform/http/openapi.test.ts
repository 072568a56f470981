import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testApp } from '../../support/api.js';
import type { TestContext } from '../../support/databases.js';
import { testServices } from '../../support/databases.js';

describe('API documentation', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  beforeAll(async () => {
    ctx = await testServices('sqlite');
    app = await testApp(ctx.services);
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('serves an OpenAPI 3.1 document describing every API route, with the taxonomy codes as enums', async () => {
    const res = await app.inject({ url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{
      openapi: string;
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>
      >;
    }>();
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const routes = app.registeredRoutes
      .filter((r) => r.url.startsWith('/api/v1/') && r.url !== '/api/v1/openapi.json')
      .map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`);
    for (const route of routes) expect(documented).toContain(route);
    const body = JSON.stringify(doc.paths['/api/v1/incidents']?.post?.requestBody);
    expect(body).toContain('leading.malware_infection');
    expect(body).toContain('ISO 8601');
  });

  it('serves browsable docs at /api/docs without a token', async () => {
    const res = await app.inject({ url: '/api/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
  });
});
