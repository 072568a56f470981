/**
 * Which characters a text field may hold: the one rule behind every text input (report lines from
 * the API, the web form and `kyoyu import`, shares and provisions, stage reports, account and
 * organisation names, emails). Pure and free of dependencies, so that the web UI imports it too.
 *
 * Refused everywhere:
 * - lone surrogates (half of a UTF-16 pair): no Unicode character at all; SQLite stores them as
 *   invalid UTF-8 and PostgreSQL refuses them, so a record would differ between the two databases;
 * - bidirectional controls (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C): they make a
 *   title display in another order than it is stored ("Trojan Source"), so a reviewer reads what
 *   was not written;
 * - zero-width characters (U+200B-U+200D, U+2060, U+FEFF): invisible, they make two titles that look
 *   the same differ, and hide text from search;
 * - C0 and C1 controls and DEL; in one-line fields also line breaks (CR, LF, U+2028, U+2029) and tab.
 * Multi-line text (descriptions, bodies) keeps tab, LF, CR, U+2028 and U+2029.
 */

export type ForbiddenKind = 'control' | 'line_break' | 'lone_surrogate' | 'bidi_control' | 'zero_width';

export interface ForbiddenCharacter {
  /** 'control_character' for controls and line breaks (the code kyoyu always used), else 'forbidden_character'. */
  code: 'control_character' | 'forbidden_character';
  kind: ForbiddenKind;
  /** 1-based position in characters (code points), as a person counts them. */
  position: number;
  /** e.g. U+202E */
  codePoint: string;
  message: string;
}

const BIDI = new Set([0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e]);
const ZERO_WIDTH = new Set([0x200b, 0x200c, 0x200d, 0x2060, 0xfeff]);
const LINE_BREAKS = new Set([0x0a, 0x0d, 0x2028, 0x2029]);

function kindOf(cp: number, multiline: boolean): ForbiddenKind | null {
  if (cp >= 0xd800 && cp <= 0xdfff) return 'lone_surrogate';
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
    if (multiline && (cp === 0x09 || cp === 0x0a || cp === 0x0d)) return null;
    return LINE_BREAKS.has(cp) ? 'line_break' : 'control';
  }
  if (LINE_BREAKS.has(cp)) return multiline ? null : 'line_break';
  if (BIDI.has(cp) || (cp >= 0x2066 && cp <= 0x2069)) return 'bidi_control';
  if (ZERO_WIDTH.has(cp)) return 'zero_width';
  return null;
}

const DESCRIPTION: Record<ForbiddenKind, string> = {
  control: 'a control character',
  line_break: 'a line break, allowed only in multi-line text',
  lone_surrogate: 'half of a UTF-16 surrogate pair, not a character',
  bidi_control: 'a bidirectional control that reorders how text is shown',
  zero_width: 'an invisible zero-width character',
};

export const codePointLabel = (cp: number): string => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

/** The first character the field may not hold, or null when the text is acceptable. */
export function findForbiddenCharacter(text: string, multiline = false): ForbiddenCharacter | null {
  let position = 0;
  for (let i = 0; i < text.length; i++) {
    position++;
    const unit = text.charCodeAt(i);
    if (unit >= 0x20 && unit < 0x7f) continue; // printable ASCII: the common case, at once
    // A high surrogate followed by a low one is one character (an emoji, a rare kanji): fine.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
    }
    const kind = kindOf(unit, multiline);
    if (!kind) continue;
    const codePoint = codePointLabel(unit);
    return {
      code: kind === 'control' || kind === 'line_break' ? 'control_character' : 'forbidden_character',
      kind,
      position,
      codePoint,
      message: `character ${position} (${codePoint}) is not allowed: ${DESCRIPTION[kind]}`,
    };
  }
  return null;
}
