import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import type { Role } from '../../src/access/index.js';
import type { Services } from '../../src/services.js';

export interface TestUser {
  email: string;
  organization: string;
  role: Role;
  token: string;
}

let counter = 0;

export async function makeUser(
  services: Services,
  role: Role,
  organization: string,
  sectors?: string[],
): Promise<TestUser> {
  const email = `${role}-${++counter}-${Math.random().toString(36).slice(2, 7)}@test.example`;
  await services.accounts.createUser({ email, organization, role, sectors });
  return { email, organization, role, token: await services.accounts.createToken(email) };
}

export async function testApp(services: Services): Promise<FastifyInstance> {
  const app = await buildApp(services);
  await app.ready();
  return app;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

/** A small client over app.inject that speaks as one user. */
export function as(app: FastifyInstance, user: TestUser | null) {
  const call = (
    method: Method,
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> =>
    app.inject({
      method,
      url,
      headers: { ...(user ? { authorization: `Bearer ${user.token}` } : {}), ...headers },
      ...(body === undefined
        ? {}
        : typeof body === 'string'
          ? {
              payload: body,
              headers: {
                'content-type': 'application/json',
                ...(user ? { authorization: `Bearer ${user.token}` } : {}),
                ...headers,
              },
            }
          : { payload: body as object }),
    });
  return {
    get: (url: string, headers?: Record<string, string>) => call('GET', url, undefined, headers),
    post: (url: string, body: unknown, headers?: Record<string, string>) => call('POST', url, body, headers),
    put: (url: string, body: unknown, headers?: Record<string, string>) => call('PUT', url, body, headers),
    delete: (url: string) => call('DELETE', url),
  };
}

export async function countRows(
  services: Services,
  table: 'incidents' | 'stage_reports' | 'incident_causes' | 'stat_rollup',
): Promise<number> {
  const row = await services.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
