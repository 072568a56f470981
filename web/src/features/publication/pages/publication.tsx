import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeading } from '../../../shared/components/page-heading';
import { fiscalPeriodOf } from '../../../shared/format/dates';
import { navigate, useLocation } from '../../../shared/router';
import { useCan } from '../../auth/api/session';
import { dataYearsQuery, statsQuery } from '../../statistics/api/stats';
import type { DocumentFormat, Edition, Period } from '../api/publication';
import { documentUrl } from '../api/publication';
import { LessonsPanel } from '../components/lessons-panel';
import { SituationPanel } from '../components/situation-panel';
import './publication.css';

/** The quarter a document is usually made for: the last one that has ended. */
function lastEndedQuarter(now: Date): Period {
  const { fiscalYear, quarter } = fiscalPeriodOf(now);
  return quarter === 1 ? { fy: fiscalYear - 1, quarter: 4 } : { fy: fiscalYear, quarter: quarter - 1 };
}

function periodOf(query: URLSearchParams): Period {
  const fy = Number(query.get('fy'));
  const quarter = Number(query.get('quarter'));
  if (Number.isInteger(fy) && fy >= 1900 && fy <= 9999 && [1, 2, 3, 4].includes(quarter))
    return { fy, quarter };
  return lastEndedQuarter(new Date());
}

const FORMATS: readonly DocumentFormat[] = ['pdf', 'html', 'xlsx'];

/**
 * 公表資料: the quarterly document of a fiscal quarter to download (everyone: its public edition;
 * the center: the full one too), and, for the center, its parts 1 and 3 to prepare.
 */
export function PublicationPage() {
  const { t, i18n } = useTranslation();
  const can = useCan();
  const { query } = useLocation();
  const period = periodOf(query);
  const years = useQuery(dataYearsQuery);
  const stats = useQuery(statsQuery(period.fy));
  const full = can('publication:full:read');
  const [edition, setEdition] = useState<Edition>(full ? 'full' : 'public');
  const [lang, setLang] = useState<'ja' | 'en'>(i18n.language === 'en' ? 'en' : 'ja');
  const quarterState = stats.data?.quarters[period.quarter - 1]?.state;
  // A public edition is of a closed quarter only (the server says so too: 409).
  const blocked = edition === 'public' && quarterState === 'open';
  const choose = (next: Period) =>
    navigate(`/publication?fy=${next.fy}&quarter=${next.quarter}`, { replace: true, keepFocus: true });
  const yearChoices = [...new Set([period.fy, ...(years.data?.years ?? [])])].sort((a, b) => b - a);
  return (
    <>
      <PageHeading title={t('publication.title')}>{t('publication.title')}</PageHeading>
      <p className="hint">{t('publication.intro')}</p>
      <section className="publication-download" aria-labelledby="publication-download">
        <h2 id="publication-download">
          {t('publication.document', { fy: period.fy, quarter: period.quarter })}
        </h2>
        <div className="toolbar publication-choices">
          <label>
            {t('stats.fiscalYear')}
            <select value={period.fy} onChange={(e) => choose({ ...period, fy: Number(e.target.value) })}>
              {yearChoices.map((y) => (
                <option key={y} value={y}>
                  {t('common.fy', { fy: y })}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('publication.quarter')}
            <select
              value={period.quarter}
              onChange={(e) => choose({ ...period, quarter: Number(e.target.value) })}
            >
              {[1, 2, 3, 4].map((q) => (
                <option key={q} value={q}>
                  {t('publication.quarterName', { quarter: q })}
                </option>
              ))}
            </select>
          </label>
          {full && (
            <label>
              {t('publication.edition')}
              <select value={edition} onChange={(e) => setEdition(e.target.value as Edition)}>
                <option value="full">{t('publication.editions.full')}</option>
                <option value="public">{t('publication.editions.public')}</option>
              </select>
            </label>
          )}
          <label>
            {t('publication.language')}
            <select value={lang} onChange={(e) => setLang(e.target.value as 'ja' | 'en')}>
              <option value="ja">日本語</option>
              <option value="en">English</option>
            </select>
          </label>
        </div>
        {quarterState && (
          <p className="hint">
            {t(`publication.quarterStates.${quarterState}`)}{' '}
            {edition === 'public' && t('publication.publicNote')}
          </p>
        )}
        {blocked ? (
          <p role="status" className="publication-blocked">
            {t('publication.notClosed')}
          </p>
        ) : (
          <nav className="downloads" aria-label={t('publication.downloads')}>
            <span>{t('publication.downloads')}:</span>
            {FORMATS.map((format) => (
              <a key={format} href={documentUrl(period, format, edition, lang)} download>
                {t(`publication.formats.${format}`)}
              </a>
            ))}
          </nav>
        )}
      </section>
      {can('situation:read') && <SituationPanel period={period} />}
      {can('lessons:read') && <LessonsPanel period={period} />}
    </>
  );
}
