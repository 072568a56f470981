import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../shared/api/client';
import { DateTime } from '../../../shared/components/date-time';
import { ErrorMessage } from '../../../shared/components/error-message';
import { localParts } from '../../../shared/format/dates';
import { localInputToIso } from '../../report/model/report-model';
import type { Timeline } from '../../../../../src/modules/incidents/incident.timeline.js';

/** The times given on their own (src/domain/regimes.ts GIVEN_TIMES), in the order they usually come. */
const GIVEN = [
  'management_informed',
  'hq_established',
  'classified_major',
  'ransom_paid',
  'restored',
] as const;
type Given = (typeof GIVEN)[number];

const pad = (n: number) => String(n).padStart(2, '0');
function toInput(iso: string): string {
  const p = localParts(new Date(iso));
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/**
 * The incident's escalation times (経過の時刻): management informed, headquarters set up,
 * classified as major, ransom paid, service restored. Deadlines count from some of them (DORA from
 * the classification, CIRCIA from the payment) and the response times measure between them.
 * The reporter and the center give them; everyone who sees the incident reads them.
 */
export function IncidentTimes({ incidentId, mayWrite }: { incidentId: number; mayWrite: boolean }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const base = useId();
  const times = useQuery({
    queryKey: ['incident-times', incidentId],
    queryFn: ({ signal }) => api<Timeline>(`/incidents/${incidentId}/times`, { signal }),
  });
  const [edits, setEdits] = useState<Partial<Record<Given, string>>>({});
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: () =>
      api<Timeline>(`/incidents/${incidentId}/times`, {
        method: 'PUT',
        body: Object.fromEntries(
          Object.entries(edits).map(([k, v]) => [`${k}_at`, v ? (localInputToIso(v) ?? v) : null]),
        ),
      }),
    onSuccess: (answer) => {
      client.setQueryData(['incident-times', incidentId], answer);
      setEdits({});
      setSaved(true);
      // Due times count from these.
      void client.invalidateQueries({ queryKey: ['obligations', incidentId] });
      void client.invalidateQueries({ queryKey: ['deadlines'] });
    },
  });
  if (!times.data) return <ErrorMessage error={times.error} />;
  const at = (kind: string) => times.data.times.find((x) => x.kind === kind)?.at;
  return (
    <section aria-labelledby="times-heading" className="incident-times">
      <h2 id="times-heading">{t('times.title')}</h2>
      <p className="hint">{t('times.hint')}</p>
      {!mayWrite ? (
        <dl className="summary">
          {GIVEN.filter((k) => at(k)).map((k) => (
            <div key={k}>
              <dt>{t(`times.kinds.${k}`)}</dt>
              <dd>
                <DateTime iso={at(k)!} />
              </dd>
            </div>
          ))}
          {GIVEN.every((k) => !at(k)) && <p>{t('times.none')}</p>}
        </dl>
      ) : (
        <form
          className="times-form"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <div className="times-grid">
            {GIVEN.map((k) => (
              <label key={k} htmlFor={`${base}-${k}`}>
                {t(`times.kinds.${k}`)}
                <input
                  id={`${base}-${k}`}
                  type="datetime-local"
                  value={edits[k] ?? (at(k) ? toInput(at(k)!) : '')}
                  onChange={(e) => {
                    setEdits({ ...edits, [k]: e.target.value });
                    setSaved(false);
                  }}
                />
              </label>
            ))}
          </div>
          <ErrorMessage error={save.error} />
          <div className="row">
            <button
              type="submit"
              className="secondary"
              disabled={save.isPending || Object.keys(edits).length === 0}
            >
              {t('times.save')}
            </button>
            {saved && <span role="status">{t('duties.saved')}</span>}
          </div>
        </form>
      )}
    </section>
  );
}
