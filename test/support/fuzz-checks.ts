import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';

/** The checks the fuzz test applies to every answer. */

/**
 * Tables that record requests rather than hold state, so a refused request may add to them: the
 * stored 4xx answers of idempotency keys, the audit trail (which records attempts) and the
 * cross-process counters of sign-in attempts. They may grow on a 4xx, never shrink.
 */
export const RECORDS_OF_REQUESTS = new Set(['idempotency_keys', 'audit_log', 'audit_heads', 'rate_limits']);

/** The one error shape (src/platform/http/error-handler.ts): {error: {code, message, details?}, request_id}. */
export function expectErrorShape(res: LightMyRequestResponse, what: string): void {
  // Under /taxii2, TAXII's error resource; a URL refused before any route is matched (bad
  // encoding) gets the platform's one shape, as everywhere.
  if (
    /^[A-Z]+ \/taxii2(\/|\?|\s|$)/.test(what) &&
    !String(res.headers['content-type']).startsWith('application/json')
  )
    return expectTaxiiError(res, what);
  expect(res.headers['content-type'], what).toMatch(/^application\/json/);
  const body = res.json<Record<string, unknown>>();
  expect(Object.keys(body).sort(), what).toEqual(['error', 'request_id']);
  const error = body.error as Record<string, unknown>;
  expect(typeof error.code === 'string' && /^[a-z_]+$/.test(error.code), what).toBe(true);
  expect(typeof error.message === 'string' && error.message.length > 0, what).toBe(true);
  expect(
    Object.keys(error).filter((k) => !['code', 'message', 'details'].includes(k)),
    what,
  ).toEqual([]);
  expect(body.request_id, what).toBe(res.headers['x-request-id']);
}

/** TAXII 2.1's error resource (its own media type): a title and the HTTP status, as the specification writes them. */
function expectTaxiiError(res: LightMyRequestResponse, what: string): void {
  expect(res.headers['content-type'], what).toBe('application/taxii+json;version=2.1');
  const body = res.json<Record<string, unknown>>();
  expect(typeof body.title === 'string' && body.title.length > 0, what).toBe(true);
  expect(body.http_status, what).toBe(String(res.statusCode));
}

export function expectUnchanged(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  what: string,
): void {
  for (const [table, value] of Object.entries(before)) {
    if (RECORDS_OF_REQUESTS.has(table))
      expect(after[table] as number, `${table}: ${what}`).toBeGreaterThanOrEqual(value as number);
    else expect(after[table], `${table}: ${what}`).toEqual(value);
  }
}
