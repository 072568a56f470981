import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A list of rows the writer adds and removes (CVEs, products, indicators, ...): a fieldset with its
 * legend, each row's fields and a remove button named after the row, and one add button.
 */
export function RowList<T>({
  id,
  legend,
  rows,
  empty,
  onChange,
  render,
  hint,
}: {
  id: string;
  legend: string;
  rows: T[];
  empty: NoInfer<T>;
  onChange: (rows: T[]) => void;
  render: (row: T, index: number, set: (row: T) => void) => ReactNode;
  hint?: string;
}) {
  const { t } = useTranslation();
  const set = (index: number) => (row: T) => onChange(rows.map((r, i) => (i === index ? row : r)));
  return (
    <fieldset className="row-list" data-rows={id}>
      <legend>{legend}</legend>
      {hint && <p className="hint">{hint}</p>}
      {rows.map((row, i) => (
        <div className="row-item" key={i} data-row={`${id}-${i}`}>
          {render(row, i, set(i))}
          <button
            type="button"
            className="secondary remove"
            aria-label={t('advisories.compose.removeRow', { what: legend, n: i + 1 })}
            onClick={() => onChange(rows.filter((_, j) => j !== i))}
          >
            {t('advisories.compose.remove')}
          </button>
        </div>
      ))}
      <p>
        <button type="button" className="secondary" onClick={() => onChange([...rows, empty])}>
          {t('advisories.compose.add', { what: legend })}
        </button>
      </p>
    </fieldset>
  );
}

/** A labelled input in a row, with its problem (if any) said next to it and tied to it. */
export function RowField({
  id,
  label,
  value,
  onChange,
  problem,
  wide,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  problem?: string | null;
  wide?: boolean;
}) {
  return (
    <div className={wide ? 'field wide' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={value}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-problem` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {problem && (
        <span className="error" id={`${id}-problem`}>
          {problem}
        </span>
      )}
    </div>
  );
}
