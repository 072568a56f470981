import { readFile } from 'node:fs/promises';
import { XMLParser } from 'fast-xml-parser';
import { AppError } from '../../platform/errors.js';

/**
 * RSS 2.0, RSS 1.0 (RDF, as JPCERT/CC and IPA publish) and Atom feeds, read into the few fields a
 * situational candidate needs. Summaries are plain text: markup is dropped, never rendered.
 */

export interface FeedEntry {
  title: string;
  url: string;
  /** ISO 8601 instant, or null when the entry carries no date kyoyu can read. */
  published: string | null;
  summary: string;
}

export interface ParsedFeed {
  /** The feed's own title: the publisher its entries are cited under. */
  title: string;
  entries: FeedEntry[];
}

const MAX_BYTES = 5 * 1024 * 1024;
const TIMEOUT_MS = 10_000;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  textNodeName: '#text',
  // Entities beyond XML's own are not expanded: no entity-expansion bombs from a hostile feed.
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => ['item', 'entry', 'link'].includes(name),
});

type Node = Record<string, unknown> | string | number | undefined;

/** The text of a node: a string, or an element's #text. */
function textOf(node: Node | Node[]): string {
  if (Array.isArray(node)) return textOf(node[0]);
  if (node === undefined || node === null) return '';
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  const inner = node['#text'];
  return typeof inner === 'string' || typeof inner === 'number' ? String(inner) : '';
}

/** Markup and entities out, whitespace folded: a summary as the reader sees it. */
export function plainText(html: string, max = 2000): string {
  const text = html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function instant(text: string): string | null {
  if (!text.trim()) return null;
  const ms = Date.parse(text.trim());
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function atomLink(links: unknown): string {
  if (!Array.isArray(links)) return '';
  const all = links as Array<Record<string, unknown>>;
  const href = (l: Record<string, unknown> | undefined) =>
    typeof l?.['@_href'] === 'string' ? l['@_href'] : '';
  return href(all.find((l) => (l['@_rel'] ?? 'alternate') === 'alternate')) || href(all[0]);
}

export function parseFeed(xml: string): ParsedFeed {
  let doc: Record<string, Record<string, unknown>>;
  try {
    doc = parser.parse(xml) as Record<string, Record<string, unknown>>;
  } catch (error) {
    throw new AppError('feed_unreadable', `not well-formed XML: ${(error as Error).message}`);
  }
  if (doc.feed) {
    const feed = doc.feed;
    const entries = ((feed.entry as Array<Record<string, Node>>) ?? []).map((e) => ({
      title: plainText(textOf(e.title), 300),
      url: atomLink(e.link),
      published: instant(textOf(e.published) || textOf(e.updated)),
      summary: plainText(textOf(e.summary) || textOf(e.content)),
    }));
    return { title: plainText(textOf(feed.title as Node), 200), entries };
  }
  const rss = doc.rss?.channel as Record<string, unknown> | undefined;
  const rdf = doc.RDF;
  const channel = rss ?? (rdf?.channel as Record<string, unknown> | undefined);
  if (!channel) throw new AppError('feed_unreadable', 'neither an RSS nor an Atom feed');
  const items = ((rss ? rss.item : rdf?.item) as Array<Record<string, Node>> | undefined) ?? [];
  const entries = items.map((i) => ({
    title: plainText(textOf(i.title), 300),
    url: textOf(i.link).trim() || (typeof i['@_about'] === 'string' ? i['@_about'] : ''),
    published: instant(textOf(i.pubDate) || textOf(i.date) || textOf(i.published)),
    summary: plainText(textOf(i.description) || textOf(i.encoded)),
  }));
  return { title: plainText(textOf(channel.title as Node), 200), entries };
}

/**
 * A feed's text from an http(s) URL or, for the command line only, a local file. Bounded in time
 * and size: a feed is someone else's server.
 */
export async function readFeed(location: string, opts: { allowFiles: boolean }): Promise<string> {
  if (/^https?:\/\//i.test(location)) {
    let response: Response;
    try {
      response = await fetch(location, {
        signal: AbortSignal.timeout(TIMEOUT_MS),
        headers: { accept: 'application/rss+xml, application/atom+xml, application/xml, text/xml' },
        redirect: 'follow',
      });
    } catch (error) {
      throw new AppError('feed_unreadable', `could not fetch the feed: ${(error as Error).message}`);
    }
    if (!response.ok) throw new AppError('feed_unreadable', `the feed answered ${response.status}`);
    const body = Buffer.from(await response.arrayBuffer());
    if (body.length > MAX_BYTES) throw new AppError('feed_unreadable', 'the feed is larger than 5 MB');
    return body.toString('utf8');
  }
  if (!opts.allowFiles) throw new AppError('feed_unreadable', 'a feed is an http or https URL');
  try {
    const body = await readFile(location);
    if (body.length > MAX_BYTES) throw new AppError('feed_unreadable', 'the feed is larger than 5 MB');
    return body.toString('utf8');
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('feed_unreadable', `could not read ${location}: ${(error as Error).message}`);
  }
}
