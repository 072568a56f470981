import type { ReportLine } from '../../domain/report-line.js';
import { parseInstant, reportLineSchema } from '../../domain/report-line.js';
import { toFieldErrors } from '../../domain/field-errors.js';
import type { Taxonomy } from '../../domain/taxonomy.js';
import { fingerprintOf } from '../incidents/index.js';
import type { RawRecord } from './line-readers.js';

export interface LineError {
  line: number;
  field: string;
  code: string;
  message: string;
}

/** A line of an import file after checking: a report ready to store, or what is wrong with it. */
export type CheckedLine =
  | { lineNo: number; ok: true; line: ReportLine; receivedAtMs: number; fingerprint: string }
  | { lineNo: number; ok: false; errors: LineError[] };

/** Everything about one line that needs no database: schema, instant, content fingerprint. */
export class LineChecker {
  private readonly schema;

  constructor(taxonomy: Taxonomy) {
    this.schema = reportLineSchema(taxonomy);
  }

  check(raw: RawRecord): CheckedLine {
    const lineNo = raw.lineNo;
    if (raw.error) return { lineNo, ok: false, errors: [{ line: lineNo, ...raw.error }] };
    const result = this.schema.safeParse(raw.value);
    if (!result.success) {
      return {
        lineNo,
        ok: false,
        errors: toFieldErrors(result.error, raw.value).map((e) => ({ line: lineNo, ...e })),
      };
    }
    const parsed = parseInstant(result.data.received_at);
    if (!parsed.ok) throw new Error(`line ${lineNo}: received_at passed the schema but not the parser`);
    return {
      lineNo,
      ok: true,
      line: result.data,
      receivedAtMs: parsed.epochMs,
      fingerprint: fingerprintOf(result.data, parsed.epochMs),
    };
  }
}
