import { resolve } from 'node:path';

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
  /** Set behind a TLS-terminating proxy: trust X-Forwarded-* and mark cookies Secure, send HSTS. */
  readonly trustProxy: boolean;
  /** Base64 of 32 bytes that encrypts stored second-factor seeds; else a key file in dataDir. */
  readonly secretKey: string | undefined;
  /** Per-sector counts below this are suppressed outside the center; 0 or 1 turns it off. */
  readonly statsMinCell: number;
}

export type ConfigOverrides = Partial<Pick<Config, 'databaseUrl' | 'host' | 'port'>>;

export class ConfigError extends Error {}

const DEFAULT_DATA_DIR = './kyoyu-data';

export function defaultDatabaseUrl(dataDir = DEFAULT_DATA_DIR, file = 'kyoyu.sqlite'): string {
  return `sqlite:${resolve(dataDir, file)}`;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigOverrides = {}): Config {
  const dataDir = env.KYOYU_DATA_DIR ?? DEFAULT_DATA_DIR;
  const config: Config = {
    databaseUrl: overrides.databaseUrl ?? env.KYOYU_DATABASE_URL ?? defaultDatabaseUrl(dataDir),
    host: overrides.host ?? env.HOST ?? '127.0.0.1',
    port: overrides.port ?? integer(env.PORT, 'PORT', 8080, 0, 65535),
    timeZone: env.KYOYU_TIME_ZONE ?? 'Asia/Tokyo',
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
    trustProxy: flag(env.KYOYU_TRUST_PROXY, 'KYOYU_TRUST_PROXY'),
    secretKey: env.KYOYU_SECRET_KEY || undefined,
    statsMinCell: integer(env.KYOYU_STATS_MIN_CELL, 'KYOYU_STATS_MIN_CELL', 3, 0, 1000),
  };
  if (config.secretKey !== undefined && Buffer.from(config.secretKey, 'base64').length !== 32) {
    throw new ConfigError('KYOYU_SECRET_KEY must be the base64 of 32 random bytes (openssl rand -base64 32)');
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: config.timeZone });
  } catch {
    throw new ConfigError(`KYOYU_TIME_ZONE: unknown time zone "${config.timeZone}"`);
  }
  if (!/^(sqlite:|postgres:\/\/|postgresql:\/\/)/.test(config.databaseUrl)) {
    throw new ConfigError('KYOYU_DATABASE_URL must start with sqlite: or postgres://');
  }
  return Object.freeze(config);
}

function flag(raw: string | undefined, name: string): boolean {
  if (raw === undefined || raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function integer(raw: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}
