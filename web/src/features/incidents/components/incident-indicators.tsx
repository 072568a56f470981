import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { INDICATOR_TYPE_LABELS } from '../../../../../src/domain/indicators.js';
import { ErrorMessage } from '../../../shared/components/error-message';
import { TlpBadge } from '../../../shared/components/tlp-badge';
import type { Suggestion } from '../api/indicators';
import { adoptIndicators, indicatorsQuery, suggestedQuery } from '../api/indicators';

/** The incident's indicators (those the caller may receive) and the ones its text names, to adopt. */
export function IncidentIndicators({ incidentId }: { incidentId: number }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'ja';
  const client = useQueryClient();
  const stored = useQuery(indicatorsQuery(incidentId));
  const suggested = useQuery(suggestedQuery(incidentId));
  const adopt = useMutation({
    mutationFn: (s: Suggestion) => adoptIndicators(incidentId, [{ type: s.type, value: s.value }]),
    onSuccess: () => client.invalidateQueries({ queryKey: ['incident', incidentId, 'indicators'] }),
  });
  const items = stored.data?.items ?? [];
  const offers = suggested.data?.items ?? [];
  return (
    <section aria-labelledby="indicators-heading">
      <h2 id="indicators-heading">{t('indicators.pageHeading')}</h2>
      {stored.isError && <ErrorMessage error={stored.error} />}
      {stored.data && items.length === 0 && <p>{t('indicators.none')}</p>}
      {items.length > 0 && (
        <table className="indicator-table">
          <thead>
            <tr>
              <th scope="col">{t('indicators.type')}</th>
              <th scope="col">{t('indicators.value')}</th>
              <th scope="col">{t('indicators.tlp')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.id}>
                <td>{INDICATOR_TYPE_LABELS[i.type][lang]}</td>
                <td>
                  <code>{i.value}</code> <span className="hint">({t(`indicators.source_${i.source}`)})</span>
                </td>
                <td>
                  <TlpBadge tlp={i.tlp} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {offers.length > 0 && (
        <>
          <h3>{t('indicators.suggestedHeading')}</h3>
          <ul className="indicator-found">
            {offers.map((s) => (
              <li key={`${s.type}:${s.value}`}>
                <code>{s.value}</code> ({INDICATOR_TYPE_LABELS[s.type][lang]};{' '}
                {s.found_in
                  .map((f) => t(`indicators.foundIn_${f.where}`))
                  .filter((w, k, all) => all.indexOf(w) === k)
                  .join('、')}
                )
                {suggested.data?.may_adopt && (
                  <>
                    {' '}
                    <button
                      type="button"
                      className="secondary"
                      disabled={adopt.isPending}
                      aria-label={`${t('indicators.adopt')} ${s.value}`}
                      onClick={() => adopt.mutate(s)}
                    >
                      {t('indicators.adopt')}
                    </button>
                  </>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      <ErrorMessage error={adopt.error} />
    </section>
  );
}
