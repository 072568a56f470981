import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChartSpec } from './echart';
import { saveCsv, saveFile } from '../model/download';
import { swatchClass } from '../model/palette';
import { drawsNothing, initiallyShown, MAX_LINES } from '../model/series';
import { NS } from '../../../shared/i18n/dashboard';

// The same chunk the dashboard prefetches as it opens (see ../pages/dashboard.tsx).
const EChart = lazy(() => import('./echart'));

/**
 * A chart with its legend and its two downloads: the picture (PNG, from ECharts) and its data (CSV,
 * made here: the categories as rows, the series as columns, as a spreadsheet reader expects). The
 * legend is HTML (it wraps, so every series is listed without paging) and each entry a toggle: a
 * line chart starts on its largest few series. A chart of nothing but zeros says so in words.
 */
export function ChartFigure({
  id,
  title,
  spec,
  fileBase,
  wide,
  total,
}: {
  id: string;
  title: string;
  spec: ChartSpec;
  fileBase: string;
  wide?: boolean;
  /** Adds a total column to the CSV. */
  total?: boolean;
}) {
  const { t } = useTranslation(NS);
  const [png, setPng] = useState<(() => string) | null>(null);
  // The spec is rebuilt on every render of the parent; the chart redraws only when it really changes.
  const key = JSON.stringify(spec);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const stable = useMemo(() => spec, [key]);
  const initial = useMemo(() => initiallyShown(stable.kind, stable.series), [stable]);
  // The reader's own choice of series, for this spec only (new data starts afresh).
  const [chosen, setChosen] = useState<{ key: string; shown: Set<string> } | null>(null);
  const shown = chosen?.key === key ? chosen.shown : initial;
  const toggle = (name: string) => {
    const next = new Set(shown);
    if (next.has(name)) next.delete(name);
    else next.add(name);
    setChosen({ key, shown: next });
  };
  const empty = drawsNothing(stable.series);
  const hiddenAtFirst =
    stable.kind === 'line' && initial.size < stable.series.filter((s) => !drawsNothing([s])).length;
  // The chart's data: the categories as rows, the series as columns (for the CSV and the table).
  const header = [t('dashboard.item'), ...stable.series.map((s) => s.name)];
  if (total) header.push(t('stats.total', { ns: 'translation' }));
  const rows = stable.categories.map((category, i) => {
    const values = stable.series.map((s) => s.data[i] ?? s.missing?.[i] ?? '—');
    // A total over a hidden figure would reveal it (or understate): it is hidden too.
    const hidden = stable.series.find((s) => s.data[i] === null);
    const sum = hidden
      ? (hidden.missing?.[i] ?? '—')
      : values.reduce<number>((a, b) => a + (typeof b === 'number' ? b : 0), 0);
    return total ? [category, ...values, sum] : [category, ...values];
  });
  const csv = () => saveCsv(`${fileBase}.csv`, [header, ...rows]);
  const summary = t('dashboard.chartSummary', {
    chart: title,
    series: stable.series.map((s) => s.name).join(t('common.listSeparator', { ns: 'translation' })),
  });
  return (
    <figure className={wide ? 'chart wide' : 'chart'} id={id} aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      {empty ? (
        <p className="chart-empty">{t('charts.nothing', { ns: 'translation' })}</p>
      ) : (
        <>
          <ul className="legend" aria-label={t('charts.legend', { ns: 'translation' })}>
            {stable.series.map((s, i) => (
              <li key={s.name}>
                <button
                  type="button"
                  className="legend-item"
                  aria-pressed={shown.has(s.name)}
                  onClick={() => toggle(s.name)}
                >
                  <span className={swatchClass(i)} aria-hidden="true" />
                  {s.name}
                </button>
              </li>
            ))}
          </ul>
          {hiddenAtFirst && (
            <p className="hint">{t('charts.largest', { ns: 'translation', count: MAX_LINES })}</p>
          )}
          {shown.size === 0 && <p className="chart-empty">{t('charts.noneChosen', { ns: 'translation' })}</p>}
          <Suspense
            fallback={
              <p className="echart" role="status">
                {t('dashboard.chartLoading')}
              </p>
            }
          >
            <EChart spec={stable} shown={shown} label={summary} onReady={(f) => setPng(() => f)} />
          </Suspense>
        </>
      )}
      <details className="chart-data">
        <summary>{t('dashboard.showData')}</summary>
        <div className="table-scroll" role="region" aria-label={title} tabIndex={0}>
          <table className="stats">
            <thead>
              <tr>
                {header.map((h) => (
                  <th key={h} scope="col">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map(([category, ...values]) => (
                <tr key={category}>
                  <th scope="row">{category}</th>
                  {values.map((v, i) => (
                    <td key={i}>{v}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
      <p className="chart-downloads">
        <button
          type="button"
          className="secondary"
          disabled={!png || empty}
          aria-label={t('dashboard.downloadPng', { chart: title })}
          onClick={() => png && saveFile(`${fileBase}.png`, png())}
        >
          {t('dashboard.png')}
        </button>
        <button
          type="button"
          className="secondary"
          aria-label={t('dashboard.downloadCsv', { chart: title })}
          onClick={csv}
        >
          {t('dashboard.csv')}
        </button>
      </p>
    </figure>
  );
}
