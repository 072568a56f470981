import { useTranslation } from 'react-i18next';
import { INDICATOR_TYPES, INDICATOR_TYPE_LABELS } from '../../../../../src/domain/indicators.js';
import type { IndicatorType } from '../../../../../src/domain/indicators.js';
import { TLP_LEVELS } from '../../../../../src/domain/tlp.js';
import type { Tlp } from '../../../shared/api/types';
import type { IndicatorRowDraft } from '../model/report-indicators';
import { foundInText, newRow, rowReason } from '../model/report-indicators';

interface Props {
  rows: IndicatorRowDraft[];
  onChange: (rows: IndicatorRowDraft[]) => void;
  /** The description as typed: what it names is offered, one "add" each. */
  description: string;
}

/** The report form's indicators: a row per indicator, checked as typed, and those the text names. */
export function ReportIndicators({ rows, onChange, description }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'ja';
  const found = foundInText(description, rows);
  const update = (key: number, patch: Partial<IndicatorRowDraft>) =>
    onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  return (
    <fieldset className="report-indicators stack" aria-describedby="indicators-hint">
      <legend>{t('indicators.heading')}</legend>
      <p id="indicators-hint" className="hint">
        {t('indicators.hint')}
      </p>
      {rows.map((row, i) => {
        const reason = rowReason(row);
        const errorId = `indicator-${row.key}-error`;
        return (
          <div key={row.key} className="row indicator-row" data-testid="indicator-row">
            <label>
              {t('indicators.type')}
              <select
                value={row.type}
                onChange={(e) => update(row.key, { type: e.target.value as IndicatorType })}
              >
                {INDICATOR_TYPES.map((type) => (
                  <option key={type} value={type}>
                    {INDICATOR_TYPE_LABELS[type][lang]}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('indicators.value')}
              <input
                value={row.value}
                aria-invalid={reason ? true : undefined}
                aria-describedby={reason ? errorId : undefined}
                onChange={(e) => update(row.key, { value: e.target.value })}
              />
            </label>
            <label>
              {t('indicators.tlp')}
              <select value={row.tlp} onChange={(e) => update(row.key, { tlp: e.target.value as Tlp | '' })}>
                <option value="">{t('indicators.tlpDefault')}</option>
                {TLP_LEVELS.map((tlp) => (
                  <option key={tlp} value={tlp}>
                    TLP:{tlp}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              className="secondary"
              onClick={() => onChange(rows.filter((r) => r.key !== row.key))}
            >
              {t('indicators.remove')}
            </button>
            {reason && (
              <p id={errorId} className="field-error" role="alert">
                {t('indicators.invalid', { n: i + 1, type: row.type, reason })}
              </p>
            )}
          </div>
        );
      })}
      <div className="row">
        <button type="button" className="secondary" onClick={() => onChange([...rows, newRow()])}>
          {t('indicators.addRow')}
        </button>
      </div>
      <section aria-label={t('indicators.found')}>
        <p className="hint">{found.length > 0 ? t('indicators.found') : t('indicators.foundNone')}</p>
        <ul className="indicator-found">
          {found.map((f) => (
            <li key={`${f.type}:${f.value}`}>
              <code>{f.value}</code> ({INDICATOR_TYPE_LABELS[f.type][lang]}){' '}
              <button
                type="button"
                className="secondary"
                aria-label={`${t('indicators.add')} ${f.value}`}
                onClick={() =>
                  onChange([...rows.filter((r) => r.value.trim() !== ''), newRow(f.type, f.value)])
                }
              >
                {t('indicators.add')}
              </button>
            </li>
          ))}
        </ul>
      </section>
    </fieldset>
  );
}
