import type { DerivedRows } from './dialect.js';

/**
 * The insert-select of derived rows as text for a dialect: each `?` of the select becomes
 * `param(value)` for the next of its values, in order, and `{id}` becomes `id()` (the new record's
 * id: a parameter, or an expression inside the statement that inserts it). The select is the
 * module's own constant text, so a `?` or `{id}` never comes from data.
 */
export function derivedInsertText(
  derived: DerivedRows,
  param: (value: unknown) => string,
  id: () => string,
  wrap: (select: string) => string = (select) => select,
): string {
  let next = 0;
  const select = derived.select.replace(/\?|\{id\}/g, (token) => {
    if (token === '{id}') return id();
    if (next >= derived.values.length)
      throw new Error(`derived rows of ${derived.table}: more ? than values`);
    return param(derived.values[next++]);
  });
  if (next !== derived.values.length)
    throw new Error(`derived rows of ${derived.table}: fewer ? than values`);
  const columns = derived.columns.map((c) => `"${c}"`).join(', ');
  return `insert into "${derived.table}" (${columns}) ${wrap(select)}`;
}
