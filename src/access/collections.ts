import type { Actor } from './actor.js';
import { hasScope } from './actor.js';
import { seesEverything } from './grants.js';

/**
 * Who reads and writes a TAXII collection, from the same notions as the visibility rule: the
 * center reads everything; an audience's collection is read by that audience. A collection is
 * named by its key: `public`, `sector:<code>`, `org:<id>`, `center-inbox` or `feed:<name>`.
 */
export type CollectionAudience =
  | { kind: 'public' }
  | { kind: 'sector'; sector: string }
  | { kind: 'org'; organizationId: number }
  | { kind: 'center-inbox' }
  | { kind: 'feed'; name: string };

export function audienceOf(key: string): CollectionAudience | null {
  if (key === 'public') return { kind: 'public' };
  if (key === 'center-inbox') return { kind: 'center-inbox' };
  const [kind, rest] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
  if (key.indexOf(':') < 1 || rest === '') return null;
  if (kind === 'sector') return { kind: 'sector', sector: rest };
  if (kind === 'org' && /^[1-9][0-9]*$/.test(rest)) return { kind: 'org', organizationId: Number(rest) };
  if (kind === 'feed') return { kind: 'feed', name: rest };
  return null;
}

/** Whether the caller may read the collection's objects (and see that it exists, see below). */
export function canReadCollection(actor: Actor, key: string): boolean {
  const audience = audienceOf(key);
  if (!audience || !hasScope(actor, 'read')) return false;
  if (seesEverything(actor)) return true;
  switch (audience.kind) {
    case 'public':
      return true;
    case 'sector':
      return actor.role === 'sector_desk'
        ? actor.sectors.includes(audience.sector)
        : actor.role === 'operator' && (actor.organizationSectors ?? []).includes(audience.sector);
    case 'org':
      return actor.organizationId === audience.organizationId;
    case 'center-inbox':
    case 'feed':
      return false;
  }
}

/**
 * Whether the caller may add objects: every caller with the write scope to the center's inbox;
 * the center (publishing) to the audiences' collections; no one to a feed (the server fills it
 * from the remote side).
 */
export function canWriteCollection(actor: Actor, key: string): boolean {
  const audience = audienceOf(key);
  if (!audience || !hasScope(actor, 'write')) return false;
  if (audience.kind === 'center-inbox') return true;
  if (audience.kind === 'feed') return false;
  return seesEverything(actor);
}

/**
 * Whether the collection is listed for the caller at all: read, or written without reading (the
 * center's inbox, listed with can_read false). Any other collection answers as missing.
 */
export const collectionVisible = (actor: Actor, key: string): boolean =>
  canReadCollection(actor, key) || canWriteCollection(actor, key);
