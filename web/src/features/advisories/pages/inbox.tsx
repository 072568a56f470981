import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../shared/components/date-time';
import { ErrorMessage } from '../../../shared/components/error-message';
import { MoreButton } from '../../../shared/components/more-button';
import { PageHeading } from '../../../shared/components/page-heading';
import { TlpBadge } from '../../../shared/components/tlp-badge';
import { Link } from '../../../shared/router';
import { useCan } from '../../auth/api/session';
import type { AdvisoryView } from '../api/advisories';
import { inboxQuery } from '../api/advisories';
import { SeverityBadge, useLocalized } from '../components/badges';
import '../components/advisories.css';

/** 受信した注意喚起: the caller's advisories, newest first; the unread ones marked. */
export function InboxPage() {
  const { t } = useTranslation();
  const can = useCan();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const list = useInfiniteQuery(inboxQuery(unreadOnly));
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const composes = can('advisories:write') || can('shares:agency');
  return (
    <>
      <PageHeading title={t('advisories.inbox.title')}>{t('advisories.inbox.title')}</PageHeading>
      <div className="toolbar">
        <label className="toggle">
          <input type="checkbox" checked={unreadOnly} onChange={(e) => setUnreadOnly(e.target.checked)} />
          {t('advisories.inbox.unreadOnly')}
        </label>
        {composes && (
          <Link className="button" href="/advisories/new">
            {can('advisories:write') ? t('advisories.compose.new') : t('advisories.compose.newShare')}
          </Link>
        )}
      </div>
      <ErrorMessage error={list.error} />
      {list.isPending && <p role="status">{t('common.loading')}</p>}
      {list.data && items.length === 0 && <p>{t('advisories.inbox.empty')}</p>}
      {items.length > 0 && (
        <ul className="advisory-list" aria-label={t('advisories.inbox.title')}>
          {items.map((a) => (
            <InboxItem key={a.id} advisory={a} />
          ))}
        </ul>
      )}
      <MoreButton list={list} label={t('advisories.inbox.more')} />
    </>
  );
}

/** One advisory: unread in bold with a word, not only a dot; what the recipient has done so far. */
function InboxItem({ advisory }: { advisory: AdvisoryView }) {
  const { t } = useTranslation();
  const text = useLocalized();
  const receipt = advisory.receipt;
  const unread = receipt !== null && receipt.read_at === null;
  return (
    <li
      className={unread ? 'advisory unread' : 'advisory'}
      data-advisory-id={advisory.id}
      data-unread={unread || undefined}
    >
      <p className="meta">
        {unread && <span className="count-badge">{t('advisories.inbox.unread')}</span>}
        <SeverityBadge severity={advisory.severity} />
        <TlpBadge tlp={advisory.tlp} />
        <span>{t(`advisories.kinds.${advisory.kind}`)}</span>
        <span className="hint">{advisory.ref}</span>
        <DateTime iso={advisory.published_at} />
        {advisory.revision > 1 && (
          <span className="hint">{t('advisories.revisionN', { n: advisory.revision })}</span>
        )}
      </p>
      <p className="advisory-title">
        <Link href={`/advisories/${advisory.id}`}>{text(advisory.content.title)}</Link>
      </p>
      {receipt && (
        <p className="hint">
          {receipt.acknowledged_at
            ? t('advisories.receipt.acknowledged')
            : t('advisories.receipt.notAcknowledged')}
          {receipt.action_status && ` / ${t(`advisories.statuses.${receipt.action_status}`)}`}
        </p>
      )}
    </li>
  );
}
