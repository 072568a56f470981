import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../../shared/components/error-message';
import type { ObligationsView } from '../api/obligations';
import type { Fact } from '../api/obligations';
import { afterDutyChange, FACTS, obligationsQuery, saveFacts } from '../api/obligations';
import { DutyCard } from './duty-card';
import { IncidentTimes } from './incident-times';
import './duties.css';

/** The items the forms ask for that no report field holds (data/regimes.json's items' fields). */
const DETAILS = ['impact', 'response', 'systems', 'people_affected', 'personal_data', 'notes'] as const;

/** The incident page's reporting duties: its facts, its organisation's designation, each duty and its stages. */
export function DutiesPanel({ incidentId }: { incidentId: number }) {
  const { t } = useTranslation();
  const duties = useQuery(obligationsQuery(incidentId));
  if (duties.isPending) return null;
  if (duties.isError) return <ErrorMessage error={duties.error} />;
  const view = duties.data;
  return (
    <>
      <IncidentTimes incidentId={incidentId} mayWrite={view.may_write} />
      <section className="duties" aria-labelledby="duties-heading">
        <h2 id="duties-heading">{t('duties.title')}</h2>
        <p className="hint">{t('duties.intro')}</p>
        <p>
          {t('duties.flags')}:{' '}
          {view.flags.length
            ? view.flags.map((f) => t(`duties.flagNames.${f}`)).join('、')
            : t('duties.noFlags')}
        </p>
        {view.may_write ? (
          <FactsForm view={view} />
        ) : (
          <p>
            {t('duties.facts')}:{' '}
            {view.facts.length ? view.facts.map((f) => t(`duties.factNames.${f}`)).join('、') : '—'}
          </p>
        )}
        {view.regimes.length === 0 && <p>{t('duties.none')}</p>}
        {view.regimes.map((d) => (
          <DutyCard
            key={d.code}
            incidentId={incidentId}
            duty={d}
            mayWrite={view.may_write}
            mayExport={view.own_organization || d.share_with_center}
          />
        ))}
      </section>
    </>
  );
}

function FactsForm({ view }: { view: ObligationsView }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const base = useId();
  const [facts, setFacts] = useState<string[]>(
    view.facts.filter((f) => (FACTS as readonly string[]).includes(f)),
  );
  const [details, setDetails] = useState<Record<string, string>>(view.details);
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: () =>
      saveFacts(view.incident_id, {
        facts: facts as Fact[],
        details: Object.fromEntries(Object.entries(details).filter(([, v]) => v.trim() !== '')),
      }),
    onSuccess: (answer) => {
      setSaved(true);
      afterDutyChange(client, answer);
    },
  });
  return (
    <form
      className="duty-facts stack"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <fieldset>
        <legend>{t('duties.facts')}</legend>
        <FactChecks
          facts={facts}
          onChange={(f) => {
            setFacts(f);
            setSaved(false);
          }}
        />
      </fieldset>
      <details>
        <summary>{t('duties.details')}</summary>
        <div className="stack">
          {DETAILS.map((d) => (
            <div key={d} className="stack">
              <label htmlFor={`${base}-${d}`}>{t(`duties.detailNames.${d}`)}</label>
              <textarea
                id={`${base}-${d}`}
                rows={2}
                maxLength={8000}
                value={details[d] ?? ''}
                onChange={(e) => {
                  setDetails({ ...details, [d]: e.target.value });
                  setSaved(false);
                }}
              />
            </div>
          ))}
        </div>
      </details>
      <div className="row">
        <button type="submit" className="secondary" disabled={save.isPending}>
          {t('duties.saveFacts')}
        </button>
        {saved && <span role="status">{t('duties.saved')}</span>}
      </div>
      <ErrorMessage error={save.error} />
    </form>
  );
}

/** The facts as checkboxes (the report form shares them). */
export function FactChecks({
  facts,
  onChange,
}: {
  facts: readonly string[];
  onChange: (facts: string[]) => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="fact-checks">
      {FACTS.map((f) => (
        <label key={f} className="toggle">
          <input
            type="checkbox"
            name="fact"
            value={f}
            checked={facts.includes(f)}
            onChange={(e) => onChange(e.target.checked ? [...facts, f] : facts.filter((x) => x !== f))}
          />
          {t(`duties.factNames.${f}`)}
        </label>
      ))}
    </div>
  );
}
