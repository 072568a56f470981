import type { FastifyReply } from 'fastify';

/**
 * Revisioned records (advisories, situational items, lessons) answer with a strong ETag `"r<revision>"`;
 * a write sends it back in If-Match so that it cannot overwrite a change it has not seen.
 */

/** The revision an If-Match names: none or `*` constrains nothing; an unknown tag never matches. */
export function expectedRevision(ifMatch: string | undefined): number | undefined {
  if (ifMatch === undefined || ifMatch.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"r(\d{1,9})"\s*$/.exec(ifMatch);
  return match ? Number(match[1]) : -1;
}

/** Answers with a revisioned record and its strong ETag: its revision, which every change increments. */
export const sendWithRevision = <T extends { revision: number }>(reply: FastifyReply, record: T) =>
  reply.header('etag', `"r${record.revision}"`).send(record);
