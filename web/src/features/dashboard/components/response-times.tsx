import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../../shared/api/client';
import { useLabel } from '../../../shared/api/taxonomy';
import { ErrorMessage } from '../../../shared/components/error-message';
import { TableScroll } from '../../../shared/components/table-scroll';
import { Link } from '../../../shared/router';
import type { ResponseTimes } from '../../../../../src/modules/stats/response-times.js';

type Summary = ResponseTimes['intervals'][number];

/** Minutes as 45分 / 2時間15分 / 1日8時間 (45 min / 2 h 15 min / 1 d 8 h). */
export function durationText(minutes: number | null, lang: string): string {
  if (minutes === null) return '—';
  const en = lang === 'en';
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = Math.round(minutes % 60);
  if (d > 0) return en ? `${d} d ${h} h` : `${d}日${h}時間`;
  if (h > 0) return en ? `${h} h ${m} min` : `${h}時間${m}分`;
  return en ? `${m} min` : `${m}分`;
}

/**
 * The quarter's response times (the center's): how long from awareness to the first report, to
 * management, to a headquarters, and from occurrence to restoration; medians and 90th percentiles,
 * for the quarter and per sector, with the slowest escalations to look at.
 */
export function ResponseTimesSection({ fy, quarter }: { fy: number; quarter: number }) {
  const { t, i18n } = useTranslation();
  const label = useLabel();
  const answer = useQuery({
    queryKey: ['stats', 'response-times', fy, quarter],
    queryFn: ({ signal }) =>
      api<ResponseTimes>(`/stats/response-times?fy=${fy}&quarter=${quarter}`, { signal }),
  });
  const lang = i18n.language;
  const cell = (s: Summary | undefined) => (
    <td className="num" data-interval={s?.interval}>
      {s && s.count > 0
        ? `${durationText(s.median_minutes, lang)} / ${durationText(s.p90_minutes, lang)}`
        : '—'}
    </td>
  );
  return (
    <section aria-labelledby="response-times-heading" className="response-times">
      <h2 id="response-times-heading">{t('responseTimes.title', { fy, quarter })}</h2>
      <p className="hint">{t('responseTimes.hint')}</p>
      <ErrorMessage error={answer.error} />
      {answer.data && (
        <>
          <TableScroll label={t('responseTimes.title', { fy, quarter })}>
            <table className="stats" id="response-times">
              <thead>
                <tr>
                  <th scope="col">{t('responseTimes.interval')}</th>
                  <th scope="col">{t('responseTimes.count')}</th>
                  <th scope="col">{t('responseTimes.median')}</th>
                  <th scope="col">{t('responseTimes.p90')}</th>
                </tr>
              </thead>
              <tbody>
                {answer.data.intervals.map((s) => (
                  <tr key={s.interval} data-interval={s.interval}>
                    <th scope="row">{t(`responseTimes.intervals.${s.interval}`)}</th>
                    <td className="num">{s.count}</td>
                    <td className="num">{durationText(s.median_minutes, lang)}</td>
                    <td className="num">{durationText(s.p90_minutes, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          <details>
            <summary>{t('responseTimes.bySector')}</summary>
            <TableScroll label={t('responseTimes.bySector')}>
              <table className="stats" id="response-times-sectors">
                <thead>
                  <tr>
                    <th scope="col">{t('duties.sector')}</th>
                    {answer.data.intervals.map((s) => (
                      <th scope="col" key={s.interval}>
                        {t(`responseTimes.intervals.${s.interval}`)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {answer.data.sectors.map((row) => (
                    <tr key={row.sector ?? '-'}>
                      <th scope="row">{label('sectors', row.sector)}</th>
                      {answer.data.intervals.map((s) =>
                        cell(row.intervals.find((x) => x.interval === s.interval)),
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
            <p className="hint">{t('responseTimes.cellHint')}</p>
          </details>
          {answer.data.slowest_escalations.length > 0 && (
            <p>
              {t('responseTimes.slowest')}:{' '}
              {answer.data.slowest_escalations.slice(0, 5).map((s, i) => (
                <span key={s.id}>
                  {i > 0 && '、'}
                  <Link href={`/incidents/${s.id}`}>{s.ref}</Link> ({durationText(s.minutes, lang)})
                </span>
              ))}
            </p>
          )}
        </>
      )}
    </section>
  );
}
