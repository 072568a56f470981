/**
 * The anonymity check of a lesson learned (pure): a lesson is published for everyone, so it must
 * name no operator, directly or through something only that operator has. It looks for
 * - what names a linked incident's organisation: its name (and the name without its legal form),
 *   aliases, domains, host names, addresses, other identifiers, and distinctive details registered
 *   for it; the names of every other registered organisation too;
 * - what identifies whoever it is, by its shape: e-mail and IP addresses, host and domain names,
 *   URLs, telephone numbers, postal codes, incident references;
 * - wording that singles one organisation out of its sector (国内唯一の, the only ... in, 最大手).
 * Matching is on the NFKC form without case, so full-width letters and digits do not slip through.
 */

export type IdentifierKind = 'name' | 'alias' | 'domain' | 'host' | 'address' | 'other' | 'distinctive';

export interface KnownIdentifier {
  kind: IdentifierKind;
  value: string;
  /** Whose it is (an organisation's name), for the finding's message. */
  owner: string;
}

export type FindingKind =
  | IdentifierKind
  | 'email'
  | 'ip_address'
  | 'url'
  | 'hostname'
  | 'phone'
  | 'postal_code'
  | 'incident_ref'
  | 'uniqueness';

export interface AnonymityFinding {
  kind: FindingKind;
  /** The text as it stands in the field. */
  text: string;
  field: string;
  /** Offset in the field's text (UTF-16 code units) and the line (1-based). */
  offset: number;
  line: number;
  /** The organisation it names, when it is a known identifier. */
  owner?: string;
}

/** Legal forms taken off a name to give the name people use (東雲電力株式会社 -> 東雲電力). */
const LEGAL_FORMS = [
  '株式会社',
  '有限会社',
  '合同会社',
  '一般社団法人',
  '一般財団法人',
  '公益社団法人',
  '公益財団法人',
  '独立行政法人',
  '国立研究開発法人',
  '医療法人社団',
  '医療法人',
  '社会福祉法人',
  '学校法人',
  '(株)',
  '㈱',
];

/** The names an organisation goes by: the registered one and, without its legal form, the short one. */
export function namesOf(name: string): string[] {
  let short = name.normalize('NFKC');
  for (const form of LEGAL_FORMS) short = short.split(form.normalize('NFKC')).join(' ');
  short = short.replace(/\s+/g, ' ').trim();
  return [...new Set([name, short])].filter((n) => [...n].length >= 2);
}

/** The text in the form it is matched in, with each position's offset in the original. */
function normalise(text: string): { text: string; offsets: number[] } {
  let out = '';
  const offsets: number[] = [];
  let i = 0;
  for (const ch of text) {
    const n = ch.normalize('NFKC').toLowerCase();
    for (let k = 0; k < n.length; k++) offsets.push(i);
    out += n;
    i += ch.length;
  }
  offsets.push(i);
  return { text: out, offsets };
}

const SHAPES: ReadonlyArray<{ kind: FindingKind; pattern: RegExp }> = [
  { kind: 'email', pattern: /[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}/g },
  { kind: 'url', pattern: /\b(?:https?|ftp):\/\/[^\s)」』）]+/g },
  { kind: 'ip_address', pattern: /\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b/g },
  {
    kind: 'ip_address',
    pattern: /\b(?:[0-9a-f]{1,4}:){3,7}[0-9a-f]{1,4}\b|\b(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4})?\b/g,
  },
  // A name with a known top-level domain (vpn01.example.co.jp, shinonome-denryoku.jp, mail.corp.local).
  {
    kind: 'hostname',
    pattern:
      /\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:jp|com|net|org|local|lan|internal|corp|io|co|info|biz|go\.jp|lg\.jp)\b/g,
  },
  {
    kind: 'phone',
    pattern: /(?<!\d)0\d{1,4}-\d{1,4}-\d{3,4}(?!\d)|\+81[- ]?\d{1,4}[- ]?\d{1,4}[- ]?\d{3,4}/g,
  },
  { kind: 'postal_code', pattern: /〒\s?\d{3}-?\d{4}|(?<![\d-])\d{3}-\d{4}(?![\d-])/g },
  // Incident references as kyoyu writes them (src/domain/readable-ref.ts): KY-2026-CVR1-FZKR-C77.
  { kind: 'incident_ref', pattern: /\bky-?\d{4}-?[0-9a-z]{4}-?[0-9a-z]{4}-?[0-9a-z]{3}\b/g },
  {
    kind: 'uniqueness',
    pattern:
      /(?:国内|県内|都内|府内|道内|市内|地域|業界|管内)?(?:唯一|随一|最大手|最大規模|初めて導入|独自開発)|\b(?:the only|the sole|the largest|the biggest|the single|only one)\b/g,
  },
];

/** Where each occurrence of `needle` (already normalised, non-empty) is in `hay`. */
function occurrences(hay: string, needle: string): number[] {
  const at: number[] = [];
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) at.push(i);
  return at;
}

/**
 * What in the fields (name -> text) could identify an organisation, in field order and then by
 * position; an empty answer means the text passes. A known identifier found by its value is
 * reported once as that (not again as, say, a host name by its shape).
 */
export function checkAnonymity(
  fields: Readonly<Record<string, string>>,
  known: readonly KnownIdentifier[],
): AnonymityFinding[] {
  const findings: AnonymityFinding[] = [];
  const needles = known
    .map((k) => ({ ...k, needle: normalise(k.value).text.trim() }))
    .filter((k) => [...k.needle].length >= 2)
    // Longer first: the full name claims its span before the short name inside it.
    .sort((a, b) => b.needle.length - a.needle.length);
  for (const [field, original] of Object.entries(fields)) {
    const { text, offsets } = normalise(original);
    const taken: Array<[number, number]> = [];
    const overlaps = (s: number, e: number) => taken.some(([a, b]) => s < b && a < e);
    const add = (kind: FindingKind, start: number, end: number, owner?: string) => {
      const offset = offsets[start]!;
      const stop = offsets[end]!;
      const line = original.slice(0, offset).split('\n').length;
      taken.push([start, end]);
      findings.push({
        kind,
        text: original.slice(offset, stop),
        field,
        offset,
        line,
        ...(owner ? { owner } : {}),
      });
    };
    for (const k of needles) {
      for (const at of occurrences(text, k.needle)) {
        if (!overlaps(at, at + k.needle.length)) add(k.kind, at, at + k.needle.length, k.owner);
      }
    }
    for (const { kind, pattern } of SHAPES) {
      for (const m of text.matchAll(pattern)) {
        const start = m.index;
        let end = start + m[0].length;
        // A sentence's punctuation after an address is not part of it.
        while (end > start + 1 && '.,;:!?'.includes(text[end - 1]!)) end--;
        if (!overlaps(start, end)) add(kind, start, end);
      }
    }
  }
  const order = Object.keys(fields);
  return findings.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field) || a.offset - b.offset);
}

/** One line per finding, for an error message: `body_ja, line 2: host name "vpn01.example.jp"`. */
export function describeFinding(f: AnonymityFinding): string {
  return `${f.field}, line ${f.line}: ${f.kind.replace('_', ' ')} "${f.text}"${f.owner ? ` (${f.owner})` : ''}`;
}
