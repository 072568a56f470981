import type { Taxonomy } from '../../../shared/api/types.js';

/** The classify page's choices before they are saved (the event and the causes may be missing). */
export interface Draft {
  event: string | null;
  causes: string[];
  attack_type: string | null;
}

export const EMPTY: Draft = { event: null, causes: [], attack_type: null };

/**
 * Reads a command such as `e3 c1,4 a2` (numbers as shown beside the choices; `a0`: not a cyber
 * attack) into a draft; answers the part it could not read instead.
 */
export function applyCommand(
  command: string,
  draft: Draft,
  taxonomy: Taxonomy,
): { draft: Draft } | { invalid: string } {
  let next = { ...draft };
  for (const part of command.trim().split(/\s+/).filter(Boolean)) {
    const m = /^([eca])(\d{1,2}(?:,\d{1,2})*)$/i.exec(part);
    if (!m) return { invalid: part };
    const kind = m[1]!.toLowerCase();
    const numbers = m[2]!.split(',').map(Number);
    if (kind === 'e') {
      const event = numbers.length === 1 ? taxonomy.events[numbers[0]! - 1] : undefined;
      if (!event) return { invalid: part };
      next = { ...next, event: event.code };
    } else if (kind === 'c') {
      const causes = numbers.map((n) => taxonomy.causes[n - 1]?.code);
      if (causes.some((c) => !c)) return { invalid: part };
      next = { ...next, causes: [...new Set(causes as string[])] };
    } else {
      const n = numbers[0]!;
      if (numbers.length !== 1 || n > taxonomy.attack_types.length) return { invalid: part };
      next = { ...next, attack_type: n === 0 ? null : taxonomy.attack_types[n - 1]!.code };
    }
  }
  return { draft: next };
}
