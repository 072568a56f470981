import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { currentLang } from '../../../shared/i18n';
import type { Fact, Preview } from '../api/obligations';
import { previewQuery } from '../api/obligations';
import { FactChecks } from './duties-panel';
import { DueText } from './duty-card';
import './duties.css';

export interface DutyChoice {
  facts: Fact[];
  /** The proposed regimes the reporter unticked. */
  dropped: string[];
}

/** The duties a new report would have, asked of the server as the form changes. */
export function useDutyPreview(input: {
  sector: string;
  organization?: string;
  occurredAt: string | null;
  detectedAt: string | null;
  facts: Fact[];
  enabled: boolean;
}) {
  return useQuery({
    enabled: input.enabled,
    ...previewQuery({
      facts: input.facts,
      ...(input.sector ? { sector: input.sector } : {}),
      ...(input.organization ? { organization: input.organization } : {}),
      ...(input.occurredAt ? { occurred_at: input.occurredAt } : {}),
      ...(input.detectedAt ? { detected_at: input.detectedAt } : {}),
    }),
    placeholderData: keepPreviousData,
  });
}

/**
 * The report form's reporting duties: the facts, and the duties they make apply with each stage's
 * due time; the reporter keeps those that apply (all, unless unticked). Recorded once the report
 * is filed.
 */
export function DutyPreview({
  preview,
  choice,
  onChange,
}: {
  preview: Preview | undefined;
  choice: DutyChoice;
  onChange: (choice: DutyChoice) => void;
}) {
  const { t } = useTranslation();
  const lang = currentLang();
  return (
    <fieldset className="duty-preview" aria-describedby="duty-preview-intro">
      <legend>{t('duties.title')}</legend>
      <p id="duty-preview-intro" className="hint">
        {t('duties.formIntro')}
      </p>
      <FactChecks
        facts={choice.facts}
        onChange={(facts) => onChange({ ...choice, facts: facts as Fact[] })}
      />
      {preview && preview.flags.length > 0 && (
        <p className="hint">
          {t('duties.flags')}: {preview.flags.map((f) => t(`duties.flagNames.${f}`)).join('、')}
        </p>
      )}
      <div aria-live="polite">
        {preview && preview.regimes.length === 0 && <p className="hint">{t('duties.none')}</p>}
        {preview && preview.regimes.length > 0 && (
          <>
            <h3>{t('duties.proposed')}</h3>
            <ul className="duty-proposals">
              {preview.regimes.map((r) => (
                <li key={r.code} data-regime={r.code}>
                  <label className="toggle">
                    <input
                      type="checkbox"
                      checked={!choice.dropped.includes(r.code)}
                      onChange={(e) =>
                        onChange({
                          ...choice,
                          dropped: e.target.checked
                            ? choice.dropped.filter((c) => c !== r.code)
                            : [...choice.dropped, r.code],
                        })
                      }
                    />
                    <strong>{r.name[lang]}</strong>
                  </label>
                  <span className="hint">
                    {' '}
                    {t('duties.to')}: {r.authority[lang]}
                  </span>
                  <ul>
                    {r.stages
                      .filter((s) => s.state !== 'not_required')
                      .map((s) => (
                        <li key={s.code} data-stage={s.code}>
                          {s.name[lang]}: <DueText stage={s} />{' '}
                          <span className="hint">（{s.deadline[lang]}）</span>
                        </li>
                      ))}
                  </ul>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </fieldset>
  );
}
