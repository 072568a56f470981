import swagger from '@fastify/swagger';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { RegisteredRoute } from '../../../src/app.js';
import { errorResponse } from '../../../src/platform/http/error-response.js';
import { testApp } from '../../support/api.js';
import type { TestContext } from '../../support/databases.js';
import { testServices } from '../../support/databases.js';
import type { OpenApiDocument } from '../../support/response-schemas.js';
import { documentProblems, routeProblems } from '../../support/response-schemas.js';

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

  it('documents a schema for every 2xx a route answers, none of them "any", and one error schema', async () => {
    const doc = (await app.inject({ url: '/api/v1/openapi.json' })).json<OpenApiDocument>();
    expect(documentProblems(doc)).toEqual([]);
    const api = app.registeredRoutes.filter((r) => r.url.startsWith('/api/v1/'));
    expect(api.filter((r) => !r.hidden).length).toBeGreaterThan(40);
    expect(routeProblems(api)).toEqual([]);
    // The statistics in each format they are answered in, each with its own media type.
    const stats = doc.paths['/api/v1/stats/info-sharing']?.get?.responses?.['200']?.content ?? {};
    expect(Object.keys(stats).sort()).toEqual([
      'application/json',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'text/csv',
      'text/html',
    ]);
    expect(stats['text/csv']?.schema).toMatchObject({ type: 'string' });
    expect(stats['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']?.schema).toMatchObject({
      type: 'string',
      format: 'binary',
    });
    // The platform's refusals are on every route; the gate's on every route but the one public read.
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const statuses = Object.keys(operation.responses ?? {});
        const gate = path === '/api/v1/health' ? [] : ['401', '403'];
        expect(statuses, `${method} ${path}`).toEqual(expect.arrayContaining([...gate, '429', '500', '503']));
      }
    }
  });

  it('finds a route without a 2xx schema, an "any" answer and a refusal in another shape', async () => {
    const sample = Fastify();
    sample.setValidatorCompiler(validatorCompiler);
    sample.setSerializerCompiler(serializerCompiler);
    const routes: RegisteredRoute[] = [];
    sample.addHook('onRoute', (route) => {
      if (route.method === 'HEAD') return;
      const response = route.schema?.response as Record<string, unknown> | undefined;
      routes.push({
        method: String(route.method),
        url: route.url,
        policy: 'public',
        response,
        hidden: false,
      });
    });
    await sample.register(swagger, {
      openapi: { openapi: '3.1.0', info: { title: 'sample', version: '1' } },
      transform: jsonSchemaTransform,
    });
    const answer = z.object({ a: z.string() });
    const reply = () => ({ a: 'x' });
    sample.get('/good', { schema: { response: { 200: answer, 204: z.null(), 400: errorResponse } } }, reply);
    sample.get('/bare', reply);
    sample.get('/any', { schema: { response: { 200: answer.or(z.any()) } } }, reply);
    sample.get('/unknown', { schema: { response: { 200: z.unknown() } } }, reply);
    sample.get('/refusals-only', { schema: { response: { 400: errorResponse } } }, reply);
    sample.get(
      '/own-error',
      { schema: { response: { 200: answer, 404: z.object({ message: z.string() }) } } },
      reply,
    );
    await sample.ready();
    const doc = sample.swagger() as unknown as OpenApiDocument;
    expect(documentProblems(doc).sort()).toEqual([
      'GET /bare: 200 has no schema',
      'GET /own-error: 404 is not the error schema',
      'GET /refusals-only: no 2xx answer documented',
      'GET /unknown: 200 application/json accepts anything',
    ]);
    // The document drops an "any" branch of a union; the zod schema itself still shows it.
    expect(routeProblems(routes).sort()).toEqual([
      'GET /any: 200 accepts anything',
      'GET /bare: no 2xx response schema',
      'GET /refusals-only: no 2xx response schema',
      'GET /unknown: 200 accepts anything',
    ]);
    await sample.close();
  });

  it('serves browsable docs at /api/docs without a token', async () => {
    const res = await app.inject({ url: '/api/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
  });
});
