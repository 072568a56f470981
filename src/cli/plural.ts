const RULES = new Intl.PluralRules('en');

/**
 * A count and its noun in English: `1 line`, `2 lines`, `1 entry`, `3 entries`. The CLI speaks
 * English; the plural form follows the count (CLDR's rule for English), never a fixed "s".
 */
export function counted(n: number, one: string, other = `${one}s`): string {
  return `${n.toLocaleString('en')} ${RULES.select(n) === 'one' ? one : other}`;
}
