import { join, resolve } from 'node:path';
import type { ReceivedAtBounds } from './domain/received-at-bounds.js';
import { parseInstant } from './domain/report-line.js';
import { TimeZone } from './domain/time-zone.js';
import type { CenterName } from './domain/taxonomy.js';
import { DEFAULT_CENTER_NAME } from './domain/taxonomy.js';

/** Everything configurable, parsed once; nothing else reads process.env. */
export interface Config {
  readonly databaseUrl: string;
  readonly host: string;
  readonly port: number;
  readonly timeZone: string;
  readonly fiscalYearStartMonth: number;
  readonly bodyLimitBytes: number;
  readonly logLevel: string;
  readonly pgPoolSize: number;
  readonly dataDir: string;
  /** A signed-in session ends after this long without a request... */
  readonly sessionIdleMinutes: number;
  /** ...and at the latest this long after sign-in. */
  readonly sessionMaxHours: number;
  /** Requests per minute per user (or per address when unauthenticated); 0 turns the limit off. */
  readonly rateLimitPerMinute: number;
  /** Sign-in attempts per address per 10 minutes, counted in the database (across processes). */
  readonly loginAttemptsPer10Minutes: number;
  /**
   * Behind TLS-terminating proxies: how many proxy hops to trust (a number), or the proxies'
   * addresses/CIDRs. The client address is then the first X-Forwarded-For entry a trusted hop added,
   * never the leftmost one (which the client writes). false: X-Forwarded-* is ignored.
   */
  readonly trustProxy: false | number | readonly string[];
  /** Failed bearer-token look-ups per address per minute before 429 (valid tokens are never slowed). */
  readonly badTokensPerMinute: number;
  /** Base64 of 32 bytes that encrypts stored second-factor seeds; else a key file in dataDir. */
  readonly secretKey: string | undefined;
  /** The Ed25519 key file that signs audit checkpoints (created on first `audit checkpoint`). */
  readonly auditSigningKeyFile: string;
  /** The range a report's received_at must lie in (KYOYU_EARLIEST_RECEIVED_AT, KYOYU_CLOCK_SKEW_SECONDS). */
  readonly receivedAtBounds: ReceivedAtBounds;
  /** Per-sector counts below this are suppressed outside the center; 0 or 1 turns it off. */
  readonly statsMinCell: number;
  /** The running center's name in the channel labels (KYOYU_CENTER_NAME_JA, KYOYU_CENTER_NAME_EN). */
  readonly centerName: CenterName;
  /** Notification mail: the SMTP server (smtp://user:pass@host:port, smtps://...); none: no mail. */
  readonly smtpUrl: string | undefined;
  /** The mail's From address (KYOYU_MAIL_FROM). */
  readonly mailFrom: string;
  /** Where users reach the web UI, for the links in mail (KYOYU_PUBLIC_URL); no trailing slash. */
  readonly publicUrl: string;
}

export type ConfigOverrides = Partial<Pick<Config, 'databaseUrl' | 'host' | 'port'>>;

export class ConfigError extends Error {}

const DEFAULT_DATA_DIR = './kyoyu-data';

export function defaultDatabaseUrl(dataDir = DEFAULT_DATA_DIR, file = 'kyoyu.sqlite'): string {
  return `sqlite:${resolve(dataDir, file)}`;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigOverrides = {}): Config {
  const dataDir = env.KYOYU_DATA_DIR ?? DEFAULT_DATA_DIR;
  const timeZone = env.KYOYU_TIME_ZONE ?? 'Asia/Tokyo';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new ConfigError(`KYOYU_TIME_ZONE: unknown time zone "${timeZone}"`);
  }
  const host = overrides.host ?? env.HOST ?? '127.0.0.1';
  const port = overrides.port ?? integer(env.PORT, 'PORT', 8080, 0, 65535);
  const config: Config = {
    databaseUrl: overrides.databaseUrl ?? env.KYOYU_DATABASE_URL ?? defaultDatabaseUrl(dataDir),
    host,
    port,
    timeZone,
    fiscalYearStartMonth: integer(
      env.KYOYU_FISCAL_YEAR_START_MONTH,
      'KYOYU_FISCAL_YEAR_START_MONTH',
      4,
      1,
      12,
    ),
    bodyLimitBytes: integer(
      env.KYOYU_BODY_LIMIT_BYTES,
      'KYOYU_BODY_LIMIT_BYTES',
      1024 * 1024,
      1024,
      64 * 1024 * 1024,
    ),
    logLevel: env.KYOYU_LOG_LEVEL ?? 'info',
    pgPoolSize: integer(env.KYOYU_PG_POOL_SIZE, 'KYOYU_PG_POOL_SIZE', 16, 1, 1000),
    dataDir,
    sessionIdleMinutes: integer(env.KYOYU_SESSION_IDLE_MINUTES, 'KYOYU_SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
    sessionMaxHours: integer(env.KYOYU_SESSION_HOURS, 'KYOYU_SESSION_HOURS', 12, 1, 24 * 30),
    rateLimitPerMinute: integer(
      env.KYOYU_RATE_LIMIT_PER_MINUTE,
      'KYOYU_RATE_LIMIT_PER_MINUTE',
      6000,
      0,
      10_000_000,
    ),
    loginAttemptsPer10Minutes: integer(
      env.KYOYU_LOGIN_ATTEMPTS_PER_10_MINUTES,
      'KYOYU_LOGIN_ATTEMPTS_PER_10_MINUTES',
      30,
      1,
      100_000,
    ),
    trustProxy: trustProxy(env.KYOYU_TRUST_PROXY),
    badTokensPerMinute: integer(
      env.KYOYU_BAD_TOKENS_PER_MINUTE,
      'KYOYU_BAD_TOKENS_PER_MINUTE',
      30,
      1,
      1_000_000,
    ),
    secretKey: env.KYOYU_SECRET_KEY || undefined,
    auditSigningKeyFile: env.KYOYU_AUDIT_SIGNING_KEY_FILE || join(dataDir, 'audit-signing.key'),
    receivedAtBounds: {
      earliestMs: earliestInstant(env.KYOYU_EARLIEST_RECEIVED_AT, timeZone),
      clockSkewMs:
        integer(env.KYOYU_CLOCK_SKEW_SECONDS, 'KYOYU_CLOCK_SKEW_SECONDS', 300, 0, 7 * 24 * 3600) * 1000,
    },
    statsMinCell: integer(env.KYOYU_STATS_MIN_CELL, 'KYOYU_STATS_MIN_CELL', 3, 0, 1000),
    centerName: Object.freeze({
      ja: centerName(env.KYOYU_CENTER_NAME_JA, 'KYOYU_CENTER_NAME_JA') ?? DEFAULT_CENTER_NAME.ja,
      en: centerName(env.KYOYU_CENTER_NAME_EN, 'KYOYU_CENTER_NAME_EN') ?? DEFAULT_CENTER_NAME.en,
    }),
    smtpUrl: env.KYOYU_SMTP_URL || undefined,
    mailFrom: env.KYOYU_MAIL_FROM || 'kyoyu@localhost',
    publicUrl: (env.KYOYU_PUBLIC_URL || `http://${hostInUrl(host)}:${port}`).replace(/\/+$/, ''),
  };
  if (config.smtpUrl !== undefined && !/^smtps?:\/\//.test(config.smtpUrl)) {
    throw new ConfigError(
      'KYOYU_SMTP_URL must start with smtp:// or smtps:// (smtp://user:password@host:587)',
    );
  }
  if (!/^https?:\/\/[^/]/.test(config.publicUrl)) {
    throw new ConfigError(`KYOYU_PUBLIC_URL must be an http(s) URL, got "${config.publicUrl}"`);
  }
  if (config.secretKey !== undefined && Buffer.from(config.secretKey, 'base64').length !== 32) {
    throw new ConfigError('KYOYU_SECRET_KEY must be the base64 of 32 random bytes (openssl rand -base64 32)');
  }
  if (!/^(sqlite:|postgres:\/\/|postgresql:\/\/)/.test(config.databaseUrl)) {
    throw new ConfigError('KYOYU_DATABASE_URL must start with sqlite: or postgres://');
  }
  return Object.freeze(config);
}

/**
 * KYOYU_EARLIEST_RECEIVED_AT: a date (`2000-01-01`, the default), meaning its midnight in the
 * deployment's time zone, or an instant with an offset (`2000-01-01T00:00:00+09:00`).
 */
function earliestInstant(raw: string | undefined, timeZone: string): number {
  const text = raw === undefined || raw === '' ? '2000-01-01' : raw;
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (date) {
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const zone = new TimeZone(timeZone);
    const at = zone.instantOf(year, month, day);
    const back = zone.local(at);
    // 2000-02-30 does not exist: its "midnight" would show another day.
    if (year >= 1900 && back.year === year && back.month === month && back.day === day) return at.getTime();
  } else {
    const parsed = parseInstant(text);
    if (parsed.ok && new Date(parsed.epochMs).getUTCFullYear() >= 1900) return parsed.epochMs;
  }
  throw new ConfigError(
    `KYOYU_EARLIEST_RECEIVED_AT must be a date (2000-01-01) or an instant with an offset (2000-01-01T00:00:00+09:00), from 1900 on; got "${text}"`,
  );
}

const hostInUrl = (host: string) => (host.includes(':') ? `[${host}]` : host);

const IPV4_CIDR = /^(\d{1,3})(\.\d{1,3}){3}(\/\d{1,2})?$/;
const IPV6_CIDR = /^[0-9a-fA-F:.]*:[0-9a-fA-F:.]*(\/\d{1,3})?$/;

/**
 * `true` is refused: it trusts every hop, so the leftmost X-Forwarded-For (written by the client)
 * becomes the address that sign-in limits and the audit trail use. A hop count or the proxies'
 * addresses say which entry a proxy of ours wrote.
 */
function trustProxy(raw: string | undefined): false | number | readonly string[] {
  const value = raw?.trim();
  if (value === undefined || value === '' || value === '0' || value === 'false') return false;
  if (value === 'true') {
    throw new ConfigError(
      'KYOYU_TRUST_PROXY=true would trust an address the client writes; set the number of proxies in front (KYOYU_TRUST_PROXY=1) or their addresses (KYOYU_TRUST_PROXY=10.0.0.5,10.1.0.0/16)',
    );
  }
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 10) throw new ConfigError(`KYOYU_TRUST_PROXY: at most 10 proxy hops, got "${raw}"`);
    return hops;
  }
  const list = value.split(',').map((s) => s.trim());
  const bad = list.filter((a) => !IPV4_CIDR.test(a) && !IPV6_CIDR.test(a));
  if (bad.length > 0 || list.length === 0) {
    throw new ConfigError(
      `KYOYU_TRUST_PROXY must be a hop count or a comma-separated list of proxy addresses/CIDRs, got "${raw}"`,
    );
  }
  return Object.freeze(list);
}

/** A center name: trimmed, 1 to 100 characters, on one line; unset or empty: the default. */
function centerName(raw: string | undefined, name: string): string | undefined {
  const value = raw?.trim();
  if (!value) return undefined;
  // eslint-disable-next-line no-control-regex
  if (value.length > 100 || /[\u0000-\u001f\u007f]/.test(value)) {
    throw new ConfigError(`${name} must be one line of at most 100 characters`);
  }
  return value;
}

function integer(raw: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}
