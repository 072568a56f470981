import type { Kysely } from 'kysely';
import type { Taxonomy } from '../../domain/taxonomy.js';
import type { DB } from '../../platform/db/schema.js';
import type { Tlp } from '../../domain/tlp.js';
import { TLP_LEVELS } from '../../domain/tlp.js';
import type { StixObject, StixProducer } from '../stix/index.js';
import { advisoryObjects, bundleOf } from '../stix/index.js';
import type { TaxiiStore } from '../taxii/index.js';
import type { Audience, ReviseAdvisory } from './advisory.schema.js';
import { reviseAdvisoryBody } from './advisory.schema.js';

/**
 * The TAXII collections an advisory is published in: each collection's readers (src/access/
 * collections.ts) must be among those the access rule lets see the advisory. `public` is every
 * signed-in caller, so only an advisory to everyone goes there; a sector's collection is read by
 * that sector's desks and operators, so an advisory to the sector; an organisation's, by that
 * organisation and the center. RED goes to none: it is for named recipients only, and the center's
 * admins, who read every collection, are not among them.
 */
export function collectionKeysOf(audience: Audience, tlp: string): string[] {
  if (tlp === 'RED') return [];
  return [
    ...(audience.everyone ? ['public'] : []),
    ...audience.sectors.map((s) => `sector:${s}`),
    ...audience.organizations.map((id) => `org:${id}`),
  ];
}

export interface AdvisoryPublication {
  advisoryId: number;
  revision: number;
  created: string;
  modified: string;
  body: ReviseAdvisory;
  audience: Audience;
  /** The revision before this one (its audience and marking), to withdraw it where it no longer reaches. */
  previous?: { audience: Audience; tlp: string; body: ReviseAdvisory; modified: string };
}

/** Shared, not the advisory's own (markings, the producer and sector identities, public CVE records): kept. */
const SHARED_TYPES = new Set(['marking-definition', 'identity', 'vulnerability']);

/**
 * Publishes one revision of an advisory as STIX 2.1 (a Report with its Vulnerability, Indicator
 * and Course-of-Action objects) into the collections its audience reaches, in the advisory's own
 * transaction: a TAXII client sees the revision exactly when the inbox does. The ids are
 * deterministic, so a revision adds new versions of the same objects.
 */
export async function publishAdvisory(
  trx: Kysely<DB>,
  store: TaxiiStore,
  taxonomy: Taxonomy,
  producer: StixProducer,
  p: AdvisoryPublication,
): Promise<void> {
  const keys = collectionKeysOf(p.audience, p.body.tlp);
  if (p.previous) {
    const gone = collectionKeysOf(p.previous.audience, p.previous.tlp).filter((k) => !keys.includes(k));
    const before = objectsOf(
      p,
      taxonomy,
      producer,
      p.previous.body,
      p.previous.audience,
      p.previous.modified,
    );
    const own = before.filter((o) => !SHARED_TYPES.has(o.type)).map((o) => o.id);
    for (const key of gone) await store.withdrawObjects(trx, key, own);
  }
  if (keys.length === 0) return;
  const objects = objectsOf(p, taxonomy, producer, p.body, p.audience, p.modified);
  for (const key of keys) await store.addObjects(trx, key, objects);
}

function objectsOf(
  p: AdvisoryPublication,
  taxonomy: Taxonomy,
  producer: StixProducer,
  body: ReviseAdvisory,
  audience: Audience,
  modified: string,
): StixObject[] {
  const { content, tlp, severity } = body;
  const rank = (t: string) => TLP_LEVELS.indexOf(t as Tlp);
  // As a bundle carries them: with the TLP marking definitions its objects reference.
  return bundleOf(
    advisoryObjects(
      {
        id: p.advisoryId,
        revision: p.revision,
        created: p.created,
        modified,
        tlp,
        severity,
        title: content.title,
        body: content.body,
        cves: content.cves,
        products: content.affected_products,
        // An indicator marked stricter than its advisory is for fewer readers than the collection's.
        indicators: content.indicators
          .map((i) => ({ type: i.type, value: i.value, tlp: i.tlp ?? tlp }))
          .filter((i) => rank(i.tlp) <= rank(tlp)),
        actions: content.recommended_actions,
        references: content.references,
        sectors: audience.everyone ? [] : audience.sectors,
      },
      taxonomy,
      producer,
    ),
  ).objects;
}

/** The advisory's first issue time and the revision before `revision + 1`, as stored. */
export async function previousRevision(
  trx: Kysely<DB>,
  advisoryId: number,
  revision: number,
): Promise<{ created: string; revision: NonNullable<AdvisoryPublication['previous']> }> {
  const row = await trx
    .selectFrom('advisory_revisions as r')
    .innerJoin('advisories as a', 'a.id', 'r.advisory_id')
    .select(['a.created_at', 'r.content', 'r.tlp', 'r.audience', 'r.at'])
    .where('r.advisory_id', '=', advisoryId)
    .where('r.revision', '=', revision)
    .executeTakeFirstOrThrow();
  const body = reviseAdvisoryBody.parse({
    tlp: row.tlp,
    severity: 'info', // not kept per revision; it names no object, so the ids come out the same
    audience: JSON.parse(row.audience) as unknown,
    content: JSON.parse(row.content) as unknown,
  });
  return {
    created: row.created_at,
    revision: { audience: body.audience, tlp: row.tlp, body, modified: row.at },
  };
}
