import type { Actor } from '../../access/index.js';
import type { Regime } from '../../domain/regimes.js';
import type { Database } from '../../platform/db/database.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { AuditService } from '../audit/index.js';
import { whoOf } from '../audit/index.js';
import { checkVersions, regimeSchema, RegimesFileError } from './regime.catalog.js';

export type RegimeOrigin = 'file' | 'database';
export type CatalogEntry = Regime & { origin: RegimeOrigin };

/**
 * The regimes in force for this deployment: the shipped file, with an admin's version of a regime
 * (same code and version) in its place, and an admin's new versions beside it. Kept in the
 * database so that a change needs no release and reaches every server process; read per call
 * (the table holds a handful of rows), so no process serves a stale duty.
 */
export class RegimeCatalog {
  constructor(
    readonly shipped: readonly Regime[],
    private readonly database: Database,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<CatalogEntry[]> {
    const rows = await this.database.db.selectFrom('regime_overrides').selectAll().execute();
    return merge(
      this.shipped,
      rows.map((r) => JSON.parse(r.definition) as Regime),
    );
  }

  async find(code: string, version?: number): Promise<CatalogEntry | undefined> {
    const all = (await this.list()).filter((r) => r.code === code);
    return version === undefined
      ? all.sort((a, b) => b.version - a.version)[0]
      : all.find((r) => r.version === version);
  }

  /** An admin's version of a regime: checked as the file is, and against the other versions. Audited. */
  async put(actor: Actor, code: string, version: number, body: unknown): Promise<CatalogEntry> {
    const parsed = regimeSchema.safeParse(body);
    if (!parsed.success)
      throw new AppError(
        'regime_invalid',
        parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      );
    const regime: Regime = parsed.data;
    if (regime.code !== code || regime.version !== version)
      throw new AppError(
        'regime_invalid',
        `the body is ${regime.code} v${regime.version}, the URL ${code} v${version}`,
      );
    await inTransaction(this.database, async (trx) => {
      const rows = await trx.selectFrom('regime_overrides').selectAll().execute();
      const others = rows
        .map((r) => JSON.parse(r.definition) as Regime)
        .filter((r) => !(r.code === code && r.version === version));
      try {
        checkVersions(merge(this.shipped, [...others, regime]));
      } catch (error) {
        if (error instanceof RegimesFileError) throw new AppError('regime_invalid', error.message);
        throw error;
      }
      const values = {
        definition: JSON.stringify(regime),
        updated_by: actor.userId > 0 ? actor.userId : null,
        updated_at: new Date().toISOString(),
      };
      await trx
        .insertInto('regime_overrides')
        .values({ code, version, ...values })
        .onConflict((oc) => oc.columns(['code', 'version']).doUpdateSet(values))
        .execute();
      await this.audit.append(trx, whoOf(actor), {
        action: 'regime.put',
        objectType: 'regime',
        details: {
          code,
          version,
          replaces_file: this.shipped.some((r) => r.code === code && r.version === version),
        },
      });
    });
    return (await this.find(code, version))!;
  }

  /** Back to the shipped version (or gone, for a version only the database had). Audited. */
  async remove(actor: Actor, code: string, version: number): Promise<void> {
    await inTransaction(this.database, async (trx) => {
      const deleted = await trx
        .deleteFrom('regime_overrides')
        .where('code', '=', code)
        .where('version', '=', version)
        .executeTakeFirst();
      if (Number(deleted.numDeletedRows) === 0) throw notFound();
      await this.audit.append(trx, whoOf(actor), {
        action: 'regime.remove',
        objectType: 'regime',
        details: { code, version },
      });
    });
  }
}

function merge(shipped: readonly Regime[], overrides: readonly Regime[]): CatalogEntry[] {
  const key = (r: Regime) => `${r.code}@${r.version}`;
  const mine = new Map(overrides.map((r) => [key(r), r]));
  const out: CatalogEntry[] = shipped.map((r) =>
    mine.has(key(r)) ? { ...mine.get(key(r))!, origin: 'database' } : { ...r, origin: 'file' },
  );
  const fromFile = new Set(shipped.map(key));
  for (const r of overrides) if (!fromFile.has(key(r))) out.push({ ...r, origin: 'database' });
  return out;
}
