import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useLabel } from '../../../shared/api/taxonomy';
import { DateTime } from '../../../shared/components/date-time';
import { ErrorMessage } from '../../../shared/components/error-message';
import { PageHeading } from '../../../shared/components/page-heading';
import { TlpBadge } from '../../../shared/components/tlp-badge';
import { Link } from '../../../shared/router';
import type { AdvisoryView } from '../api/advisories';
import { advisoryQuery, invalidateAdvisories, putReceipt } from '../api/advisories';
import { SeverityBadge, useLocalized } from '../components/badges';
import { AdvisoryContentView } from '../components/content-view';
import { ReceiptPanel } from '../components/receipt-panel';
import { Revisions } from '../components/revisions';
import '../components/advisories.css';

/** One advisory: its content, what the caller's organisation has done with it, its revisions. */
export function AdvisoryPage({ id }: { id: number }) {
  const { t } = useTranslation();
  const text = useLocalized();
  const advisory = useQuery(advisoryQuery(id));
  useMarkRead(advisory.data);
  const back = (
    <p>
      <Link href="/advisories">{t('advisories.back')}</Link>
    </p>
  );
  if (advisory.isPending) return <p role="status">{t('common.loading')}</p>;
  if (advisory.isError)
    return (
      <>
        {back}
        <PageHeading title={t('advisories.one')}>{t('advisories.one')}</PageHeading>
        <ErrorMessage error={advisory.error} />
      </>
    );
  const data = advisory.data;
  const title = text(data.content.title);
  return (
    <>
      {back}
      <PageHeading title={title}>{title}</PageHeading>
      <Summary advisory={data} />
      {(data.actions.includes('follow_up') || data.actions.includes('revise')) && (
        <p className="toolbar">
          {data.actions.includes('follow_up') && (
            <Link className="button" href={`/advisories/${data.id}/follow-up`}>
              {t('advisories.followUp.title')}
            </Link>
          )}
          {data.actions.includes('revise') && (
            <Link className="button secondary" href={`/advisories/${data.id}/revise`}>
              {t('advisories.revise.action')}
            </Link>
          )}
        </p>
      )}
      <AdvisoryContentView content={data.content} />
      {/* After the content: read it, then say so. */}
      {data.receipt && <ReceiptPanel advisory={data} />}
      <Revisions advisoryId={data.id} current={data.revision} />
    </>
  );
}

/** Opening the page is reading it: the organisation's receipt records who read it, once. */
function useMarkRead(advisory: AdvisoryView | undefined) {
  const client = useQueryClient();
  const sent = useRef<number | null>(null);
  useEffect(() => {
    if (!advisory?.receipt || advisory.receipt.read_at || sent.current === advisory.id) return;
    if (!advisory.actions.includes('acknowledge') && !advisory.actions.includes('set_action')) return;
    sent.current = advisory.id;
    void putReceipt(advisory.id, { read: true }).then(() => invalidateAdvisories(client));
  }, [advisory, client]);
}

function Summary({ advisory }: { advisory: AdvisoryView }) {
  const { t } = useTranslation();
  const label = useLabel();
  const { audience } = advisory;
  const to = audience.everyone
    ? t('advisories.audience.everyone')
    : [
        ...audience.sectors.map((s) => label('sectors', s)),
        ...(audience.organizations.length
          ? [t('advisories.audience.organizationsN', { count: audience.organizations.length })]
          : []),
      ].join(t('common.listSeparator')) || t('advisories.audience.center');
  return (
    <dl className="summary advisory-summary">
      <div>
        <dt>{t('incidents.columns.ref')}</dt>
        <dd>{advisory.ref}</dd>
      </div>
      <div>
        <dt>{t('advisories.fields.severity')}</dt>
        <dd>
          <SeverityBadge severity={advisory.severity} />
        </dd>
      </div>
      <div>
        <dt>TLP</dt>
        <dd>
          <TlpBadge tlp={advisory.tlp} />
        </dd>
      </div>
      <div>
        <dt>{t('advisories.fields.kind')}</dt>
        <dd>{t(`advisories.kinds.${advisory.kind}`)}</dd>
      </div>
      <div>
        <dt>{t('advisories.fields.from')}</dt>
        <dd>{advisory.author_organization ?? '—'}</dd>
      </div>
      <div>
        <dt>{t('advisories.fields.audience')}</dt>
        <dd>{to}</dd>
      </div>
      <div>
        <dt>{t('advisories.fields.published')}</dt>
        <dd>
          <DateTime iso={advisory.published_at} />
        </dd>
      </div>
      <div>
        <dt>{t('advisories.fields.revision')}</dt>
        <dd data-testid="advisory-revision">
          {t('advisories.revisionN', { n: advisory.revision })}
          {advisory.revision > 1 && (
            <span className="hint block">
              <DateTime iso={advisory.updated_at} />
            </span>
          )}
        </dd>
      </div>
    </dl>
  );
}
