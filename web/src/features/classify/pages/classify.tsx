import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, queryString } from '../../../shared/api/client';
import { useTaxonomy } from '../../../shared/api/taxonomy';
import type { ClassificationView, Incident, IncidentPage } from '../../../shared/api/types';
import { useCan } from '../../auth/api/session';
import { ErrorMessage } from '../../../shared/components/error-message';
import { PageHeading } from '../../../shared/components/page-heading';
import { Refused } from '../../../shared/components/refused';
import type { Draft } from '../model/command';
import { NS } from '../../../shared/i18n/dashboard';
import { Link } from '../../../shared/router';
import { Choices, CommandField, complete, draftOf, Facts } from '../components/classify-editor';
import { Impact } from '../components/classify-impact';
import { Shortcuts, useClassifyKeys } from '../components/classify-keys';
import { ReviewQueue } from '../components/classify-queue';
import { incidentQuery, invalidateAfterDecision } from '../../incidents/api/incidents';
import { statsQuery } from '../../statistics/api/stats';
import { ReportContext } from '../components/classify-context';
import type { QueueOrder } from '../model/queue-order';
import { orderQueue } from '../model/queue-order';
import '../../dashboard/components/dashboard.css';
import '../components/classify.css';

const QUEUE_SIZE = 100;

/** `/classify`, for those the server lets classify; anyone else is told so instead of a queue. */
export function ClassifyPage() {
  const { t } = useTranslation(NS);
  const can = useCan();
  if (!can('incidents:classify'))
    return <Refused title={t('classify.title')} message={t('classify.forbidden')} />;
  return <ClassifyWorkspace />;
}

/** The center's review queue: pick an incident, classify it with the keyboard, see the effect on the counts. */
function ClassifyWorkspace() {
  const { t, i18n } = useTranslation(NS);
  const client = useQueryClient();
  const taxonomy = useTaxonomy();
  const [order, setOrder] = useState<QueueOrder>('received_desc');
  // The server picks which QUEUE_SIZE are loaded: the newest, or the oldest waiting when asked (a
  // queue sorted oldest-first in the browser would never show what has waited longest).
  const direction = order === 'received_asc' ? 'asc' : 'desc';
  const queue = useQuery({
    queryKey: ['review-queue', direction],
    queryFn: ({ signal }) =>
      api<IncidentPage>(
        `/incidents${queryString({ review: 'pending', limit: QUEUE_SIZE, sort: 'received', order: direction })}`,
        { signal },
      ),
  });
  // The loaded queue in the order the analyst picked (organisation and sector: the loaded ones); j/k follow it.
  const sectors = taxonomy.data?.sectors;
  const items = useMemo(
    () =>
      orderQueue(queue.data?.items ?? [], order, i18n.language, (code) =>
        (sectors ?? []).findIndex((s) => s.code === code),
      ),
    [queue.data, order, i18n.language, sectors],
  );
  const [active, setActive] = useState(0);
  const [openId, setOpenId] = useState<number | null>(null);
  const [message, setMessage] = useState<{ text: string; kind: 'ok' | 'conflict' } | null>(null);
  const incident = useQuery({ ...incidentQuery(openId), enabled: openId !== null });
  const current = openId !== null ? incident.data : undefined;
  const stats = useQuery({ ...statsQuery(current?.fiscal_year ?? 0), enabled: current !== undefined });

  // The draft belongs to one version of one incident: a newer version (after a 412) starts afresh.
  const baseKey = current ? `${current.id}:${current.version}` : '';
  const [edit, setEdit] = useState<{ key: string; draft: Draft } | null>(null);
  const draft = edit && edit.key === baseKey ? edit.draft : draftOf(current?.classification);
  const setDraft = (next: Draft) => setEdit({ key: baseKey, draft: next });

  const queueRef = useRef<HTMLUListElement>(null);
  const commandRef = useRef<HTMLInputElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  // An incident opened by the user: its heading takes the focus once it has loaded (a screen reader
  // reads its title; the shortcuts keep working, as the focus is in no text field).
  const focusOnLoad = useRef(false);
  useEffect(() => {
    if (current && focusOnLoad.current) {
      focusOnLoad.current = false;
      headingRef.current?.focus();
    }
  }, [current]);
  const index = Math.min(active, Math.max(items.length - 1, 0));

  const save = useMutation({
    mutationFn: ({ id, version, body }: { id: number; version: number; body: ClassificationView }) =>
      api<Incident>(`/incidents/${id}/classification`, {
        method: 'PUT',
        body,
        headers: { 'if-match': `"v${version}"` },
      }),
    onSuccess: (saved) => {
      client.setQueryData(['incident', saved.id], saved);
      setMessage({ kind: 'ok', text: t('classify.saved', { ref: saved.ref }) });
      setOpenId(null);
      invalidateAfterDecision(client);
      queueRef.current?.focus();
    },
    onError: (error, { id }) => {
      if (error instanceof ApiError && error.status === 412) {
        setMessage({ kind: 'conflict', text: t('classify.conflict') });
        void client.invalidateQueries({ queryKey: ['incident', id] });
        void client.invalidateQueries({ queryKey: ['review-queue'] });
      }
    },
  });

  const submit = () => {
    const body = complete(draft);
    if (!current || !body || save.isPending) return;
    setMessage(null);
    save.mutate({ id: current.id, version: current.version, body });
  };

  const open = (i: number) => {
    const item = items[i];
    if (!item) return;
    setActive(i);
    setOpenId(item.id);
    focusOnLoad.current = true;
    setMessage(null);
    save.reset();
  };

  const adoptReporter = () => {
    if (current?.reporter_classification) setDraft(draftOf(current.reporter_classification));
  };

  useClassifyKeys({
    opened: current !== undefined,
    index,
    count: items.length,
    setActive,
    open,
    submit,
    adoptReporter,
    queueRef,
    commandRef,
    formRef,
  });

  return (
    <>
      <PageHeading title={t('classify.title')}>{t('classify.title')}</PageHeading>
      <p role="status" className={message?.kind === 'ok' ? 'status-ok' : undefined}>
        {message?.kind === 'ok' ? message.text : ''}
      </p>
      {message?.kind === 'conflict' && (
        <p className="error" role="alert">
          {message.text}
        </p>
      )}
      <div className="classify">
        <ReviewQueue
          queue={queue}
          items={items}
          index={index}
          openId={openId}
          listRef={queueRef}
          onOpen={open}
          order={order}
          onOrder={(next) => {
            setOrder(next);
            setActive(0);
          }}
        />
        <section aria-labelledby="incident-heading">
          <h2 id="incident-heading" ref={headingRef} tabIndex={-1}>
            {current ? current.title : t('classify.incident')}
          </h2>
          {openId === null && <p className="hint">{t('classify.selectHint')}</p>}
          <ErrorMessage error={incident.error} />
          {openId !== null && incident.isPending && (
            <p role="status">{t('common.loading', { ns: 'translation' })}</p>
          )}
          {current && !current.actions.includes('classify') && (
            <p className="error" role="alert">
              {t('classify.notClassifiable')}
            </p>
          )}
          {current && taxonomy.data && current.actions.includes('classify') && (
            <>
              <Facts incident={current} />
              <ReportContext incident={current} />
              <form
                ref={formRef}
                id="classify-form"
                onSubmit={(e: FormEvent) => {
                  e.preventDefault();
                  submit();
                }}
              >
                <CommandField
                  inputRef={commandRef}
                  taxonomy={taxonomy.data}
                  draft={draft}
                  onDraft={setDraft}
                />
                <Choices taxonomy={taxonomy.data} draft={draft} onDraft={setDraft} />
                <Impact
                  incident={current}
                  stats={stats.data}
                  next={complete(draft)}
                  missing={
                    !draft.event
                      ? t('classify.needEvent')
                      : draft.causes.length === 0
                        ? t('classify.needCauses')
                        : null
                  }
                />
                <ErrorMessage
                  error={save.error instanceof ApiError && save.error.status === 412 ? null : save.error}
                />
                <p className="toolbar">
                  <button type="submit" disabled={!complete(draft) || save.isPending}>
                    {t('classify.save')} <kbd>s</kbd>
                  </button>
                  {current.reporter_classification && (
                    <button type="button" className="secondary" onClick={adoptReporter}>
                      {t('classify.adoptReporter')} <kbd>r</kbd>
                    </button>
                  )}
                  <Link href={`/incidents/${current.id}`}>{current.ref}</Link>
                </p>
              </form>
            </>
          )}
          <Shortcuts />
        </section>
      </div>
    </>
  );
}
