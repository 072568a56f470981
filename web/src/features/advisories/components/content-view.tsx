import { useTranslation } from 'react-i18next';
import { INDICATOR_TYPE_LABELS } from '../../../../../src/domain/indicators.js';
import { TableScroll } from '../../../shared/components/table-scroll';
import { TlpBadge } from '../../../shared/components/tlp-badge';
import type { AdvisoryContent } from '../api/advisories';
import { useLocalized } from './badges';

/** An advisory's content: body, CVEs, products, indicators, recommended actions, references. */
export function AdvisoryContentView({ content }: { content: AdvisoryContent }) {
  const { t, i18n } = useTranslation();
  const text = useLocalized();
  const lang = i18n.language === 'en' ? 'en' : 'ja';
  return (
    <>
      <section aria-labelledby="advisory-body-heading">
        <h2 id="advisory-body-heading">{t('advisories.fields.body')}</h2>
        <p className="advisory-body">{text(content.body)}</p>
      </section>
      {content.cves.length > 0 && (
        <section aria-labelledby="advisory-cves-heading">
          <h2 id="advisory-cves-heading">{t('advisories.fields.cves')}</h2>
          <ul className="chips">
            {content.cves.map((cve) => (
              <li key={cve}>
                <a href={`https://www.cve.org/CVERecord?id=${cve}`} rel="noreferrer" target="_blank">
                  {cve}
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}
      {content.affected_products.length > 0 && (
        <section aria-labelledby="advisory-products-heading">
          <h2 id="advisory-products-heading">{t('advisories.fields.products')}</h2>
          <TableScroll label={t('advisories.fields.products')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('advisories.fields.vendor')}</th>
                  <th scope="col">{t('advisories.fields.product')}</th>
                  <th scope="col">{t('advisories.fields.versions')}</th>
                </tr>
              </thead>
              <tbody>
                {content.affected_products.map((p, i) => (
                  <tr key={i}>
                    <td>{p.vendor}</td>
                    <td>{p.product}</td>
                    <td>{p.versions || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </section>
      )}
      {content.indicators.length > 0 && (
        <section aria-labelledby="advisory-indicators-heading">
          <h2 id="advisory-indicators-heading">{t('advisories.fields.indicators')}</h2>
          <TableScroll label={t('advisories.fields.indicators')}>
            <table className="indicators">
              <thead>
                <tr>
                  <th scope="col">{t('advisories.fields.indicatorType')}</th>
                  <th scope="col">{t('advisories.fields.indicatorValue')}</th>
                </tr>
              </thead>
              <tbody>
                {content.indicators.map((row, i) => (
                  <tr key={i} data-indicator-type={row.type}>
                    <td>{INDICATOR_TYPE_LABELS[row.type][lang]}</td>
                    <td>
                      <code className="wrap">{row.value}</code> {row.tlp && <TlpBadge tlp={row.tlp} />}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </section>
      )}
      {content.recommended_actions.length > 0 && (
        <section aria-labelledby="advisory-actions-heading">
          <h2 id="advisory-actions-heading">{t('advisories.fields.actions')}</h2>
          <ol>
            {content.recommended_actions.map((a, i) => (
              <li key={i}>{text(a)}</li>
            ))}
          </ol>
        </section>
      )}
      {content.references.length > 0 && (
        <section aria-labelledby="advisory-references-heading">
          <h2 id="advisory-references-heading">{t('advisories.fields.references')}</h2>
          <ul>
            {content.references.map((r, i) => (
              <li key={i}>
                {/^https?:\/\//i.test(r.url) ? (
                  // Only web addresses become links: a javascript: address written in would run here.
                  <a href={r.url} rel="noreferrer" target="_blank">
                    {r.title}
                  </a>
                ) : (
                  `${r.title} (${r.url})`
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
