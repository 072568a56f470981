import type { Kysely, RawBuilder } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import { auditChains } from '../../platform/db/dialect.js';
import type { DB } from '../../platform/db/schema.js';
import { decodeIdCursor, encodeCursor } from '../../platform/http/cursor.js';
import type { Actor } from '../../access/index.js';
import { inTransaction } from '../../platform/db/transaction.js';
import type { AuditContent, ChainProblem } from './audit.chain.js';
import type { RedactedEntry } from './audit.redact.js';
import { redactEntries } from './audit.redact.js';
import type { AuditFilter, ObjectIdInStatement } from './audit.repository.js';
import { appendSqliteDirect, AuditRepository, pgAuditLock, pgAuditWrite } from './audit.repository.js';
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
    this.chains = auditChains(database.dialect);
  }

  /** Appends one entry inside `trx`, the caller's transaction. */
  async append(trx: Kysely<DB>, who: AuditWho, event: AuditEvent): Promise<void> {
    const repo = new AuditRepository(trx);
    const content = contentOf(who, event);
    if (this.database.dialect === 'sqlite') {
      if (this.database.sqlite) appendSqliteDirect(this.database.sqlite, this.chains, content);
      else await repo.appendSqlite(this.chains, content);
      return;
    }
    if ((await repo.appendPg(this.chains, content)) !== null) return;
    // A fresh database: no head rows yet. Created (idempotently) and tried once more.
    await repo.ensureHeads(this.chains);
    if ((await repo.appendPg(this.chains, content)) === null)
      throw new Error('audit trail: no chain head to append to');
  }

  /** Appends one entry in a transaction of its own: for reads (shares a group commit on SQLite). */
  async record(who: AuditWho, event: AuditEvent): Promise<void> {
    if (this.database.dialect === 'postgres') return this.append(this.database.db, who, event);
    await inTransaction(this.database, (trx) => this.append(trx, who, event), { grouped: true });
  }

  /**
   * PostgreSQL CTEs that append one entry within another statement: `lock` goes first (the
   * statement's inserts may then require `exists (select 1 from audit_prev)`), `write` after them.
   */
  pgAppendCtes(
    who: AuditWho,
    event: AuditEvent,
    objectId: ObjectIdInStatement,
  ): { lock: RawBuilder<unknown>; write: RawBuilder<unknown> } {
    return {
      lock: pgAuditLock(this.chains),
      write: pgAuditWrite(contentOf(who, event), objectId),
    };
  }

  /** Head rows exist (PostgreSQL): a statement that needs one can rely on finding it. */
  async ensureHeads(): Promise<void> {
    await new AuditRepository(this.database.db).ensureHeads(this.chains);
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

/** Details are stored as JSON text; a row altered into something else is shown as the text it holds. */
function parseDetails(details: string | null): unknown {
  if (details === null) return null;
  try {
    return JSON.parse(details) as unknown;
  } catch {
    return details;
  }
}
