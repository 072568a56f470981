import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../shared/components/date-time';
import { ErrorMessage } from '../../../shared/components/error-message';
import { MoreButton } from '../../../shared/components/more-button';
import { PageHeading } from '../../../shared/components/page-heading';
import { useCan } from '../../auth/api/session';
import type { IntelItem, TriageState } from '../api/intel';
import { intelQuery, invalidateIntel, setTriage, TRIAGE_STATES } from '../api/intel';
import './intel.css';

/** The STIX types a triage usually looks at; any other is listed under every type. */
const TYPES = ['indicator', 'vulnerability', 'report', 'malware', 'attack-pattern', 'course-of-action'];

/**
 * 受信インテリジェンス: what came in (STIX bundles, the center's TAXII inbox, pulled feeds), oldest
 * first, the untriaged by default; the center accepts or dismisses each, or puts it back.
 */
export function IntelPage() {
  const { t } = useTranslation();
  const [state, setState] = useState<TriageState | 'all'>('new');
  const [type, setType] = useState('');
  const list = useInfiniteQuery(intelQuery(state === 'all' ? undefined : state, type || undefined));
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <PageHeading title={t('intel.title')}>{t('intel.title')}</PageHeading>
      <p className="hint">{t('intel.intro')}</p>
      <div className="toolbar intel-filters">
        <label>
          {t('intel.state')}
          <select value={state} onChange={(e) => setState(e.target.value as TriageState | 'all')}>
            {TRIAGE_STATES.map((s) => (
              <option key={s} value={s}>
                {t(`intel.states.${s}`)}
              </option>
            ))}
            <option value="all">{t('intel.states.all')}</option>
          </select>
        </label>
        <label>
          {t('intel.type')}
          <select value={type} onChange={(e) => setType(e.target.value)}>
            <option value="">{t('intel.anyType')}</option>
            {TYPES.map((ty) => (
              <option key={ty} value={ty}>
                {t(`intel.types.${ty}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorMessage error={list.error} />
      {list.isPending && <p role="status">{t('common.loading')}</p>}
      {list.data && items.length === 0 && <p>{t('intel.empty')}</p>}
      {items.length > 0 && (
        <ul className="intel-list" aria-label={t('intel.title')}>
          {items.map((item) => (
            <IntelEntry key={item.id} item={item} />
          ))}
        </ul>
      )}
      <MoreButton list={list} label={t('intel.more')} />
    </>
  );
}

/** The decisions offered, in this order: accept first, putting back last. */
const DECISIONS: readonly TriageState[] = ['accepted', 'dismissed', 'new'];
/** What the button that moves an object to each state says. */
const DECISION_LABELS: Record<TriageState, string> = {
  accepted: 'intel.accept',
  dismissed: 'intel.dismiss',
  new: 'intel.reopen',
};

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? value : null);

/** One object: what it is and says, where it came from, and the decision on it. */
function IntelEntry({ item }: { item: IntelItem }) {
  const { t } = useTranslation();
  const can = useCan();
  const client = useQueryClient();
  const decide = useMutation({
    mutationFn: (next: TriageState) => setTriage(item.id, next),
    onSettled: () => invalidateIntel(client),
  });
  const o = item.object as Record<string, unknown>;
  const name = text(o.name) ?? item.stix_id;
  const pattern = text(o.pattern);
  const description = text(o.description);
  const headingId = `intel-${item.id}`;
  return (
    <li
      className={`intel-item intel-${item.triage_state}`}
      data-intel-id={item.id}
      aria-labelledby={headingId}
    >
      <p className="meta">
        <span className="intel-type">{t(`intel.types.${item.type}`, { defaultValue: item.type })}</span>
        <span className={`intel-state state-${item.triage_state}`}>
          {t(`intel.states.${item.triage_state}`)}
        </span>
        <span className="hint">
          {t('intel.source')}: {item.source}
        </span>
        <span className="hint">
          {t('intel.received')}: <DateTime iso={item.received_at} />
        </span>
      </p>
      <p className="intel-name" id={headingId}>
        {name}
      </p>
      {pattern && <code className="intel-pattern">{pattern}</code>}
      {description && <p className="intel-description">{description}</p>}
      <p className="hint intel-id">{item.stix_id}</p>
      {can('intel:write') && (
        <div className="intel-actions" role="group" aria-label={t('intel.decide', { name })}>
          {DECISIONS.filter((next) => next !== item.triage_state).map((next) => (
            <button
              key={next}
              type="button"
              className={next === 'accepted' ? undefined : 'secondary'}
              disabled={decide.isPending}
              onClick={() => decide.mutate(next)}
            >
              {t(DECISION_LABELS[next])}
            </button>
          ))}
        </div>
      )}
      <ErrorMessage error={decide.error} />
    </li>
  );
}
