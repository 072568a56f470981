import i18n from '../i18n';

/** An API answer other than 2xx: its stable `error.code` picks the message the UI shows. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

const BASE = '/api/v1';

/**
 * The session's CSRF token lives in memory only (never in storage a script of another page could
 * read); after a reload it comes back from GET /auth/session.
 */
let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Told when the server no longer knows the session (expired, signed out elsewhere). */
let onSessionLost: () => void = () => undefined;
export function whenSessionLost(listener: () => void): void {
  onSessionLost = listener;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  /** Extra request headers (Idempotency-Key, If-Match). */
  headers?: Record<string, string>;
}

/** One way to the API: the session cookie, the CSRF header on writes, the UI's language. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = {
    ...options.headers,
    accept: 'application/json',
    'accept-language': i18n.language,
  };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(BASE + path, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', String(error));
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let payload: unknown = undefined;
  try {
    payload = text ? JSON.parse(text) : undefined;
  } catch {
    // A proxy's HTML error page, say: reported below by status.
  }
  if (!response.ok) {
    const error = (payload as { error?: { code?: string; message?: string; details?: unknown } } | undefined)
      ?.error;
    const code = error?.code ?? (response.status >= 500 ? 'internal_error' : 'unknown_error');
    if (response.status === 401 && code === 'unauthenticated' && !path.startsWith('/auth/')) onSessionLost();
    throw new ApiError(response.status, code, error?.message ?? response.statusText, error?.details);
  }
  return payload as T;
}

/** A query string of the set values only. */
export function queryString(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
