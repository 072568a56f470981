import ExcelJS from 'exceljs';
import type { Actor } from '../../access/index.js';
import { canSee, receivableIndicators, seesEverything } from '../../access/index.js';
import type { Regime } from '../../domain/regimes.js';
import type { Taxonomy } from '../../domain/taxonomy.js';
import { TimeZone } from '../../domain/time-zone.js';
import type { Database } from '../../platform/db/database.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { AuditService } from '../audit/index.js';
import { whoOf } from '../audit/index.js';
import type { RegimeCatalog } from '../regimes/index.js';
import type { DutyContext } from './obligation.context.js';
import { dutyOf, loadContexts } from './obligation.context.js';

/**
 * One set of facts, many forms (issue 15): a stage's required items filled from the incident (its
 * reports, times, indicators and the details only the operator knows), as XLSX laid out like the
 * common forms (a heading block, then one row per item: 項目 / 記入内容), CSV or JSON. The
 * reporting organisation exports its own; anyone else who sees the incident (the center, a sector
 * desk) only where the operator consented to share that report with the center.
 */

type Lang = 'ja' | 'en';
export interface FormRow {
  item: string;
  label: string;
  value: string;
}
export interface StageForm {
  title: string;
  header: Array<[string, string]>;
  rows: FormRow[];
}

const HEAD = {
  ja: {
    form: '報告様式',
    to: '提出先',
    ref: '受付番号（kyoyu）',
    stage: '報告の段階',
    due: '提出期限',
    deadline: '期限の根拠',
    source: '出典',
    item: '項目',
    value: '記入内容',
    empty: '（未記入）',
    occurred: '発生日時',
    aware: '認知日時',
  },
  en: {
    form: 'Reporting form',
    to: 'To',
    ref: 'Reference (kyoyu)',
    stage: 'Stage',
    due: 'Due',
    deadline: 'Deadline',
    source: 'Source',
    item: 'Item',
    value: 'Entry',
    empty: '(not filled in)',
    occurred: 'Occurred',
    aware: 'Became aware',
  },
};

function when(ms: number | undefined | null, regime: Regime): string {
  if (ms === undefined || ms === null) return '';
  const d = new TimeZone(regime.time_zone).local(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.year}-${p(d.month)}-${p(d.day)} ${p(d.hour)}:${p(d.minute)} (${regime.time_zone})`;
}

function label(list: ReadonlyArray<{ code: string; ja: string; en: string }>, code: string, lang: Lang) {
  return list.find((x) => x.code === code)?.[lang] ?? code;
}

/** The value of an item's field, from the incident first and the operator's details second. */
function fieldValue(
  field: string,
  ctx: DutyContext,
  regime: Regime,
  taxonomy: Taxonomy,
  lang: Lang,
  indicators: string[],
): string {
  const i = ctx.incident;
  const t = taxonomy.data;
  switch (field) {
    case 'description':
      return [i.title, i.description].filter(Boolean).join('\n');
    case 'organization':
      return i.organization ?? '';
    case 'stage':
      return i.stage ? label(t.report_stages, i.stage, lang) : '';
    case 'attack_type':
      return i.attack_type ? label(t.attack_types, i.attack_type, lang) : (ctx.details.attack_type ?? '');
    case 'causes': {
      const causes = (i.causes ? i.causes.split(';') : []).map((c) => label(t.causes, c, lang));
      return [...causes, ctx.details.causes].filter(Boolean).join(lang === 'ja' ? '、' : ', ');
    }
    case 'restored_at':
      return when(ctx.times.restored, regime);
    case 'indicators':
      return [...indicators, ctx.details.indicators].filter(Boolean).join('\n');
    default:
      return ctx.details[field] ?? '';
  }
}

export function stageForm(
  regime: Regime,
  stageCode: string,
  ctx: DutyContext,
  taxonomy: Taxonomy,
  lang: Lang,
  indicators: string[],
): StageForm {
  const stage = regime.stages.find((s) => s.code === stageCode)!;
  const h = HEAD[lang];
  const status = dutyOf(regime, ctx, true, Date.now()).stages.find((s) => s.code === stageCode)!;
  return {
    title: `${h.form}: ${regime.name[lang]}（${stage.name[lang]}）`,
    header: [
      [h.to, regime.authority[lang]],
      [h.stage, stage.name[lang]],
      [h.deadline, status.deadline[lang]],
      [h.due, status.due_at ? when(Date.parse(status.due_at), regime) : ''],
      [h.ref, ctx.incident.ref],
      [h.occurred, when(ctx.times.occurred, regime)],
      [h.aware, when(ctx.times.aware, regime)],
      [h.source, regime.source.url],
    ],
    rows: stage.items.map((item) => {
      const def = regime.items[item]!;
      return {
        item,
        label: def[lang],
        value: fieldValue(def.field, ctx, regime, taxonomy, lang, indicators),
      };
    }),
  };
}

const csvCell = (v: string) =>
  /[",\n\r]/.test(v) || /^[=+\-@]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;

export async function renderForm(
  form: StageForm,
  format: 'xlsx' | 'csv' | 'json',
  lang: Lang,
): Promise<Buffer> {
  const h = HEAD[lang];
  if (format === 'json') return Buffer.from(JSON.stringify(form, null, 2));
  if (format === 'csv')
    return Buffer.from(
      '\uFEFF' +
        [[h.item, h.value], ...form.header, ...form.rows.map((r) => [r.label, r.value || h.empty])]
          .map((row) => row.map((c) => csvCell(c)).join(','))
          .join('\r\n') +
        '\r\n',
    );
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(lang === 'ja' ? '報告様式' : 'Form', {
    pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  ws.columns = [{ width: 28 }, { width: 80 }];
  const title = ws.addRow([form.title]);
  title.font = { bold: true, size: 14 };
  ws.mergeCells(title.number, 1, title.number, 2);
  const thin = { style: 'thin' as const };
  const box = { top: thin, left: thin, bottom: thin, right: thin };
  const fill: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8ECF7' } };
  for (const [k, v] of form.header) {
    const r = ws.addRow([k, v]);
    r.getCell(1).font = { bold: true };
    r.eachCell((c) => (c.border = box));
  }
  ws.addRow([]);
  const head = ws.addRow([h.item, h.value]);
  head.font = { bold: true };
  head.eachCell((c) => {
    c.fill = fill;
    c.border = box;
  });
  for (const row of form.rows) {
    const r = ws.addRow([row.label, row.value || h.empty]);
    r.alignment = { vertical: 'top', wrapText: true };
    r.eachCell((c) => (c.border = box));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The export of one stage's form, with the consent rule above; audited (what left, to whom). */
export async function exportStage(
  deps: { database: Database; regimes: RegimeCatalog; taxonomy: Taxonomy; audit: AuditService },
  actor: Actor,
  id: number,
  code: string,
  stageCode: string,
  format: 'xlsx' | 'csv' | 'json',
  lang: Lang,
): Promise<{ body: Buffer; filename: string }> {
  const ctx = (await loadContexts(deps.database.db, [id])).get(id);
  if (!ctx || !canSee(actor, { ...ctx.incident, id })) throw notFound();
  const decision = ctx.decisions.get(code);
  const catalog = await deps.regimes.list();
  const regime =
    catalog.find((r) => r.code === code && r.version === decision?.regime_version) ??
    catalog.filter((r) => r.code === code).at(-1);
  if (!regime) throw new AppError('unknown_regime', `no regime ${code}`);
  if (!regime.stages.some((s) => s.code === stageCode))
    throw new AppError('unknown_stage', `${code} has no stage ${stageCode}`);
  const own = ctx.incident.organization_id === actor.organizationId;
  if (!own && !(decision?.share_with_center === 1))
    throw new AppError('consent_required', 'the reporting organisation has not agreed to share this report');
  const rows = await deps.database.db
    .selectFrom('incident_indicators')
    .select(['type', 'value', 'tlp'])
    .where('incident_id', '=', id)
    .orderBy('id')
    .execute();
  const indicators = receivableIndicators(actor, { ...ctx.incident, id }, rows).map(
    (r) => `${r.type}: ${r.value}`,
  );
  const form = stageForm(regime, stageCode, ctx, deps.taxonomy, lang, indicators);
  await deps.audit.record(whoOf(actor), {
    action: 'obligation.export',
    objectType: 'incident',
    objectId: id,
    details: { regime: code, stage: stageCode, format, by_center: !own && seesEverything(actor) },
  });
  return {
    body: await renderForm(form, format, lang),
    filename: `${ctx.incident.ref}-${code}-${stageCode}.${format}`,
  };
}
