import type { Config } from './config.js';
import type { Database } from './platform/db/database.js';
import { FiscalCalendar } from './domain/fiscal-calendar.js';
import type { Taxonomy } from './domain/taxonomy.js';
import { loadTaxonomy } from './domain/taxonomy.js';
import { AuditService } from './modules/audit/audit.service.js';
import { AdminService } from './modules/admin/admin.service.js';
import { AccountService } from './modules/auth/account.service.js';
import { CredentialService } from './modules/auth/credentials.service.js';
import { OwnTokenService } from './modules/auth/own-tokens.service.js';
import { SessionService } from './modules/auth/session.service.js';
import { IdempotencyService } from './platform/idempotency/idempotency.service.js';
import { ImportService } from './modules/import/import.service.js';
import { IncidentService } from './modules/incidents/incident.service.js';
import { IncidentLifecycle } from './modules/incidents/incident.lifecycle.js';
import { IncidentTimeline } from './modules/incidents/incident.timeline.js';
import { SavedFilterService } from './modules/incidents/saved-filter.service.js';
import { OrganizationIds } from './modules/organizations/organization.ids.js';
import { PeriodService } from './modules/periods/period.service.js';
import { StatsService } from './modules/stats/stats.service.js';
import { readRollup } from './modules/stats/rollup.repository.js';
import { ConversationService } from './modules/conversations/conversation.service.js';
import { IndicatorService } from './modules/indicators/indicator.service.js';
import { AdvisoryService } from './modules/advisories/index.js';
import { MailOutbox } from './modules/notifications/notification.outbox.js';
import { NotificationService } from './modules/notifications/notification.service.js';
import { StixService } from './modules/stix/stix.service.js';
import { importObjects, IncidentPublisher } from './modules/stix/index.js';
import type { ObjectsAddedHook } from './modules/taxii/index.js';
import { TaxiiFeeds, TaxiiService, TaxiiStore } from './modules/taxii/index.js';
import { SituationService } from './modules/situation/index.js';
import { LessonService } from './modules/lessons/index.js';
import { PublicationService } from './modules/publication/index.js';
import { loadRegimes, RegimeCatalog } from './modules/regimes/index.js';
import { ObligationService } from './modules/obligations/index.js';

/** The object graph, built once per process (or per test) from the config and an open database. */
export interface Services {
  config: Config;
  database: Database;
  calendar: FiscalCalendar;
  taxonomy: Taxonomy;
  accounts: AccountService;
  audit: AuditService;
  sessions: SessionService;
  credentials: CredentialService;
  ownTokens: OwnTokenService;
  admin: AdminService;
  incidents: IncidentService;
  savedFilters: SavedFilterService;
  lifecycle: IncidentLifecycle;
  incidentTimeline: IncidentTimeline;
  stats: StatsService;
  periods: PeriodService;
  imports: ImportService;
  idempotency: IdempotencyService;
  notifications: NotificationService;
  conversations: ConversationService;
  stix: StixService;
  indicators: IndicatorService;
  advisories: AdvisoryService;
  taxiiStore: TaxiiStore;
  taxii: TaxiiService;
  taxiiFeeds: TaxiiFeeds;
  incidentPublisher: IncidentPublisher;
  situation: SituationService;
  lessons: LessonService;
  publication: PublicationService;
  /** The reporting regimes: data/regimes.json (checked at start: a broken file stops the start) and the admins' versions. */
  regimes: RegimeCatalog;
  /** An incident's reporting duties under those regimes. */
  obligations: ObligationService;
}

export interface ServiceHooks {
  /** Objects new to the center's inbox or a feed (default: the STIX import, as incoming intelligence). */
  onObjectsAdded?: ObjectsAddedHook;
}

export function createServices(config: Config, database: Database, hooks: ServiceHooks = {}): Services {
  const calendar = new FiscalCalendar({
    timeZone: config.timeZone,
    fiscalYearStartMonth: config.fiscalYearStartMonth,
  });
  const taxonomy = loadTaxonomy(undefined, config.centerName);
  const audit = new AuditService(database);
  const notifications = new NotificationService(database, audit, new MailOutbox(database, config));
  const incidents = new IncidentService(
    database,
    calendar,
    audit,
    config.receivedAtBounds,
    new OrganizationIds(),
    notifications.outbox,
  );
  const accounts = new AccountService(database.db, taxonomy);
  const credentials = new CredentialService(database, accounts, config, audit);
  const sessions = new SessionService(database, accounts, config, audit, credentials);
  // What reaches the center's inbox or a pulled feed becomes incoming intelligence to triage.
  const taxiiStore = new TaxiiStore(taxonomy, hooks.onObjectsAdded ?? importObjects);
  const stats = new StatsService(database, calendar, taxonomy, config.statsMinCell);
  const regimes = new RegimeCatalog(loadRegimes(), database, audit);
  return {
    config,
    database,
    calendar,
    taxonomy,
    accounts,
    audit,
    sessions,
    credentials,
    ownTokens: new OwnTokenService(database, accounts, audit),
    admin: new AdminService(database, accounts, sessions, audit),
    incidents,
    savedFilters: new SavedFilterService(database, calendar, audit),
    lifecycle: new IncidentLifecycle(database, calendar, audit),
    incidentTimeline: new IncidentTimeline(database, audit, config.receivedAtBounds.clockSkewMs),
    stats,
    periods: new PeriodService(database, calendar, audit, readRollup),
    imports: new ImportService(database, taxonomy, incidents, audit, config.receivedAtBounds),
    idempotency: new IdempotencyService(database),
    notifications,
    conversations: new ConversationService(database, audit, notifications),
    stix: new StixService(database, audit, incidents, taxonomy, { name: config.centerName.en }),
    indicators: new IndicatorService(database, audit),
    advisories: new AdvisoryService(database, calendar, taxonomy, audit, incidents, notifications.outbox, {
      store: taxiiStore,
      producer: { name: config.centerName.en },
    }),
    taxiiStore,
    taxii: new TaxiiService(database, taxiiStore, audit),
    taxiiFeeds: new TaxiiFeeds(database, taxiiStore, audit),
    incidentPublisher: new IncidentPublisher(database, incidents, taxiiStore, taxonomy, audit),
    situation: new SituationService(database, calendar, audit, config),
    lessons: new LessonService(database, calendar, taxonomy, audit, stats),
    regimes,
    obligations: new ObligationService(database, audit, regimes, config.receivedAtBounds.clockSkewMs),
    publication: new PublicationService(database, calendar, stats, audit, {
      centerName: config.centerName,
      minCell: config.statsMinCell,
    }),
  };
}
