import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { TestUser } from '../../support/api.js';

export const TAXII = 'application/taxii+json;version=2.1';
export const ROOT = '/taxii2/api';

/** A STIX 2.1 indicator with a fresh id (or the given one), at a version. */
export function indicator(modified: string, id = `indicator--${randomUUID()}`) {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id,
    created: '2024-01-01T00:00:00.000Z',
    modified,
    name: `indicator ${id.slice(-6)}`,
    pattern: "[ipv4-addr:value = '198.51.100.7']",
    pattern_type: 'stix',
    valid_from: '2024-01-01T00:00:00Z',
  };
}

type Auth = TestUser | { basic: string } | null;

function authHeader(auth: Auth): Record<string, string> {
  if (auth === null) return {};
  if ('basic' in auth) return { authorization: `Basic ${Buffer.from(auth.basic).toString('base64')}` };
  return { authorization: `Bearer ${auth.token}` };
}

/** A TAXII client over app.inject: Accept is TAXII 2.1 unless the headers say otherwise. */
export function taxii(app: FastifyInstance, auth: Auth) {
  const headers = (extra: Record<string, string> = {}) => ({ accept: TAXII, ...authHeader(auth), ...extra });
  return {
    get: (url: string, extra?: Record<string, string>): Promise<LightMyRequestResponse> =>
      app.inject({ method: 'GET', url, headers: headers(extra) }),
    post: (url: string, body: unknown, extra?: Record<string, string>): Promise<LightMyRequestResponse> =>
      app.inject({
        method: 'POST',
        url,
        payload: typeof body === 'string' ? body : JSON.stringify(body),
        headers: headers({ 'content-type': TAXII, ...extra }),
      }),
    delete: (url: string): Promise<LightMyRequestResponse> =>
      app.inject({ method: 'DELETE', url, headers: headers() }),
  };
}
