import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorParts } from '../../platform/http/error-handler.js';
import { AppError } from '../../platform/errors.js';
import { STIX_MEDIA_TYPE, TAXII_MEDIA_TYPE } from './taxii.schema.js';

interface MediaRange {
  type: string;
  version: string | undefined;
  q: number;
}

function parseRanges(header: string): MediaRange[] {
  return header.split(',').flatMap((part) => {
    const [essence, ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    if (!essence) return [];
    const param = (name: string) =>
      params
        .find((p) => p.startsWith(`${name}=`))
        ?.slice(name.length + 1)
        .replace(/^"|"$/g, '');
    const q = Number(param('q') ?? '1');
    return [{ type: essence, version: param('version'), q: Number.isNaN(q) ? 0 : q }];
  });
}

/**
 * Accept negotiation (§1.6.8 media types; HTTP content negotiation): the answer is TAXII 2.1, and
 * where `stix` is true (the objects of an envelope, §5.4) STIX 2.1 is acceptable too. A request
 * without Accept takes the default; one that accepts neither (another version, another type) is
 * answered 406.
 */
export function negotiate(request: FastifyRequest, reply: FastifyReply, stix = false): void {
  const header = request.headers.accept;
  const ranges = header === undefined ? [] : parseRanges(header);
  const fits = (r: MediaRange, type: string) =>
    r.q > 0 &&
    (r.type === '*/*' || r.type === 'application/*' || r.type === type) &&
    (r.version === undefined || r.version === '2.1');
  const offers = [TAXII_MEDIA_TYPE, ...(stix ? [STIX_MEDIA_TYPE] : [])];
  const chosen =
    ranges.length === 0
      ? TAXII_MEDIA_TYPE
      : offers.find((offer) => ranges.some((r) => fits(r, offer.split(';')[0]!)));
  if (!chosen) throw new AppError('not_acceptable', `acceptable: ${offers.join(', ')}`);
  reply.header('content-type', chosen);
}

/** A POST's body must be `application/taxii+json;version=2.1` (§5.4); otherwise 415. */
export function requireTaxiiBody(request: FastifyRequest): void {
  const [range] = parseRanges(request.headers['content-type'] ?? '');
  if (!range || range.type !== 'application/taxii+json' || (range.version ?? '2.1') !== '2.1')
    throw new AppError('unsupported_media_type', `send ${TAXII_MEDIA_TYPE}`);
}

/** TAXII's title of a status (§3.6.1's examples use the reason phrase). */
const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * The error message resource (§3.6.1) every error under /taxii2/ is answered with, the gate's 401,
 * 403 and 429 included: `error_id` is the request's id (for the server's log), `error_code`
 * kyoyu's stable code, `description` the message in the request's language.
 */
export function renderTaxiiError(reply: FastifyReply, error: ErrorParts): unknown {
  reply.header('content-type', TAXII_MEDIA_TYPE);
  const details =
    error.details === undefined
      ? {}
      : {
          details:
            typeof error.details === 'object' && !Array.isArray(error.details) && error.details !== null
              ? (error.details as Record<string, unknown>)
              : { items: error.details },
        };
  return {
    title: TITLES[error.status] ?? 'Error',
    description: error.message,
    error_id: error.requestId,
    error_code: error.code,
    http_status: String(error.status),
    ...details,
  };
}
