import type { Kysely } from 'kysely';
import type { Actor } from '../../access/index.js';
import type { DB } from '../../platform/db/schema.js';
import { isAllowed } from '../../access/index.js';
import type { FiscalCalendar } from '../../domain/fiscal-calendar.js';
import { monthKey } from '../../domain/fiscal-calendar.js';
import type { SituationSection } from '../../domain/situation.js';
import { normalUrl } from '../../domain/situation.js';
import type { Database } from '../../platform/db/database.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { AppError, forbidden, notFound } from '../../platform/errors.js';
import type { AuditService } from '../audit/index.js';
import { whoOf } from '../audit/index.js';
import type { CenterName } from '../../domain/taxonomy.js';
import { parseFeed, readFeed } from './feed.js';
import type { ItemRow } from './situation.repository.js';
import { findItem, insertItem, knownUrls, listItems, updateItem } from './situation.repository.js';
import type {
  FeedBody,
  FeedView,
  PullResult,
  SituationItemBody,
  SituationItemView,
  SituationListQuery,
} from './situation.schema.js';

/**
 * Part 1's situational items: written by the center's analysts, or proposed as candidates from
 * RSS/Atom feeds and from the center's own TLP:CLEAR advisories (one item per URL: a feed pulled
 * twice proposes nothing twice); an analyst edits a candidate and accepts or dismisses it.
 */
export class SituationService {
  constructor(
    private readonly database: Database,
    private readonly calendar: FiscalCalendar,
    private readonly audit: AuditService,
    private readonly site: { centerName: CenterName; publicUrl: string },
  ) {}

  private refuse(actor: Actor, write: boolean): void {
    if (!isAllowed(actor, write ? 'situation:write' : 'situation:read'))
      throw forbidden('situational items are the center’s');
  }

  list(actor: Actor, query: SituationListQuery): Promise<SituationItemView[]> {
    this.refuse(actor, false);
    return listItems(this.database.db, query);
  }

  async get(actor: Actor, id: number): Promise<SituationItemView> {
    this.refuse(actor, false);
    const item = await findItem(this.database.db, id);
    if (!item) throw notFound('situational item');
    return item;
  }

  /** The local date's fiscal quarter: the document an item goes in. */
  private periodOfDate(date: string) {
    const [y, m] = date.split('-').map(Number) as [number, number];
    return this.calendar.periodOfMonthKey(monthKey(y, m));
  }

  private rowOf(body: SituationItemBody, now: string, actor: Actor) {
    const { fiscalYear, quarter } = this.periodOfDate(body.event_date);
    return {
      section: body.section,
      event_date: body.event_date,
      fiscal_year: fiscalYear,
      quarter,
      title_ja: body.title.ja,
      title_en: body.title.en,
      summary_ja: body.summary.ja,
      summary_en: body.summary.en,
      tags: JSON.stringify(body.tags),
      tlp: body.tlp,
      state: body.state,
      updated_at: now,
      updated_by: userOf(actor),
    };
  }

  async create(actor: Actor, body: SituationItemBody): Promise<SituationItemView> {
    this.refuse(actor, true);
    const now = new Date().toISOString();
    const sources = body.sources.map((s) => ({ ...s, url: normalUrl(s.url) }));
    const id = await inTransaction(this.database, async (trx) => {
      const id = await this.insertNew(trx, actor, now, { ...body, sources }, 'manual', null);
      await this.audit.append(trx, whoOf(actor), {
        action: 'situation.create',
        objectType: 'situation_item',
        objectId: id,
        details: { section: body.section, state: body.state, sources: sources.map((s) => s.url) },
      });
      return id;
    });
    return (await findItem(this.database.db, id))!;
  }

  /** Replaces the item's content and state; If-Match (its revision) guards against a lost update. */
  async update(
    actor: Actor,
    id: number,
    body: SituationItemBody,
    expectedRevision: number | undefined,
  ): Promise<SituationItemView> {
    this.refuse(actor, true);
    const now = new Date().toISOString();
    const sources = body.sources.map((s) => ({ ...s, url: normalUrl(s.url) }));
    await inTransaction(this.database, async (trx) => {
      const current = await trx
        .selectFrom('situation_items')
        .select(['revision', 'state'])
        .where('id', '=', id)
        .executeTakeFirst();
      if (!current) throw notFound('situational item');
      if (expectedRevision !== undefined && expectedRevision !== current.revision)
        throw new AppError('precondition_failed', `the item is at revision ${current.revision}`);
      await updateItem(trx, id, { ...this.rowOf(body, now, actor), revision: current.revision + 1 }, sources);
      await this.audit.append(trx, whoOf(actor), {
        action: 'situation.update',
        objectType: 'situation_item',
        objectId: id,
        details: { from: current.state, state: body.state, revision: current.revision + 1 },
      });
    });
    return (await findItem(this.database.db, id))!;
  }

  listFeeds(actor: Actor): Promise<FeedView[]> {
    this.refuse(actor, false);
    return this.database.db
      .selectFrom('situation_feeds')
      .select(['id', 'name', 'location', 'section', 'last_pulled_at', 'last_result'])
      .orderBy('id')
      .execute() as Promise<FeedView[]>;
  }

  async addFeed(actor: Actor, body: FeedBody): Promise<FeedView> {
    this.refuse(actor, true);
    const location = normalUrl(body.url);
    const id = await inTransaction(this.database, async (trx) => {
      const known = await trx
        .selectFrom('situation_feeds')
        .select('id')
        .where('location', '=', location)
        .executeTakeFirst();
      if (known) throw new AppError('conflict', `the feed is registered already (id ${known.id})`);
      const { id } = await trx
        .insertInto('situation_feeds')
        .values({ name: body.name, location, section: body.section, created_at: new Date().toISOString() })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.audit.append(trx, whoOf(actor), {
        action: 'situation.feed.add',
        objectType: 'situation_feed',
        objectId: id,
        details: { location },
      });
      return id;
    });
    return (await this.listFeeds(actor)).find((f) => f.id === id)!;
  }

  /** Pulls a registered feed now. */
  async pullFeed(actor: Actor, id: number): Promise<PullResult> {
    this.refuse(actor, true);
    const feed = await this.database.db
      .selectFrom('situation_feeds')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!feed) throw notFound('feed');
    // A failed pull changes nothing (the caller has the error); a good one notes when it ran.
    const result = await this.pull(actor, feed.location, feed.section as SituationSection, {
      allowFiles: false,
    });
    await this.markPulled(id, `ok: ${result.added} new`);
    return result;
  }

  private async markPulled(id: number, result: string): Promise<void> {
    await this.database.db
      .updateTable('situation_feeds')
      .set({ last_pulled_at: new Date().toISOString(), last_result: result.slice(0, 500) })
      .where('id', '=', id)
      .execute();
  }

  /**
   * Reads a feed (an http(s) URL; a local file too where `allowFiles`, the command line's) and
   * adds each entry whose link no item has yet as a candidate in `section`, dated by the entry.
   */
  async pull(
    actor: Actor,
    location: string,
    section: SituationSection,
    opts: { allowFiles: boolean },
  ): Promise<PullResult> {
    this.refuse(actor, true);
    const feed = parseFeed(await readFeed(location, opts));
    const today = this.localDate(Date.now());
    const usable = feed.entries.filter((e) => e.published !== null && URL.canParse(e.url) && e.title);
    const outside = feed.entries.length - usable.length;
    return inTransaction(this.database, async (trx) => {
      const known = await knownUrls(
        trx,
        usable.map((e) => e.url),
      );
      let added = 0;
      const now = new Date().toISOString();
      for (const entry of usable) {
        const url = normalUrl(entry.url);
        if (known.has(url)) continue;
        known.add(url);
        const date = this.localDate(Date.parse(entry.published!));
        const body = candidate(section, date, entry.title, entry.summary, [], {
          publisher: feed.title || new URL(url).hostname,
          url,
          accessed_on: today,
        });
        await this.insertNew(trx, actor, now, body, 'feed', url);
        added++;
      }
      await this.audit.append(trx, whoOf(actor), {
        action: 'situation.pull',
        objectType: 'situation_feed',
        details: { location, added, known: usable.length - added, outside },
      });
      return { added, known: usable.length - added, outside };
    });
  }

  /**
   * Candidates from the center's own advisories of the quarter marked TLP:CLEAR (what it told
   * everyone belongs in the public situation), cited by their address in the web application.
   */
  async fromAdvisories(actor: Actor, fy: number, quarter: 1 | 2 | 3 | 4): Promise<PullResult> {
    this.refuse(actor, true);
    const { start, end } = this.calendar.rangeOf(fy, quarter);
    const advisories = await this.database.db
      .selectFrom('advisories')
      .innerJoin('incidents', 'incidents.id', 'advisories.incident_id')
      .select(['advisories.id', 'incidents.title', 'incidents.description', 'incidents.first_received_at'])
      .where('advisories.kind', '=', 'advisory')
      .where('incidents.tlp', '=', 'CLEAR')
      .where('incidents.state', '=', 'received')
      .where('incidents.first_received_at', '>=', start.toISOString())
      .where('incidents.first_received_at', '<', end.toISOString())
      .orderBy('advisories.id')
      .execute();
    const today = this.localDate(Date.now());
    const url = (id: number) => normalUrl(`${this.site.publicUrl}/advisories/${id}`);
    return inTransaction(this.database, async (trx) => {
      const known = await knownUrls(
        trx,
        advisories.map((a) => url(a.id)),
      );
      const now = new Date().toISOString();
      let added = 0;
      for (const a of advisories) {
        if (known.has(url(a.id))) continue;
        const date = this.localDate(Date.parse(a.first_received_at));
        const body = candidate('domestic_other', date, a.title, a.description, ['JP'], {
          publisher: this.site.centerName.ja,
          url: url(a.id),
          accessed_on: today,
        });
        await this.insertNew(trx, actor, now, body, 'advisory', url(a.id));
        added++;
      }
      await this.audit.append(trx, whoOf(actor), {
        action: 'situation.from_advisories',
        details: { fiscal_year: fy, quarter, added },
      });
      return { added, known: advisories.length - added, outside: 0 };
    });
  }

  /** A new item (revision 1) with its sources, made by `actor` from `origin`. */
  private insertNew(
    trx: Kysely<DB>,
    actor: Actor,
    now: string,
    body: SituationItemBody,
    origin: 'manual' | 'feed' | 'advisory',
    originUrl: string | null,
  ): Promise<number> {
    const row: ItemRow = {
      ...this.rowOf(body, now, actor),
      origin,
      origin_url: originUrl,
      revision: 1,
      created_at: now,
      created_by: userOf(actor),
    };
    return insertItem(trx, row, body.sources);
  }

  private localDate(ms: number): string {
    const { year, month, day } = this.calendar.zone.local(ms);
    return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  }
}

/** The user row behind an actor; the command line's system actor (id 0) has none. */
const userOf = (actor: Actor) => (actor.userId > 0 ? actor.userId : null);

/** A candidate as a feed entry or an advisory gives it: Japanese text only, one source, TLP:CLEAR. */
function candidate(
  section: SituationSection,
  date: string,
  title: string,
  summary: string,
  countries: string[],
  source: { publisher: string; url: string; accessed_on: string },
): SituationItemBody {
  return {
    section,
    event_date: date,
    title: { ja: title, en: '' },
    summary: { ja: summary || title, en: '' },
    tags: { sectors: [], countries, groups: [], cves: cvesIn(`${title} ${summary}`) },
    tlp: 'CLEAR',
    state: 'candidate',
    sources: [{ ...source, title, published_on: date }],
  };
}

function cvesIn(text: string): string[] {
  return [...new Set(text.toUpperCase().match(/CVE-\d{4}-\d{4,}/g) ?? [])].slice(0, 50);
}
