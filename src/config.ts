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
  };
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

function integer(raw: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}
