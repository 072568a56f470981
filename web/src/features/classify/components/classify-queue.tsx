import type { UseQueryResult } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { IncidentPage } from '../../../shared/api/types';
import { useLabel } from '../../../shared/api/taxonomy';
import { DateTime } from '../../../shared/components/date-time';
import { ErrorMessage } from '../../../shared/components/error-message';
import { NS } from '../../../shared/i18n/dashboard';
import type { QueueOrder } from '../model/queue-order';
import { QUEUE_ORDERS } from '../model/queue-order';

/** "12", or "100 / 2,345" when the queue holds more than is loaded ("10,000+" beyond the count's cap). */
function queueCount(page: IncidentPage, shown: number, lang: string): string {
  if (!page.next_cursor || page.total === null) return String(shown);
  return `${shown} / ${page.total.toLocaleString(lang)}${page.total_capped ? '+' : ''}`;
}

/** The review queue: incidents awaiting the center's classification, one highlighted, one perhaps open. */
export function ReviewQueue({
  queue,
  items,
  index,
  openId,
  listRef,
  onOpen,
  order,
  onOrder,
}: {
  queue: UseQueryResult<IncidentPage>;
  items: IncidentPage['items'];
  index: number;
  openId: number | null;
  listRef: React.RefObject<HTMLUListElement | null>;
  onOpen: (i: number) => void;
  order: QueueOrder;
  onOrder: (order: QueueOrder) => void;
}) {
  const { t, i18n } = useTranslation(NS);
  const label = useLabel();

  // The highlighted item stays in view as j/k move it.
  useEffect(() => {
    document.getElementById(`queue-item-${items[index]?.id}`)?.scrollIntoView({ block: 'nearest' });
  }, [index, items]);

  return (
    <section aria-labelledby="queue-heading">
      <h2 id="queue-heading">
        {t('classify.queue')}
        {queue.data && ` (${queueCount(queue.data, items.length, i18n.language)})`}
      </h2>
      <p className="hint">{t('classify.queueHint')}</p>
      {queue.data?.next_cursor && (order === 'organization' || order === 'sector') && (
        <p className="hint">{t('classify.orderShown', { count: items.length })}</p>
      )}
      <p className="queue-sort">
        <label htmlFor="queue-order">{t('classify.order')}</label>
        <select id="queue-order" value={order} onChange={(e) => onOrder(e.target.value as QueueOrder)}>
          {QUEUE_ORDERS.map((o) => (
            <option key={o} value={o}>
              {t(`classify.orders.${o}`)}
            </option>
          ))}
        </select>
      </p>
      <ErrorMessage error={queue.error} />
      {queue.isPending && <p role="status">{t('common.loading', { ns: 'translation' })}</p>}
      {queue.data && items.length === 0 && <p>{t('classify.queueEmpty')}</p>}
      {items.length > 0 && (
        <ul
          ref={listRef}
          className="queue"
          id="review-queue"
          role="listbox"
          tabIndex={0}
          aria-labelledby="queue-heading"
          aria-activedescendant={`queue-item-${items[index]?.id}`}
        >
          {items.map((item, i) => (
            <li
              key={item.id}
              id={`queue-item-${item.id}`}
              role="option"
              aria-selected={i === index}
              className={item.id === openId ? 'open' : undefined}
              data-id={item.id}
              onClick={() => onOpen(i)}
            >
              {item.title}
              <span className="meta" data-testid="queue-context">
                {item.organization ?? '—'} · {label('sectors', item.sector)}
              </span>
              <span className="meta">
                <DateTime iso={item.first_received_at} /> · {item.ref} ·{' '}
                {item.center_classification ? t('classify.changed') : t('classify.unclassified')}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
