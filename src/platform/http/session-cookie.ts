import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';

export const SESSION_COOKIE = 'kyoyu_session';

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Secure whenever the client reached us over TLS (directly, or through a trusted proxy). */
function secure(config: Config, request: FastifyRequest): boolean {
  return request.protocol === 'https' || config.trustProxy !== false;
}

/**
 * httpOnly: page scripts cannot read it; SameSite=Strict: browsers do not send it on cross-site
 * requests at all, so a forged form arrives without a session (the CSRF token and the Origin check
 * are the second and third line).
 */
export function setSessionCookie(
  reply: FastifyReply,
  config: Config,
  request: FastifyRequest,
  value: string,
  maxAgeSeconds: number,
): void {
  const attrs = [
    `${SESSION_COOKIE}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${maxAgeSeconds}`,
  ];
  if (secure(config, request)) attrs.push('Secure');
  reply.header('set-cookie', attrs.join('; '));
}

export function clearSessionCookie(reply: FastifyReply, config: Config, request: FastifyRequest): void {
  setSessionCookie(reply, config, request, '', 0);
}
