import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import type { TestContext } from '../../support/databases.js';
import { testServices } from '../../support/databases.js';

/**
 * The errors pg raises while PostgreSQL is down or restarting answer 503 with Retry-After, never
 * 500; checked here without a database to restart (test/resilience/pg-restart.test.ts does that).
 */
const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });
const UNAVAILABLE: Record<string, () => Error> = {
  'connection refused': () => withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'),
  'admin shutdown (57P01)': () => withCode('57P01', 'terminating connection due to administrator command'),
  'cannot connect now (57P03)': () => withCode('57P03', 'the database system is starting up'),
  'connection failure (08006)': () => withCode('08006'),
  'connection terminated': () => new Error('Connection terminated unexpectedly'),
  'client not queryable': () => new Error('Client has encountered a connection error and is not queryable'),
  'every address refused': () =>
    new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], 'connect failed'),
};
const NOT_UNAVAILABLE: Record<string, () => Error> = {
  'a bug': () => new Error('boom'),
  'unique violation (23505)': () => withCode('23505'),
};

describe('database unavailable errors', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let next: () => Error;

  beforeAll(async () => {
    ctx = await testServices('sqlite');
    app = await buildApp(ctx.services);
    app.get('/api/v1/test-throw', { config: { policy: 'public' } }, () => {
      throw next();
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  const call = async (error: () => Error) => {
    next = error;
    const res = await app.inject({ method: 'GET', url: '/api/v1/test-throw' });
    return {
      status: res.statusCode,
      code: res.json<{ error: { code: string } }>().error.code,
      retryAfter: res.headers['retry-after'],
    };
  };

  for (const [name, error] of Object.entries(UNAVAILABLE))
    it(`${name}: 503 database_unavailable, Retry-After`, async () => {
      expect(await call(error)).toEqual({ status: 503, code: 'database_unavailable', retryAfter: '2' });
    });
  for (const [name, error] of Object.entries(NOT_UNAVAILABLE))
    it(`${name}: 500, no Retry-After`, async () => {
      expect(await call(error)).toEqual({ status: 500, code: 'internal_error', retryAfter: undefined });
    });
});
