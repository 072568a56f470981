import { z } from 'zod';
import { localDate } from '../situation/index.js';

export const DOCUMENT_FORMATS = ['pdf', 'html', 'xlsx'] as const;

export const documentQuery = z.strictObject({
  fy: z.coerce.number().int().min(1900).max(9999).describe('fiscal year, e.g. 2023'),
  quarter: z.coerce.number().int().min(1).max(4),
  format: z.enum(DOCUMENT_FORMATS).default('pdf').describe('xlsx: part 2 (the statistics) only'),
  edition: z
    .enum(['full', 'public'])
    .default('public')
    .describe('full: the center’s; public: TLP:CLEAR material of a closed quarter, small counts suppressed'),
  lang: z.enum(['ja', 'en']).default('ja'),
  issued_on: localDate.optional().describe('the date on the cover (default: today)'),
});

const binary = z
  .custom<Uint8Array>((value) => value instanceof Uint8Array)
  .meta({ type: 'string', format: 'binary' });

export const documentResponse = {
  description: 'the quarterly document: PDF, HTML, or the statistics as XLSX',
  content: {
    'application/pdf': { schema: binary },
    'text/html': { schema: z.string() },
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: binary },
  },
};
