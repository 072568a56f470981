import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SITUATION_SECTIONS } from '../../../../../src/domain/situation.js';
import type { SituationSection } from '../../../../../src/domain/situation.js';
import { ErrorMessage } from '../../../shared/components/error-message';
import { TlpBadge } from '../../../shared/components/tlp-badge';
import type { Tlp } from '../../../../../src/domain/tlp.js';
import { useCan } from '../../auth/api/session';
import type { Period, PullResult, SituationItemView } from '../api/publication';
import {
  addFeed,
  advisoryCandidates,
  feedsQuery,
  invalidatePublication,
  itemsQuery,
  pullFeed,
  saveItem,
} from '../api/publication';

/** Part 1: the quarter's situational items, the candidates first; where candidates come from. */
export function SituationPanel({ period }: { period: Period }) {
  const { t } = useTranslation();
  const can = useCan();
  const items = useQuery(itemsQuery(period));
  const list = items.data ?? [];
  const order = ['candidate', 'accepted', 'dismissed'] as const;
  return (
    <section className="publication-part" aria-labelledby="part-1">
      <h2 id="part-1">{t('publication.part1')}</h2>
      {can('situation:write') && <CandidateSources period={period} />}
      <ErrorMessage error={items.error} />
      {items.data && list.length === 0 && <p>{t('publication.noItems')}</p>}
      {order.map((state) => {
        const inState = list.filter((i) => i.state === state);
        if (inState.length === 0) return null;
        return (
          <div key={state}>
            <h3>
              {t(`publication.itemStates.${state}`)} ({inState.length})
            </h3>
            <ul className="publication-list">
              {inState.map((item) => (
                <SituationEntry key={item.id} item={item} />
              ))}
            </ul>
          </div>
        );
      })}
    </section>
  );
}

function CandidateSources({ period }: { period: Period }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const feeds = useQuery(feedsQuery);
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [result, setResult] = useState<PullResult | null>(null);
  const done = (r: PullResult) => {
    setResult(r);
    return invalidatePublication(client);
  };
  const fromAdvisories = useMutation({ mutationFn: () => advisoryCandidates(period), onSuccess: done });
  const pull = useMutation({ mutationFn: pullFeed, onSuccess: done });
  const add = useMutation({
    mutationFn: () => addFeed(name, url),
    onSuccess: () => {
      setName('');
      setUrl('');
      return client.invalidateQueries({ queryKey: ['situation', 'feeds'] });
    },
  });
  return (
    <details className="publication-sources">
      <summary>{t('publication.candidateSources')}</summary>
      <p>
        <button
          type="button"
          className="secondary"
          disabled={fromAdvisories.isPending}
          onClick={() => fromAdvisories.mutate()}
        >
          {t('publication.fromAdvisories')}
        </button>
      </p>
      {(feeds.data ?? []).length > 0 && (
        <ul className="publication-feeds">
          {feeds.data!.map((f) => (
            <li key={f.id}>
              <span className="feed-name">{f.name}</span> <span className="hint">{f.location}</span>{' '}
              {f.last_result && <span className="hint">({f.last_result})</span>}{' '}
              <button
                type="button"
                className="secondary"
                disabled={pull.isPending}
                onClick={() => pull.mutate(f.id)}
              >
                {t('publication.pull')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="publication-feed-form"
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate();
        }}
      >
        <label>
          {t('publication.feedName')}
          <input value={name} required maxLength={200} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          {t('publication.feedUrl')}
          <input
            type="url"
            value={url}
            required
            placeholder="https://"
            onChange={(e) => setUrl(e.target.value)}
          />
        </label>
        <button type="submit" disabled={add.isPending}>
          {t('publication.addFeed')}
        </button>
      </form>
      {result && <p role="status">{t('publication.pulled', { added: result.added, known: result.known })}</p>}
      <ErrorMessage error={fromAdvisories.error ?? pull.error ?? add.error} />
    </details>
  );
}

/** One item: what it says and cites; a candidate is edited (section, English) and accepted or dismissed. */
function SituationEntry({ item }: { item: SituationItemView }) {
  const { t } = useTranslation();
  const can = useCan();
  const client = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [section, setSection] = useState<SituationSection>(item.section);
  const [titleEn, setTitleEn] = useState(item.title.en);
  const [summaryEn, setSummaryEn] = useState(item.summary.en);
  const save = useMutation({
    mutationFn: (state: SituationItemView['state']) =>
      saveItem(item, {
        state,
        section,
        title: { ...item.title, en: titleEn },
        summary: { ...item.summary, en: summaryEn },
      }),
    onSuccess: () => {
      setEditing(false);
      return invalidatePublication(client);
    },
  });
  const headingId = `item-${item.id}`;
  return (
    <li className={`publication-item item-${item.state}`} aria-labelledby={headingId}>
      <p className="meta">
        <span>{t(`publication.sections.${item.section}`)}</span>
        <span>{item.event_date}</span>
        <TlpBadge tlp={item.tlp as Tlp} />
      </p>
      <p className="item-title" id={headingId}>
        {item.title.ja}
      </p>
      {item.title.en && <p className="hint">{item.title.en}</p>}
      <p>{item.summary.ja}</p>
      <ul className="item-sources">
        {item.sources.map((s) => (
          <li key={s.url}>
            {s.publisher}「{s.title}」({s.published_on}){' '}
            <a href={s.url} rel="noreferrer noopener" target="_blank">
              {s.url}
            </a>
          </li>
        ))}
      </ul>
      {editing && (
        <div className="item-editor">
          <label>
            {t('publication.section')}
            <select value={section} onChange={(e) => setSection(e.target.value as SituationSection)}>
              {SITUATION_SECTIONS.map((s) => (
                <option key={s} value={s}>
                  {t(`publication.sections.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('publication.titleEn')}
            <input value={titleEn} maxLength={300} onChange={(e) => setTitleEn(e.target.value)} />
          </label>
          <label>
            {t('publication.summaryEn')}
            <textarea
              value={summaryEn}
              rows={3}
              maxLength={4000}
              onChange={(e) => setSummaryEn(e.target.value)}
            />
          </label>
        </div>
      )}
      {can('situation:write') && (
        <div
          className="item-actions"
          role="group"
          aria-label={t('publication.decide', { title: item.title.ja })}
        >
          {item.state !== 'accepted' && (
            <button type="button" disabled={save.isPending} onClick={() => save.mutate('accepted')}>
              {t('publication.accept')}
            </button>
          )}
          {item.state === 'accepted' && editing && (
            <button type="button" disabled={save.isPending} onClick={() => save.mutate('accepted')}>
              {t('publication.save')}
            </button>
          )}
          {item.state !== 'dismissed' && (
            <button
              type="button"
              className="secondary"
              disabled={save.isPending}
              onClick={() => save.mutate('dismissed')}
            >
              {t('publication.dismiss')}
            </button>
          )}
          {!editing && (
            <button type="button" className="secondary" onClick={() => setEditing(true)}>
              {t('publication.edit')}
            </button>
          )}
        </div>
      )}
      <ErrorMessage error={save.error} />
    </li>
  );
}
