import { AppError } from '../../platform/errors.js';
import type { ObjectsQuery } from './taxii.schema.js';
import { decodeNext, normalTimestamp } from './taxii.ids.js';
import type { ObjectFilter, VersionMatch } from './taxii.repository.js';

const DEFAULT_LIMIT = 100;
/** The most a page holds whatever `limit` asks (§3.4: a server may return fewer). */
const MAX_LIMIT = 1000;
/** The most versions one DELETE marks (every version of one object, in practice). */
const DELETE_LIMIT = 100_000;

/** A comma-separated filter value (§3.5: `match[type]=indicator,report`) as its items. */
const list = (value: string | undefined): string[] | undefined =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);

function versionMatch(value: string | undefined): VersionMatch {
  const match: VersionMatch = { last: false, first: false, all: false, exact: [] };
  for (const v of list(value) ?? ['last']) {
    if (v === 'last' || v === 'first' || v === 'all') match[v] = true;
    else {
      const stamp = normalTimestamp(v);
      if (!stamp)
        throw new AppError('validation_failed', 'match[version] is last, first, all or a timestamp');
      match.exact.push(stamp);
    }
  }
  return match;
}

/** The filter of a page (§3.4, §3.5): the URL's parameters, checked; one object's with `stixId`. */
export function filterOf(collectionId: string, query: ObjectsQuery, stixId?: string): ObjectFilter {
  const after = query.next === undefined ? undefined : decodeNext(query.next);
  if (after === null) throw new AppError('validation_failed', 'next is not a token this server gave');
  return {
    collectionId,
    addedAfter: query.added_after === undefined ? undefined : normalTimestamp(query.added_after)!,
    ids: stixId ? [stixId] : list(query['match[id]']),
    types: list(query['match[type]']),
    versions: versionMatch(query['match[version]']),
    specVersions: list(query['match[spec_version]']),
    after,
    limit: Math.min(query.limit ?? DEFAULT_LIMIT, MAX_LIMIT),
  };
}

/** What a DELETE marks (§5.7): every version of the object unless `match[version]` says. */
export function deleteFilterOf(collectionId: string, stixId: string, query: ObjectsQuery): ObjectFilter {
  return {
    collectionId,
    ids: [stixId],
    versions: versionMatch(query['match[version]'] ?? 'all'),
    specVersions: list(query['match[spec_version]']),
    limit: DELETE_LIMIT,
  };
}
