import type { Kysely } from 'kysely';
import type { ChainEntry } from '../../platform/db/chain.js';
import type { Database } from '../../platform/db/database.js';
import type { DB } from '../../platform/db/schema.js';
import { decodeIdCursor, encodeCursor } from '../../platform/http/cursor.js';
import type { Actor } from '../../access/index.js';
import type { AuditContent, ChainProblem } from './audit.chain.js';
import { HASH_VERSION, hashedText } from './audit.chain.js';
import type { RedactedEntry } from './audit.redact.js';
import { redactEntries } from './audit.redact.js';
import type { AuditFilter } from './audit.repository.js';
import { AuditRepository } from './audit.repository.js';
import type { VerifyOptions, VerifySummary } from './audit.verify.js';
import { verifyTrail } from './audit.verify.js';

export type { VerifySummary } from './audit.verify.js';

/** Who acted: a signed-in user (with the request), or a CLI command (`cli:import`). */
export interface AuditWho {
  userId: number | null;
  label: string;
  ip?: string;
  requestId?: string;
}

/** What happened to what. */
export interface AuditEvent {
  action: string;
  objectType?: string;
  objectId?: string | number;
  details?: Record<string, unknown>;
}

export const whoOf = (actor: Actor): AuditWho => ({
  userId: actor.userId,
  label: actor.email,
  ip: actor.ip,
  requestId: actor.requestId,
});

export const cliWho = (command: string): AuditWho => ({ userId: null, label: `cli:${command}` });

export interface AuditPage {
  items: Array<Omit<RedactedEntry, 'details'> & { details: unknown }>;
  next_cursor: string | null;
}

/**
 * The append-only audit trail. Entries are appended inside the caller's transaction, so an entry
 * exists exactly when the write it records committed; reads get a transaction of their own.
 */
export class AuditService {
  private readonly chains: number;

  constructor(private readonly database: Database) {
    this.chains = database.dialect.auditChains;
  }

  /**
   * Appends one entry inside `trx`, the caller's transaction; given the database itself, as a write
   * of its own (one statement on PostgreSQL, a shared commit on SQLite).
   */
  async append(trx: Kysely<DB>, who: AuditWho, event: AuditEvent): Promise<void> {
    await this.database.dialect.appendChain(trx, chainEntryOf(contentOf(who, event)));
  }

  /** Appends one entry as a write of its own: for reads. */
  record(who: AuditWho, event: AuditEvent): Promise<void> {
    return this.append(this.database.db, who, event);
  }

  /** The entry about the record a write creates, for Dialect.writeOne: its object id is that record's. */
  entryAboutNewRecord(who: AuditWho, event: AuditEvent): ChainEntry {
    return chainEntryOf(contentOf(who, event), true);
  }

  /**
   * A page of the trail, newest first. With `viewer` (an API caller), each entry's details are shown
   * only where the viewer may see them (audit.redact.ts); without one (the CLI), all of them.
   */
  async list(filter: AuditFilter, limit: number, cursor?: string, viewer?: Actor): Promise<AuditPage> {
    const db = this.database.db;
    const rows = await new AuditRepository(db).list(filter, limit + 1, decodeIdCursor(cursor));
    const page = await redactEntries(db, viewer, rows.slice(0, limit));
    const last = page[page.length - 1];
    return {
      items: page.map((row) => ({ ...row, details: parseDetails(row.details) })),
      next_cursor: rows.length > limit && last ? encodeCursor(last.id) : null,
    };
  }

  /** See verifyTrail: the chains, their number, every incident's creation entry, a checkpoint. */
  verify(onProblem: (problem: ChainProblem) => void, options: VerifyOptions = {}): Promise<VerifySummary> {
    return verifyTrail(this.database, this.chains, onProblem, options);
  }

  /** How many chains this deployment writes (what a checkpoint must cover). */
  get chainCount(): number {
    return this.chains;
  }
}

/** What an entry says: the one definition, whichever way the entry is appended. */
function contentOf(who: AuditWho, event: AuditEvent): AuditContent {
  return {
    at: new Date().toISOString(),
    actor_user_id: who.userId,
    actor: who.label,
    action: event.action,
    object_type: event.objectType ?? null,
    object_id: event.objectId === undefined ? null : String(event.objectId),
    ip: who.ip ?? null,
    request_id: who.requestId ?? null,
    details: event.details === undefined ? null : JSON.stringify(event.details),
  };
}

/** The entry for the dialect's append: its content and the text its hash covers (audit.chain.ts). */
function chainEntryOf(content: AuditContent, ofNewRecord = false): ChainEntry {
  return {
    values: content,
    hashed: hashedText(HASH_VERSION, content),
    hashVersion: HASH_VERSION,
    ofNewRecord,
  };
}

/** Details are stored as JSON text; a row altered into something else is shown as the text it holds. */
function parseDetails(details: string | null): unknown {
  if (details === null) return null;
  try {
    return JSON.parse(details) as unknown;
  } catch {
    return details;
  }
}
