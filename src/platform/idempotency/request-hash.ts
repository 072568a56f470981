/**
 * JSON with every object's keys sorted: two bodies that differ only in key order or whitespace are
 * the same request. Hashing the validated values also makes NFC and defaulted fields count as sent.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export interface RequestParts {
  method: string;
  /** The route pattern (`/api/v1/incidents/:id/reports`); the concrete values come in `params`. */
  routeUrl: string;
  params: unknown;
  query: unknown;
  body: unknown;
}

/** What a key is bound to (hashed with the key's secret, see sealing.ts). */
export function canonicalRequest(parts: RequestParts): string {
  return canonicalJson([parts.method, parts.routeUrl, parts.params, parts.query, parts.body]);
}
