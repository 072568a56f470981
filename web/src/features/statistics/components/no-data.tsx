import { useTranslation } from 'react-i18next';
import { Link } from '../../../shared/router';
import { useCan } from '../../auth/api/session';

/**
 * Said instead of an empty page: the year shown has no figure for this caller. It names the newest
 * year that has one (a link to it on the same page), and outside the center why a running year
 * shows nothing (open quarters are the center's working numbers).
 */
export function NoData({ fy, latest, page }: { fy: number; latest: number | null; page: string }) {
  const { t } = useTranslation();
  const center = useCan()('periods:read');
  return (
    <section className="no-data" role="status" data-testid="no-data">
      <p>{latest === null ? t('landing.noDataAtAll') : t('landing.noDataYear', { fy })}</p>
      {!center && <p className="hint">{t('landing.closedOnly')}</p>}
      {latest !== null && latest !== fy && (
        <p>
          <Link href={`${page}?fy=${latest}`}>{t('landing.showLatest', { fy: latest })}</Link>
        </p>
      )}
    </section>
  );
}
