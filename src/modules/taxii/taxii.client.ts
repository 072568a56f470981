import { AppError } from '../../platform/errors.js';
import {
  TAXII_MEDIA_TYPE,
  apiRootResource,
  collectionResource,
  discoveryResource,
  envelope,
} from './taxii.schema.js';

/** How to reach one remote collection; works against any TAXII 2.1 server, not only kyoyu. */
export interface PullOptions {
  /** The server's discovery URL (…/taxii2/) or an API root's URL. */
  url: string;
  collection: string;
  user?: string;
  password?: string;
  token?: string;
  /** Objects per page asked for (the server may send fewer). */
  pageSize?: number;
}

export interface PullResult {
  fetched: number;
  new: number;
  /** The latest X-TAXII-Date-Added-Last seen: the next pull asks for what was added after it. */
  cursor: string | null;
}

/** Where the pulled pages go: one transaction per page, with the cursor, so a pull resumes. */
export type StorePage = (objects: unknown[], cursor: string | null) => Promise<number>;

function headersOf(options: PullOptions): Record<string, string> {
  const headers: Record<string, string> = { accept: TAXII_MEDIA_TYPE };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  else if (options.user !== undefined)
    headers.authorization = `Basic ${Buffer.from(`${options.user}:${options.password ?? ''}`).toString('base64')}`;
  return headers;
}

async function getJson(url: string, options: PullOptions): Promise<{ body: unknown; headers: Headers }> {
  const response = await fetch(url, { headers: headersOf(options) });
  const text = await response.text();
  if (!response.ok) {
    let description = text.slice(0, 200);
    try {
      const error = JSON.parse(text) as { title?: string; description?: string };
      description = [error.title, error.description].filter(Boolean).join(': ') || description;
    } catch {
      // not a TAXII error resource: the start of the body says what happened
    }
    throw new AppError('import_failed', `${url}: HTTP ${response.status} ${description}`);
  }
  try {
    return { body: JSON.parse(text) as unknown, headers: response.headers };
  } catch {
    throw new AppError('import_failed', `${url}: the answer is not JSON`);
  }
}

/**
 * §4.1 then §4.2: the URL is a discovery endpoint (its default API root, else its first) or, when
 * it answers as an API root, the root itself. Relative API root URLs resolve against the URL.
 */
export async function findApiRoot(options: PullOptions): Promise<string> {
  const base = options.url.endsWith('/') ? options.url : `${options.url}/`;
  const { body } = await getJson(base, options);
  const discovery = discoveryResource.safeParse(body);
  if (discovery.success) {
    const root = discovery.data.default ?? discovery.data.api_roots[0];
    if (!root) throw new AppError('import_failed', `${base}: the server lists no API root`);
    const url = new URL(root, base).toString();
    return url.endsWith('/') ? url : `${url}/`;
  }
  if (apiRootResource.safeParse(body).success) return base;
  throw new AppError('import_failed', `${base}: neither a TAXII discovery nor an API root resource`);
}

/**
 * Pulls a remote collection's objects from `since` on (§5.4): pages follow `next`; a server that
 * says `more` without a `next` is asked again with `added_after` of the page's
 * X-TAXII-Date-Added-Last. Every version is asked for (`match[version]=all`), so the local copy
 * holds what the remote one does.
 */
export async function pullCollection(
  options: PullOptions,
  since: string | null,
  store: StorePage,
): Promise<PullResult> {
  const root = await findApiRoot(options);
  const collectionUrl = `${root}collections/${encodeURIComponent(options.collection)}/`;
  const collection = collectionResource.safeParse((await getJson(collectionUrl, options)).body);
  if (!collection.success) throw new AppError('import_failed', `${collectionUrl}: not a collection resource`);
  if (!collection.data.can_read)
    throw new AppError('import_failed', `${collectionUrl}: can_read is false for these credentials`);
  let cursor = since;
  // added_after stays as it was while `next` pages on: a page boundary may fall between objects
  // added at the same instant, which a later added_after would skip.
  let after = since;
  let next: string | undefined;
  let fetched = 0;
  let fresh = 0;
  for (let pages = 0; pages < 1_000_000; pages++) {
    const query = new URLSearchParams({ limit: String(options.pageSize ?? 500), 'match[version]': 'all' });
    if (next) query.set('next', next);
    if (after) query.set('added_after', after);
    const { body, headers } = await getJson(`${collectionUrl}objects/?${query.toString()}`, options);
    const page = envelope.safeParse(body);
    if (!page.success) throw new AppError('import_failed', `${collectionUrl}objects/: not an envelope`);
    const objects = page.data.objects ?? [];
    const last = headers.get('x-taxii-date-added-last');
    const advanced = last !== null && (cursor === null || last > cursor) ? last : cursor;
    fetched += objects.length;
    fresh += await store(objects, advanced);
    if (!page.data.more || objects.length === 0) {
      cursor = advanced;
      break;
    }
    if (page.data.next) next = page.data.next;
    else if (advanced === after)
      break; // more, yet no way forward: stop rather than loop
    else [next, after] = [undefined, advanced];
    cursor = advanced;
  }
  return { fetched, new: fresh, cursor };
}

/** The local collection a remote one lands in: `feed:<host>/<collection>`. */
export const feedKeyOf = (url: string, collection: string): string =>
  `feed:${new URL(url).host}/${collection}`;
