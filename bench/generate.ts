import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { ReportLine } from '../src/domain/report-line.js';
import { mulberry32 } from '../src/demo/rng.js';
import type { Rng } from '../src/demo/rng.js';
import type { Taxonomy } from '../src/domain/taxonomy.js';

/** A reporting organisation of the benchmark data (fictional). */
export interface BenchOrg {
  name: string;
  sector: string;
}

/** One generated incident: its initial report and, for about 10 %, a final report received later. */
export interface IncidentPlan {
  index: number;
  ref: string;
  org: BenchOrg;
  initial: ReportLine;
  initialMs: number;
  final?: ReportLine;
  finalMs?: number;
}

// FY2019 starts 2019-04-01 00:00 JST; FY2024 ends 2025-04-01 00:00 JST.
export const SPAN_START_MS = Date.UTC(2019, 2, 31, 15, 0, 0);
export const SPAN_END_MS = Date.UTC(2025, 2, 31, 15, 0, 0);
const JST_MS = 9 * 3600_000;
const DAY_MS = 24 * 3600_000;
export const BENCH_SOURCE = 'bench';

// Sectors valid over the whole span (airport and port start later).
const SECTOR_SUFFIX: Record<string, string[]> = {
  information_communication: ['テレコム株式会社', '通信ネットワーク株式会社', 'ネット株式会社'],
  finance: ['銀行', '証券株式会社', '信用金庫'],
  aviation: ['航空株式会社'],
  railway: ['電鉄株式会社', '鉄道株式会社'],
  electricity: ['電力株式会社', 'エナジー株式会社'],
  gas: ['ガス株式会社', '都市ガス株式会社'],
  government: ['市', '県', '町'],
  medical: ['総合病院', '医療センター', '医療法人'],
  water: ['市水道局', '水道企業団'],
  logistics: ['ロジスティクス株式会社', '運輸株式会社'],
  chemical: ['化学工業株式会社', 'ケミカル株式会社'],
  credit: ['カード株式会社', 'クレジット株式会社'],
  petroleum: ['石油株式会社'],
};
const PREFIXES = [
  '東雲',
  '北嶺',
  'さくら',
  '青葉',
  'みらい',
  '白鷺',
  '青嵐',
  '蒼空',
  '若葉',
  '朝凪',
  '山吹',
  '白樺',
  '千草',
  '清流',
  '翔運',
  '緑川',
];

/** ~200 organisations: prefix x sector-specific suffix, round-robin over sectors. */
export function benchOrganizations(count = 200): BenchOrg[] {
  const out: BenchOrg[] = [];
  const sectors = Object.keys(SECTOR_SUFFIX);
  for (let i = 0; out.length < count; i++) {
    const sector = sectors[i % sectors.length]!;
    const suffixes = SECTOR_SUFFIX[sector]!;
    const round = Math.floor(i / sectors.length);
    const prefix = PREFIXES[round % PREFIXES.length]!;
    const suffix = suffixes[Math.floor(round / PREFIXES.length) % suffixes.length]!;
    const name = `${prefix}${suffix}` + (round >= PREFIXES.length * suffixes.length ? ` 第${round}` : '');
    if (!out.some((o) => o.name === name)) out.push({ name, sector });
    else out.push({ name: `${name} ${i}`, sector });
  }
  return out;
}

/** ISO 8601 with an offset: mostly local JST (+09:00), some UTC (Z), whole seconds. */
export function formatInstant(ms: number, rng: Rng): string {
  if (rng.chance(0.2)) return new Date(ms).toISOString().slice(0, 19) + 'Z';
  return new Date(ms + JST_MS).toISOString().slice(0, 19) + '+09:00';
}

/** `YYYY-MM` of an instant in Japan (no DST since 1951). */
export function jstMonth(ms: number): string {
  return new Date(ms + JST_MS).toISOString().slice(0, 7);
}

const PHRASES = [
  '業務端末でマルウェアの検知があった。',
  '外部からの不審な通信を確認した。',
  '当該システムをネットワークから切り離し、影響範囲を調査中。',
  '顧客情報への影響は現時点で確認されていない。',
  '関係機関および所管省庁へ報告済み。',
  'ベンダと連携して復旧作業を進めている。',
  'ログの保全を実施した。',
  '一部サービスの提供を一時停止した。',
];

export interface Vocabulary {
  events: string[];
  causes: string[];
  attackTypes: string[];
}

export function vocabularyOf(taxonomy: Taxonomy): Vocabulary {
  return {
    events: taxonomy.data.events.map((e) => e.code),
    causes: taxonomy.data.causes.map((c) => c.code),
    attackTypes: taxonomy.data.attack_types.map((a) => a.code),
  };
}

function classification(rng: Rng, vocab: Vocabulary) {
  const n = rng.chance(0.7) ? 1 : rng.chance(0.7) ? 2 : 3;
  const causes = rng.shuffle(vocab.causes).slice(0, n);
  return {
    event: rng.pick(vocab.events),
    causes,
    attack_type: rng.chance(0.4) ? rng.pick(vocab.attackTypes) : null,
  };
}

function text(rng: Rng, i: number, stage: string): { title: string; description: string } {
  const parts: string[] = [];
  const n = rng.between(2, 5);
  for (let k = 0; k < n; k++) parts.push(rng.pick(PHRASES));
  return {
    title: `【${stage === 'final' ? '最終報' : '第一報'}】インシデント ${i}`,
    description: parts.join(''),
  };
}

/** A report line for a new incident, for the API phase (a fresh ref, a time in FY2024). */
export function apiLine(rng: Rng, vocab: Vocabulary, org: BenchOrg, ref: string): ReportLine {
  const ms = Date.UTC(2024, 3, 1) + rng.int(360) * DAY_MS + rng.int(DAY_MS / 1000) * 1000;
  return {
    ref,
    channel: 'operator_report',
    received_at: formatInstant(ms, rng),
    organization: org.name,
    sector: org.sector,
    stage: 'initial',
    ...text(rng, 0, 'initial'),
    ...classification(rng, vocab),
  };
}

/** The incidents of the benchmark, deterministic for a seed, in order of their initial report. */
export function* generateIncidents(
  n: number,
  vocab: Vocabulary,
  orgs: readonly BenchOrg[],
  seed = 20240401,
): Generator<IncidentPlan> {
  const rng = mulberry32(seed);
  const step = (SPAN_END_MS - SPAN_START_MS) / n;
  for (let i = 0; i < n; i++) {
    const initialMs = Math.floor((SPAN_START_MS + (i + rng.next()) * step) / 1000) * 1000;
    const org = orgs[rng.int(orgs.length)]!;
    const ref = `BENCH-${String(i).padStart(8, '0')}`;
    const base = { ref, channel: 'operator_report' as const, organization: org.name, sector: org.sector };
    const initial: ReportLine = {
      ...base,
      received_at: formatInstant(initialMs, rng),
      stage: 'initial',
      ...text(rng, i, 'initial'),
      ...classification(rng, vocab),
    };
    const plan: IncidentPlan = { index: i, ref, org, initial, initialMs };
    if (rng.chance(0.1)) {
      const room = SPAN_END_MS - 1000 - initialMs;
      const delay = Math.max(
        1000,
        Math.min(rng.between(3600, 30 * 86400) * 1000, Math.floor(room / 2000) * 1000),
      );
      const finalMs = initialMs + delay;
      // About half of the final reports change the reporter's classification.
      const cls = rng.chance(0.5)
        ? classification(rng, vocab)
        : { event: initial.event, causes: initial.causes, attack_type: initial.attack_type };
      plan.final = {
        ...base,
        received_at: formatInstant(finalMs, rng),
        stage: 'final',
        ...text(rng, i, 'final'),
        ...cls,
      };
      plan.finalMs = finalMs;
    }
    yield plan;
  }
}

/**
 * Writes the JSONL file roughly in order of receipt: a final report comes after the initial reports
 * received before it, so most land in a later import batch than their incident's first line.
 */
export async function writeJsonl(
  path: string,
  plans: Iterable<IncidentPlan>,
  n: number,
): Promise<{ lines: number; bytes: number }> {
  const out = createWriteStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  const step = (SPAN_END_MS - SPAN_START_MS) / n;
  const pending = new Map<number, string[]>();
  let lines = 0;
  let bytes = 0;
  let buffer = '';
  const emit = async (line: string) => {
    buffer += line + '\n';
    lines++;
    if (buffer.length > 1 << 20) {
      bytes += Buffer.byteLength(buffer);
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  };
  for (const plan of plans) {
    await emit(JSON.stringify(plan.initial));
    if (plan.final) {
      const at = Math.max(plan.index + 1, Math.floor((plan.finalMs! - SPAN_START_MS) / step));
      const list = pending.get(at) ?? [];
      list.push(JSON.stringify(plan.final));
      pending.set(at, list);
    }
    const due = pending.get(plan.index);
    if (due) {
      for (const l of due) await emit(l);
      pending.delete(plan.index);
    }
  }
  for (const key of [...pending.keys()].sort((a, b) => a - b))
    for (const l of pending.get(key)!) await emit(l);
  bytes += Buffer.byteLength(buffer);
  out.end(buffer);
  await once(out, 'finish');
  return { lines, bytes };
}
