import type { FastifyReply, FastifyRequest } from 'fastify';

export const MAX_JSON_DEPTH = 8;

/**
 * The web UI's pages and assets: scripts, styles and data only from kyoyu itself, nothing inline
 * (the Vite build emits none), never framed, no <base> and forms posting only here.
 */
export const UI_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; " +
  "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/**
 * Headers every answer carries. The API serves data, never pages to frame or scripts to run, so its
 * policy allows nothing; the documentation UI sets its own (hash-based, no unsafe-inline) policy.
 * HSTS only where the request came over TLS (directly or, with trustProxy, via the proxy).
 */
export function setSecurityHeaders(request: FastifyRequest, reply: FastifyReply): void {
  reply.header('x-content-type-options', 'nosniff');
  reply.header('x-frame-options', 'DENY');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('cross-origin-opener-policy', 'same-origin');
  reply.header('cross-origin-resource-policy', 'same-origin');
  const csp = reply.getHeader('content-security-policy');
  if (csp === undefined) {
    reply.header(
      'content-security-policy',
      "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
  } else {
    // No page of kyoyu is ever framed (clickjacking), whatever the documentation UI would allow.
    const policy = String(csp)
      .replace(/frame-ancestors [^;]*;?\s*/g, '')
      .trim()
      .replace(/;?$/, ';');
    reply.header('content-security-policy', `${policy} frame-ancestors 'none'`);
  }
  if (request.protocol === 'https')
    reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
}

/** Whether a parsed JSON value nests deeper than `max` (iterative: a hostile body cannot overflow the stack). */
export function depthExceeds(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}
