/**
 * Indicators: the observables a report or an advisory carries (addresses, domains, URLs, file
 * hashes, e-mail addresses) and the references it names (CVE ids, ATT&CK techniques). Each type has
 * one check and one normal form, so that the same indicator written two ways is stored once and
 * exported with one STIX pattern. Pure: the web UI checks with the same rule as the server.
 */

export const INDICATOR_TYPES = [
  'ipv4',
  'ipv6',
  'domain',
  'url',
  'email',
  'md5',
  'sha1',
  'sha256',
  'sha512',
  'cve',
  'attack_technique',
] as const;
export type IndicatorType = (typeof INDICATOR_TYPES)[number];

export const INDICATOR_TYPE_LABELS: Record<IndicatorType, { ja: string; en: string }> = {
  ipv4: { ja: 'IPv4アドレス・範囲', en: 'IPv4 address or range' },
  ipv6: { ja: 'IPv6アドレス・範囲', en: 'IPv6 address or range' },
  domain: { ja: 'ドメイン名', en: 'Domain name' },
  url: { ja: 'URL', en: 'URL' },
  email: { ja: 'メールアドレス', en: 'E-mail address' },
  md5: { ja: 'MD5ハッシュ', en: 'MD5 hash' },
  sha1: { ja: 'SHA-1ハッシュ', en: 'SHA-1 hash' },
  sha256: { ja: 'SHA-256ハッシュ', en: 'SHA-256 hash' },
  sha512: { ja: 'SHA-512ハッシュ', en: 'SHA-512 hash' },
  cve: { ja: 'CVE番号', en: 'CVE id' },
  attack_technique: { ja: 'ATT&CKテクニック', en: 'ATT&CK technique' },
};

/** Either the indicator in its normal form, or why it is not one (English; the API adds ja). */
export type IndicatorCheck = { ok: true; value: string } | { ok: false; reason: string };

const HEX_LENGTH = { md5: 32, sha1: 40, sha256: 64, sha512: 128 } as const;

function checkHash(type: keyof typeof HEX_LENGTH, text: string): IndicatorCheck {
  const length = HEX_LENGTH[type];
  return new RegExp(`^[0-9a-fA-F]{${length}}$`).test(text)
    ? { ok: true, value: text.toLowerCase() }
    : { ok: false, reason: `a ${type.toUpperCase()} hash is ${length} hexadecimal digits` };
}

/** File-name endings that look like top-level domains in free text but are almost never meant as one. */
const FILE_ENDINGS = new Set(
  'exe dll sys bat cmd ps1 vbs js jar py sh txt log csv pdf doc docx xls xlsx ppt pptx zip rar 7z gz tar png jpg jpeg gif bmp htm html php asp aspx json xml yml yaml ini cfg conf bak tmp dat bin iso img msi lnk'.split(
    ' ',
  ),
);

function checkIpv4(text: string): IndicatorCheck {
  const [address, prefix, extra] = text.split('/');
  if (extra !== undefined) return { ok: false, reason: 'more than one "/"' };
  const parts = address!.split('.');
  if (parts.length !== 4) return { ok: false, reason: 'an IPv4 address has four numbers separated by dots' };
  const octets: number[] = [];
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255)
      return { ok: false, reason: `"${part}" is not a number from 0 to 255 without leading zeros` };
    octets.push(Number(part));
  }
  if (prefix === undefined) return { ok: true, value: octets.join('.') };
  if (!/^(0|[1-9]\d?)$/.test(prefix) || Number(prefix) > 32)
    return { ok: false, reason: 'the prefix length of an IPv4 range is 0 to 32' };
  const bits = Number(prefix);
  const value = octets.reduce((n, o) => n * 256 + o, 0);
  const size = 2 ** (32 - bits);
  if (value % size !== 0)
    return { ok: false, reason: `the range's address has host bits set beyond /${bits}` };
  return { ok: true, value: `${octets.join('.')}/${bits}` };
}

/** The eight 16-bit groups of an IPv6 address, or null. An embedded IPv4 tail is accepted. */
function ipv6Groups(address: string): number[] | null {
  let text = address.toLowerCase();
  const v4 = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const checked = checkIpv4(v4[2]!);
    if (!checked.ok) return null;
    const o = checked.value.split('.').map(Number);
    text = `${v4[1]}${((o[0]! << 8) | o[1]!).toString(16)}:${((o[2]! << 8) | o[3]!).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (s: string) => (s === '' ? [] : s.split(':'));
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => parseInt(g, 16));
}

/** RFC 5952: lower case, no leading zeros, the longest run (two or more) of zero groups as "::". */
function formatIpv6(groups: number[]): string {
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length && j - i >= 2) best = { start: i, length: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.start < 0) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}

function checkIpv6(text: string): IndicatorCheck {
  const [address, prefix, extra] = text.split('/');
  if (extra !== undefined) return { ok: false, reason: 'more than one "/"' };
  const groups = ipv6Groups(address!);
  if (!groups)
    return { ok: false, reason: 'not an IPv6 address (eight groups of up to four hex digits, "::" once)' };
  if (prefix === undefined) return { ok: true, value: formatIpv6(groups) };
  if (!/^(0|[1-9]\d{0,2})$/.test(prefix) || Number(prefix) > 128)
    return { ok: false, reason: 'the prefix length of an IPv6 range is 0 to 128' };
  const bits = Number(prefix);
  for (let bit = bits; bit < 128; bit++)
    if ((groups[bit >> 4]! >> (15 - (bit & 15))) & 1)
      return { ok: false, reason: `the range's address has host bits set beyond /${bits}` };
  return { ok: true, value: `${formatIpv6(groups)}/${bits}` };
}

function checkDomain(text: string): IndicatorCheck {
  const trimmed = text.replace(/\.$/, '');
  let ascii: string;
  try {
    // The WHATWG URL parser lower-cases and turns an internationalised name into its xn-- form.
    ascii = new URL(`http://${trimmed}/`).hostname;
  } catch {
    return { ok: false, reason: 'not a domain name' };
  }
  if (ascii !== trimmed.toLowerCase() && [...trimmed].every((c) => c.charCodeAt(0) < 128))
    return { ok: false, reason: 'not a domain name' };
  if (ascii.length > 253) return { ok: false, reason: 'a domain name has at most 253 characters' };
  const labels = ascii.split('.');
  if (labels.length < 2) return { ok: false, reason: 'a domain name has at least two labels (example.jp)' };
  for (const label of labels)
    if (!/^(?!-)[a-z0-9-]{1,63}(?<!-)$/.test(label))
      return { ok: false, reason: `"${label}" is not a domain label (letters, digits, inner hyphens, 1-63)` };
  const top = labels[labels.length - 1]!;
  if (!/^([a-z]{2,63}|xn--[a-z0-9-]{1,59})$/.test(top))
    return { ok: false, reason: `"${top}" is not a top-level domain` };
  return { ok: true, value: ascii };
}

function checkUrl(text: string): IndicatorCheck {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: 'not an absolute URL' };
  }
  if (!['http:', 'https:', 'ftp:'].includes(url.protocol))
    return { ok: false, reason: 'a URL indicator is http, https or ftp' };
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!checkDomain(host).ok && !checkIpv4(host).ok && !checkIpv6(host).ok)
    return { ok: false, reason: `"${url.hostname}" is not a host name or address` };
  return { ok: true, value: url.href };
}

function checkEmail(text: string): IndicatorCheck {
  const at = text.lastIndexOf('@');
  if (at <= 0) return { ok: false, reason: 'an e-mail address is local-part@domain' };
  const local = text.slice(0, at);
  if (local.length > 64 || !/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/.test(local) || /^\.|\.$|\.\./.test(local))
    return { ok: false, reason: `"${local}" is not the local part of an e-mail address` };
  const domain = checkDomain(text.slice(at + 1));
  if (!domain.ok) return domain;
  return { ok: true, value: `${local}@${domain.value}` };
}

/** Checks one indicator of a type and gives its normal form. */
export function checkIndicator(type: IndicatorType, raw: string): IndicatorCheck {
  const text = raw.trim();
  if (text === '') return { ok: false, reason: 'empty' };
  switch (type) {
    case 'md5':
    case 'sha1':
    case 'sha256':
    case 'sha512':
      return checkHash(type, text);
    case 'ipv4':
      return checkIpv4(text);
    case 'ipv6':
      return checkIpv6(text);
    case 'domain':
      return checkDomain(text);
    case 'url':
      return checkUrl(text);
    case 'email':
      return checkEmail(text);
    case 'cve':
      return /^CVE-(199\d|2\d{3})-(0\d{3}|[1-9]\d{3,6})$/i.test(text)
        ? { ok: true, value: text.toUpperCase() }
        : { ok: false, reason: 'a CVE id is CVE-YYYY-NNNN (four or more digits)' };
    case 'attack_technique':
      return /^T\d{4}(\.\d{3})?$/i.test(text)
        ? { ok: true, value: text.toUpperCase() }
        : { ok: false, reason: 'an ATT&CK technique id is T1234 or T1234.001' };
  }
  // Reached only by a type from outside the checked union (an unparsed JSON value).
  return { ok: false, reason: 'unknown indicator type' };
}

/** The STIX 2.1 pattern of an observable indicator; null for CVE ids and techniques (they are objects). */
export function stixPattern(type: IndicatorType, value: string): string | null {
  const quoted = `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  switch (type) {
    case 'ipv4':
      return `[ipv4-addr:value = ${quoted}]`;
    case 'ipv6':
      return `[ipv6-addr:value = ${quoted}]`;
    case 'domain':
      return `[domain-name:value = ${quoted}]`;
    case 'url':
      return `[url:value = ${quoted}]`;
    case 'email':
      return `[email-addr:value = ${quoted}]`;
    case 'md5':
      return `[file:hashes.MD5 = ${quoted}]`;
    case 'sha1':
      return `[file:hashes.'SHA-1' = ${quoted}]`;
    case 'sha256':
      return `[file:hashes.'SHA-256' = ${quoted}]`;
    case 'sha512':
      return `[file:hashes.'SHA-512' = ${quoted}]`;
    case 'cve':
    case 'attack_technique':
      return null;
  }
}

export interface FoundIndicator {
  type: IndicatorType;
  value: string;
  /** Where it was written (0-based, UTF-16 units, in the text with defanging undone: see `refang`). */
  index: number;
  text: string;
}

/** Undoes the usual defanging (hxxp, [.], (.), [dot], [@], [at]) so that written indicators are found. */
export function refang(text: string): string {
  return text
    .replace(/\bhxxp(s?):\/\//gi, 'http$1://')
    .replace(/\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)/gi, '.')
    .replace(/\[@\]|\(@\)|\[at\]|\(at\)/gi, '@')
    .replace(/\[:\]\/\//g, '://');
}

const FINDERS: { type: IndicatorType; pattern: RegExp }[] = [
  { type: 'url', pattern: /\b(?:https?|ftp):\/\/[^\s"'<>\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]+/gi },
  { type: 'email', pattern: /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,63}\b/g },
  { type: 'cve', pattern: /\bCVE-\d{4}-\d{4,7}\b/gi },
  { type: 'attack_technique', pattern: /\bT\d{4}(?:\.\d{3})?\b/g },
  { type: 'sha512', pattern: /\b[0-9a-fA-F]{128}\b/g },
  { type: 'sha256', pattern: /\b[0-9a-fA-F]{64}\b/g },
  { type: 'sha1', pattern: /\b[0-9a-fA-F]{40}\b/g },
  { type: 'md5', pattern: /\b[0-9a-fA-F]{32}\b/g },
  { type: 'ipv4', pattern: /\b\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?\b/g },
  { type: 'ipv6', pattern: /(?<![\w:])(?:[0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F]{0,4}(?:\/\d{1,3})?(?![\w:])/g },
  { type: 'domain', pattern: /\b(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}\b/g },
];

/**
 * Indicators written in a free text (a description, a stage report), in the order written, each
 * once, in its normal form. Text already inside a longer match (the domain of a URL or an e-mail
 * address, a hash inside a longer one) is not offered again; domains that look like file names
 * (report.pdf) are left out.
 */
export function findIndicators(text: string): FoundIndicator[] {
  const source = refang(text);
  const taken: [number, number][] = [];
  const found: FoundIndicator[] = [];
  const seen = new Set<string>();
  for (const { type, pattern } of FINDERS) {
    for (const match of source.matchAll(pattern)) {
      const start = match.index;
      const written = match[0].replace(/[.,;:!?)\]}]+$/, '');
      const end = start + written.length;
      if (taken.some(([s, e]) => start < e && end > s)) continue;
      if (type === 'domain' && FILE_ENDINGS.has(written.split('.').pop()!.toLowerCase())) continue;
      const checked = checkIndicator(type, written);
      if (!checked.ok) continue;
      taken.push([start, end]);
      const key = `${type}\u0000${checked.value}`;
      if (seen.has(key)) continue;
      seen.add(key);
      found.push({ type, value: checked.value, index: start, text: written });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}
