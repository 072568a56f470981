import type { Generated } from 'kysely';

/** The quarterly document's own tables (migration 018): situational items, lessons, identifiers. */

/** A statement of part 1 (the situation around critical infrastructure), a candidate until accepted. */
export interface SituationItemTable {
  id: Generated<number>;
  /** A SITUATION_SECTIONS code (src/domain/situation.ts). */
  section: string;
  /** Local date (YYYY-MM-DD) of the event; its fiscal quarter places the item in a document. */
  event_date: string;
  fiscal_year: number;
  quarter: number;
  title_ja: string;
  title_en: string;
  summary_ja: string;
  summary_en: string;
  /** JSON: {sectors, countries, groups, cves}: string arrays. */
  tags: string;
  tlp: string;
  /** candidate | accepted | dismissed */
  state: string;
  /** feed | advisory | manual */
  origin: string;
  /** The URL the candidate came from: one item per URL, so a feed pulled twice adds nothing. */
  origin_url: string | null;
  revision: number;
  created_at: string;
  created_by: number | null;
  updated_at: string;
  updated_by: number | null;
}

/** The sources an item cites, in order; a footnote each (one number per URL across the part). */
export interface SituationSourceTable {
  item_id: number;
  position: number;
  publisher: string;
  title: string;
  /** YYYY-MM-DD */
  published_on: string;
  url: string;
  /** YYYY-MM-DD */
  accessed_on: string;
}

/** An RSS or Atom feed (a URL or a local file) the center pulls candidates from. */
export interface SituationFeedTable {
  id: Generated<number>;
  name: string;
  location: string;
  /** The section its candidates start in. */
  section: string;
  last_pulled_at: string | null;
  /** The last pull's outcome: `ok: N new` or the error. */
  last_result: string | null;
  created_at: string;
}

/** Part 3: a lesson learned, a heading and a paragraph in both languages. */
export interface LessonTable {
  id: Generated<number>;
  fiscal_year: number;
  quarter: number;
  heading_ja: string;
  heading_en: string;
  body_ja: string;
  body_en: string;
  tlp: string;
  /** draft | in_review | approved | published (src/domain/lesson-workflow.ts) */
  state: string;
  author_id: number;
  approved_by: number | null;
  approved_at: string | null;
  published_at: string | null;
  revision: number;
  created_at: string;
  updated_at: string;
}

export interface LessonIncidentTable {
  lesson_id: number;
  incident_id: number;
}

/** What else names an organisation (alias, domain, host, address, distinctive detail): the anonymity check's list. */
export interface OrganizationIdentifierTable {
  organization_id: number;
  /** alias | domain | host | address | other | distinctive */
  kind: string;
  value: string;
}

/** An incident's further times (migration 019): one row per kind, with who gave it and when. */
export interface IncidentTimeTable {
  incident_id: number;
  /** management_informed | hq_established | restored | classified_major | ransom_paid */
  kind: string;
  at: string;
  given_by: number | null;
  given_at: string;
}

/** Issue 15: an organisation's flags (designated_operator, eu_entity, us_covered_entity). */
export interface OrganizationFlagTable {
  organization_id: number;
  flag: string;
  set_by: number | null;
  set_at: string;
}

/** The facts of an incident that decide its duties (JSON array) and the items only the operator knows (JSON object). */
export interface IncidentFactsTable {
  incident_id: number;
  facts: string;
  details: string;
  revision: number;
  updated_by: number | null;
  updated_at: string;
}

/** A regime confirmed or declined for an incident; share_with_center: the operator's consent (1/0). */
export interface IncidentObligationTable {
  incident_id: number;
  regime_code: string;
  regime_version: number;
  /** confirmed | declined */
  status: string;
  reason: string | null;
  share_with_center: number;
  decided_by: number | null;
  decided_at: string;
}

/** A stage of a duty: submitted (when, the recipient's reference) or not required (why). */
export interface ObligationStageTable {
  incident_id: number;
  regime_code: string;
  stage_code: string;
  /** submitted | not_required */
  state: string;
  submitted_at: string | null;
  reference: string | null;
  reason: string | null;
  recorded_by: number | null;
  recorded_at: string;
}

/** A reminder already sent (due_soon | overdue): each is sent once. */
export interface ObligationReminderTable {
  incident_id: number;
  regime_code: string;
  stage_code: string;
  kind: string;
  sent_at: string;
}

/** An admin's version of a regime (the whole definition as JSON), over or beside the shipped file. */
export interface RegimeOverrideTable {
  code: string;
  version: number;
  definition: string;
  updated_by: number | null;
  updated_at: string;
}

export interface PublicationTables {
  incident_times: IncidentTimeTable;
  organization_flags: OrganizationFlagTable;
  incident_facts: IncidentFactsTable;
  incident_obligations: IncidentObligationTable;
  obligation_stages: ObligationStageTable;
  obligation_reminders: ObligationReminderTable;
  regime_overrides: RegimeOverrideTable;
  situation_items: SituationItemTable;
  situation_sources: SituationSourceTable;
  situation_feeds: SituationFeedTable;
  lessons: LessonTable;
  lesson_incidents: LessonIncidentTable;
  organization_identifiers: OrganizationIdentifierTable;
}
