import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { Database } from '../../platform/db/database.js';
import type { MailLanguage } from './notification.mail.js';
import { renderMail } from './notification.mail.js';
import type { NotificationKind } from './notification.fanout.js';

export interface OutboxOptions {
  smtpUrl: string | undefined;
  mailFrom: string;
  publicUrl: string;
  /** How often pending mail is looked for besides the kicks after each commit (ms). */
  pollMs?: number;
}

/** A send gives up after this many attempts; the row then says `failed` and why. */
export const MAX_ATTEMPTS = 5;
/** While a mailer sends, the row is leased to it for this long (another process skips it). */
const LEASE_MS = 2 * 60_000;
const BATCH = 20;
/** The wait before the next attempt: 30 s, 2 min, 8 min, 32 min. */
const backoffMs = (attempts: number) => 30_000 * 4 ** (attempts - 1);

/**
 * The mail outbox: notification rows with mail_state 'pending', sent after their transaction
 * committed and never inside a request. A kick (after a commit) or the poll drains the due rows;
 * each is claimed by moving its mail_next_at (an optimistic lease: the update that finds the old
 * value wins, on either database, across processes), then sent; a failure is retried with backoff
 * and recorded. A process that dies mid-send leaves its lease to expire and the mail is sent again
 * later: at least once, never lost.
 */
export class MailOutbox {
  private transport: Transporter | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly database: Database,
    private readonly options: OutboxOptions,
  ) {}

  get configured(): boolean {
    return this.options.smtpUrl !== undefined;
  }

  /** Polls for due mail until stop(). */
  start(): void {
    if (!this.configured || this.timer) return;
    this.timer = setInterval(() => this.kick(), this.options.pollMs ?? 30_000);
    this.timer.unref();
    this.kick();
  }

  /** Stops polling and waits for a drain under way. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.idle();
    this.transport?.close();
    this.transport = null;
  }

  /** Something may be due: drain soon (coalesced with a drain under way). Never throws. */
  kick(): void {
    if (!this.configured) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = null;
    });
  }

  /** Resolves once no drain is under way (tests; shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.drain();
      } catch {
        // The database may be closing or away: the poll tries again; nothing is lost.
      }
    } while (this.again);
  }

  /** Sends every due mail; answers how many were sent. */
  async drain(now = () => new Date()): Promise<number> {
    let sent = 0;
    for (;;) {
      const due = await this.due(now().toISOString());
      if (due.length === 0) return sent;
      for (const row of due) if (await this.claimAndSend(row, now)) sent++;
      if (due.length < BATCH) return sent;
    }
  }

  private due(at: string) {
    return this.database.db
      .selectFrom('notifications as n')
      .innerJoin('users as u', 'u.id', 'n.user_id')
      .innerJoin('incidents as i', 'i.id', 'n.incident_id')
      .leftJoin('notification_settings as s', 's.user_id', 'n.user_id')
      .select([
        'n.id',
        'n.kind',
        'n.incident_id',
        'n.mail_attempts',
        'n.mail_next_at',
        'u.email',
        'i.ref',
        'i.tlp',
      ])
      .select('s.language')
      .where('n.mail_state', '=', 'pending')
      .where('n.mail_next_at', '<=', at)
      .orderBy('n.mail_next_at')
      .limit(BATCH)
      .execute();
  }

  private async claimAndSend(row: Awaited<ReturnType<MailOutbox['due']>>[number], now: () => Date) {
    const { db } = this.database;
    const attempts = row.mail_attempts + 1;
    const claimed = await db
      .updateTable('notifications')
      .set({ mail_next_at: new Date(now().getTime() + LEASE_MS).toISOString(), mail_attempts: attempts })
      .where('id', '=', row.id)
      .where('mail_state', '=', 'pending')
      .where('mail_next_at', '=', row.mail_next_at)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return false;
    const language: MailLanguage = row.language === 'en' ? 'en' : 'ja';
    const mail = renderMail(
      {
        kind: row.kind as NotificationKind,
        ref: row.ref,
        tlp: row.tlp,
        incidentId: row.incident_id,
        language,
      },
      this.options.publicUrl,
    );
    try {
      await this.transporter().sendMail({
        from: this.options.mailFrom,
        to: row.email,
        subject: mail.subject,
        text: mail.text,
        headers: { 'Content-Language': language },
      });
    } catch (error) {
      const failed = attempts >= MAX_ATTEMPTS;
      await db
        .updateTable('notifications')
        .set({
          mail_state: failed ? 'failed' : 'pending',
          mail_next_at: failed ? null : new Date(now().getTime() + backoffMs(attempts)).toISOString(),
          mail_error: String((error as Error).message ?? error).slice(0, 500),
        })
        .where('id', '=', row.id)
        .execute();
      return false;
    }
    await db
      .updateTable('notifications')
      .set({ mail_state: 'sent', mail_sent_at: now().toISOString(), mail_next_at: null, mail_error: null })
      .where('id', '=', row.id)
      .execute();
    return true;
  }

  private transporter(): Transporter {
    // A send must end well within the lease, or another process would send the mail again.
    this.transport ??= nodemailer.createTransport({
      url: this.options.smtpUrl,
      connectionTimeout: 20_000,
      greetingTimeout: 20_000,
      socketTimeout: 60_000,
    });
    return this.transport;
  }
}
