/** The fiscal years the year selectors offer besides those with data: the running one and the nine before. */
const YEARS_OFFERED = 10;

export interface YearChoice {
  /** The year shown; undefined while the years with data are still unknown and none was asked for. */
  fy: number | undefined;
  current: number;
  /** The selector's years, newest first. */
  years: number[];
  /** Whether the shown year has any figure for this caller; undefined while unknown. */
  hasData: boolean | undefined;
  /** The newest year with data (null: none at all; undefined: not known yet). */
  latest: number | null | undefined;
}

/** `?fy=` when it names a plausible fiscal year. */
export function askedYear(query: URLSearchParams): number | undefined {
  const asked = Number(query.get('fy'));
  return query.has('fy') && Number.isInteger(asked) && asked >= 1900 && asked <= 9999 ? asked : undefined;
}

/**
 * The fiscal year a statistics page shows: the one asked for (`?fy=`), else the newest year with
 * figures this caller may see, else the running one (which then says it has no data yet). It
 * depends on the data, never on the date alone: a demo that stops in some past year opens there.
 */
export function chooseYear(
  asked: number | undefined,
  current: number,
  withData: readonly number[] | undefined,
): YearChoice {
  const latest = withData === undefined ? undefined : (withData[0] ?? null);
  const fy = asked ?? (latest === undefined ? undefined : (latest ?? current));
  const offered = new Set(Array.from({ length: YEARS_OFFERED }, (_, i) => current - i));
  for (const y of withData ?? []) offered.add(y);
  if (fy !== undefined) offered.add(fy);
  return {
    fy,
    current,
    years: [...offered].sort((a, b) => b - a),
    hasData: withData === undefined || fy === undefined ? undefined : withData.includes(fy),
    latest,
  };
}
