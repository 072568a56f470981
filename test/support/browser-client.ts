import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/** A browser: keeps the session cookie and sends the CSRF token on writes, like the UI will. */
export function browserClient(app: FastifyInstance, defaultPassword: string) {
  let cookie: string | undefined;
  let csrf: string | undefined;
  const remember = (res: LightMyRequestResponse) => {
    const set = res.headers['set-cookie'];
    const line = Array.isArray(set) ? set[0] : set;
    if (line) cookie = /^kyoyu_session=([^;]*)/.exec(line)?.[1] || undefined;
    const body = String(res.headers['content-type'] ?? '').includes('json')
      ? res.json<{ csrf_token?: string }>()
      : {};
    if (body.csrf_token) csrf = body.csrf_token;
    return res;
  };
  const headers = (extra: Record<string, string> = {}, withCsrf = true) => ({
    ...(cookie ? { cookie: `kyoyu_session=${cookie}` } : {}),
    ...(withCsrf && csrf ? { 'x-csrf-token': csrf } : {}),
    ...extra,
  });
  return {
    get cookie() {
      return cookie;
    },
    login: async (email: string, password = defaultPassword) =>
      remember(await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } })),
    get: async (url: string) => remember(await app.inject({ method: 'GET', url, headers: headers() })),
    post: async (url: string, payload: object = {}, extra: Record<string, string> = {}, withCsrf = true) =>
      remember(await app.inject({ method: 'POST', url, payload, headers: headers(extra, withCsrf) })),
    delete: async (url: string) => remember(await app.inject({ method: 'DELETE', url, headers: headers() })),
    put: async (url: string, payload: object) =>
      remember(await app.inject({ method: 'PUT', url, payload, headers: headers() })),
    get csrf() {
      return csrf;
    },
  };
}
