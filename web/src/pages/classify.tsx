import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useEffect, useEffectEvent, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, queryString } from '../api/client';
import { labelOf, useLabel, useTaxonomy } from '../api/taxonomy';
import type { ClassificationView, Incident, IncidentPage, Labelled, StatTable, Taxonomy } from '../api/types';
import { ErrorMessage } from '../components/error-message';
import { PageHeading } from '../components/page-heading';
import type { Draft } from '../dashboard/command';
import { applyCommand, EMPTY } from '../dashboard/command';
import { impactOf } from '../dashboard/impact';
import { NS } from '../i18n/dashboard';
import { Link } from '../router';
import { statsQuery } from './dashboard';
import '../dashboard/dashboard.css';

const QUEUE_SIZE = 100;

function draftOf(c: ClassificationView | null | undefined): Draft {
  return c ? { event: c.event, causes: [...c.causes], attack_type: c.attack_type } : EMPTY;
}

function complete(draft: Draft): ClassificationView | null {
  return draft.event && draft.causes.length > 0
    ? { event: draft.event, causes: draft.causes, attack_type: draft.attack_type }
    : null;
}

/** A field the keyboard types into: single-letter shortcuts stay out of its way. */
function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return (
    target instanceof HTMLInputElement && !['radio', 'checkbox', 'button', 'submit'].includes(target.type)
  );
}

/** The center's review queue: pick an incident, classify it with the keyboard, see the effect on the counts. */
export function ClassifyPage() {
  const { t } = useTranslation(NS);
  const client = useQueryClient();
  const taxonomy = useTaxonomy();
  const queue = useQuery({
    queryKey: ['review-queue'],
    queryFn: ({ signal }) =>
      api<IncidentPage>(`/incidents${queryString({ review: 'pending', limit: QUEUE_SIZE })}`, { signal }),
  });
  const items = useMemo(() => queue.data?.items ?? [], [queue.data]);
  const [active, setActive] = useState(0);
  const [openId, setOpenId] = useState<number | null>(null);
  const [message, setMessage] = useState<{ text: string; kind: 'ok' | 'conflict' } | null>(null);
  const incident = useQuery({
    queryKey: ['incident', openId],
    queryFn: ({ signal }) => api<Incident>(`/incidents/${openId}`, { signal }),
    enabled: openId !== null,
  });
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
      for (const key of ['stats', 'sectors', 'review-queue', 'incidents', 'audit'])
        void client.invalidateQueries({ queryKey: [key] });
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

  const focusGroup = (name: string) => {
    const form = formRef.current;
    if (!form) return;
    const checked = form.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`);
    (checked ?? form.querySelector<HTMLInputElement>(`input[name="${name}"]`))?.focus();
  };

  const adoptReporter = () => {
    if (current?.reporter_classification) setDraft(draftOf(current.reporter_classification));
  };

  // The page's shortcuts, while focus is not in a text field (Escape leaves one, Ctrl+Enter saves).
  const onKey = useEffectEvent((event: KeyboardEvent) => {
    if (event.altKey || event.metaKey) return;
    if (event.ctrlKey) {
      if (event.key === 'Enter' && current) {
        event.preventDefault();
        submit();
      }
      return;
    }
    if (typing(event.target)) {
      if (event.key === 'Escape') (event.target as HTMLElement).blur();
      return;
    }
    const onControl =
      event.target instanceof HTMLButtonElement ||
      event.target instanceof HTMLAnchorElement ||
      event.target instanceof HTMLSelectElement;
    const keys: Record<string, () => void> = {
      j: () => {
        setActive(Math.min(index + 1, items.length - 1));
        queueRef.current?.focus();
      },
      k: () => {
        setActive(Math.max(index - 1, 0));
        queueRef.current?.focus();
      },
      '/': () => commandRef.current?.focus(),
    };
    if (current) {
      keys.e = () => focusGroup('event');
      keys.c = () => focusGroup('causes');
      keys.a = () => focusGroup('attack_type');
      keys.r = adoptReporter;
      keys.s = submit;
    }
    if (event.key === 'Enter' && !onControl && !(event.target instanceof HTMLInputElement)) {
      event.preventDefault();
      open(index);
      return;
    }
    const action = keys[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKey(event);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);

  // The highlighted item stays in view as j/k move it.
  useEffect(() => {
    document.getElementById(`queue-item-${items[index]?.id}`)?.scrollIntoView({ block: 'nearest' });
  }, [index, items]);

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
        <section aria-labelledby="queue-heading">
          <h2 id="queue-heading">
            {t('classify.queue')}
            {queue.data && ` (${items.length}${queue.data.next_cursor ? '+' : ''})`}
          </h2>
          <p className="hint">{t('classify.queueHint')}</p>
          <ErrorMessage error={queue.error} />
          {queue.isPending && <p role="status">{t('common.loading', { ns: 'translation' })}</p>}
          {queue.data && items.length === 0 && <p>{t('classify.queueEmpty')}</p>}
          {items.length > 0 && (
            <ul
              ref={queueRef}
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
                  onClick={() => open(i)}
                >
                  {item.title}
                  <span className="meta">
                    {item.ref} ·{' '}
                    {t('classify.period_value', { fy: item.fiscal_year, q: item.fiscal_quarter })} ·{' '}
                    {item.center_classification ? t('classify.changed') : t('classify.unclassified')}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="incident-heading">
          <h2 id="incident-heading" ref={headingRef} tabIndex={-1}>
            {current ? current.title : t('classify.incident')}
          </h2>
          {openId === null && <p className="hint">{t('classify.selectHint')}</p>}
          <ErrorMessage error={incident.error} />
          {openId !== null && incident.isPending && (
            <p role="status">{t('common.loading', { ns: 'translation' })}</p>
          )}
          {current && taxonomy.data && (
            <>
              <Facts incident={current} />
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

function Facts({ incident }: { incident: Incident }) {
  const { t } = useTranslation(NS);
  const label = useLabel();
  const classification = (c: ClassificationView | null) =>
    c
      ? [
          label('events', c.event),
          c.causes
            .map((code) => label('causes', code))
            .join(t('common.listSeparator', { ns: 'translation' })),
          c.attack_type ? label('attack_types', c.attack_type) : t('classify.attackNone'),
        ].join(' / ')
      : t('classify.none');
  return (
    <dl className="facts" id="classify-facts">
      <dt>{t('classify.ref')}</dt>
      <dd>{incident.ref}</dd>
      <dt>{t('classify.channel')}</dt>
      <dd>{label('channels', incident.channel)}</dd>
      <dt>{t('classify.sector')}</dt>
      <dd>{label('sectors', incident.sector)}</dd>
      <dt>{t('classify.period')}</dt>
      <dd>{t('classify.period_value', { fy: incident.fiscal_year, q: incident.fiscal_quarter })}</dd>
      <dt>{t('classify.stage')}</dt>
      <dd>{label('report_stages', incident.stage)}</dd>
      <dt>{t('classify.reporter')}</dt>
      <dd data-testid="reporter-classification">{classification(incident.reporter_classification)}</dd>
      <dt>{t('classify.center')}</dt>
      <dd data-testid="center-classification">{classification(incident.center_classification)}</dd>
    </dl>
  );
}

function CommandField({
  inputRef,
  taxonomy,
  draft,
  onDraft,
}: {
  inputRef: React.RefObject<HTMLInputElement | null>;
  taxonomy: Taxonomy;
  draft: Draft;
  onDraft: (draft: Draft) => void;
}) {
  const { t } = useTranslation(NS);
  const [text, setText] = useState('');
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  return (
    <p className="command">
      <label htmlFor="classify-command" className="inline">
        {t('classify.command')} <kbd>/</kbd>
      </label>{' '}
      <input
        ref={inputRef}
        id="classify-command"
        name="command"
        autoComplete="off"
        spellCheck={false}
        value={text}
        aria-describedby="classify-command-hint classify-command-note"
        aria-invalid={note?.ok === false ? true : undefined}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key !== 'Enter' || e.ctrlKey) return;
          e.preventDefault();
          const result = applyCommand(text, draft, taxonomy);
          if ('invalid' in result)
            setNote({ ok: false, text: t('classify.commandInvalid', { part: result.invalid }) });
          else {
            onDraft(result.draft);
            setText('');
            setNote({ ok: true, text: t('classify.commandApplied') });
          }
        }}
      />
      <span className="hint" id="classify-command-hint">
        {' '}
        {t('classify.commandHint')}
      </span>
      <span id="classify-command-note" className={note?.ok === false ? 'error' : 'hint'} aria-live="polite">
        {note ? ` ${note.text}` : ''}
      </span>
    </p>
  );
}

function Choices({
  taxonomy,
  draft,
  onDraft,
}: {
  taxonomy: Taxonomy;
  draft: Draft;
  onDraft: (d: Draft) => void;
}) {
  const { t, i18n } = useTranslation(NS);
  const lang = i18n.language;
  return (
    <>
      <GroupedChoices
        id="choice-event"
        legend={t('classify.event')}
        shortcut="e"
        type="radio"
        name="event"
        groups={taxonomy.event_groups}
        items={taxonomy.events}
        checked={(code) => draft.event === code}
        onChange={(code) => onDraft({ ...draft, event: code })}
      />
      <GroupedChoices
        id="choice-causes"
        legend={t('classify.causes')}
        shortcut="c"
        type="checkbox"
        name="causes"
        groups={taxonomy.cause_groups}
        items={taxonomy.causes}
        checked={(code) => draft.causes.includes(code)}
        onChange={(code, on) =>
          onDraft({ ...draft, causes: on ? [...draft.causes, code] : draft.causes.filter((x) => x !== code) })
        }
      />
      <fieldset id="choice-attack">
        <legend>
          {t('classify.attackType')} <kbd>a</kbd>
        </legend>
        <div className="choices">
          <label>
            <input
              type="radio"
              name="attack_type"
              value=""
              checked={draft.attack_type === null}
              onChange={() => onDraft({ ...draft, attack_type: null })}
            />
            <ChoiceNumber prefix="a" n={0} />
            {t('classify.attackNone')}
          </label>
          {taxonomy.attack_types.map((a, i) => (
            <label key={a.code}>
              <input
                type="radio"
                name="attack_type"
                value={a.code}
                checked={draft.attack_type === a.code}
                onChange={() => onDraft({ ...draft, attack_type: a.code })}
              />
              <ChoiceNumber prefix="a" n={i + 1} />
              {labelOf(a, lang)}
            </label>
          ))}
        </div>
      </fieldset>
    </>
  );
}

/** The number a choice has in the command field (`e3`, `c12`); the label already names the choice. */
function ChoiceNumber({ prefix, n }: { prefix: string; n: number }) {
  return (
    <span className="number" aria-hidden="true">
      {prefix}
      {n}
    </span>
  );
}

/** A taxonomy list as radio buttons or checkboxes under their group headings, numbered in taxonomy order. */
function GroupedChoices({
  id,
  legend,
  shortcut,
  type,
  name,
  groups,
  items,
  checked,
  onChange,
}: {
  id: string;
  legend: string;
  shortcut: string;
  type: 'radio' | 'checkbox';
  name: string;
  groups: Labelled[];
  items: Array<Labelled & { group: string }>;
  checked: (code: string) => boolean;
  onChange: (code: string, on: boolean) => void;
}) {
  const { i18n } = useTranslation(NS);
  return (
    <fieldset id={id}>
      <legend>
        {legend} <kbd>{shortcut}</kbd>
      </legend>
      {groups.map((group) => (
        <div key={group.code}>
          <h4>{labelOf(group, i18n.language)}</h4>
          <div className="choices">
            {items
              .map((item, i) => [item, i + 1] as const)
              .filter(([item]) => item.group === group.code)
              .map(([item, n]) => (
                <label key={item.code}>
                  <input
                    type={type}
                    name={name}
                    value={item.code}
                    checked={checked(item.code)}
                    onChange={(e) => onChange(item.code, e.target.checked)}
                  />
                  <ChoiceNumber prefix={shortcut} n={n} />
                  {labelOf(item, i18n.language)}
                </label>
              ))}
          </div>
        </div>
      ))}
    </fieldset>
  );
}

function Impact({
  incident,
  stats,
  next,
  missing,
}: {
  incident: Incident;
  stats: Parameters<typeof impactOf>[0];
  next: ClassificationView | null;
  missing: string | null;
}) {
  const { t } = useTranslation(NS);
  const label = useLabel();
  const heading = t('classify.impact', { fy: incident.fiscal_year, q: incident.fiscal_quarter });
  const kinds: Record<StatTable, 'channels' | 'events' | 'causes' | 'attack_types'> = {
    channels: 'channels',
    events: 'events',
    causes: 'causes',
    attack_types: 'attack_types',
  };
  const rows = next ? impactOf(stats, incident, incident.classification, next) : [];
  return (
    <section aria-labelledby="impact-heading" className="impact" id="classify-impact">
      <h3 id="impact-heading">{heading}</h3>
      {incident.channel !== 'operator_report' ? (
        <p>{t('classify.impactNotCounted')}</p>
      ) : missing ? (
        <p className="hint">{missing}</p>
      ) : rows.length === 0 ? (
        <p>{t('classify.impactNone')}</p>
      ) : (
        <table className="stats">
          <thead>
            <tr>
              <th scope="col">{t('classify.table')}</th>
              <th scope="col">{t('classify.row')}</th>
              <th scope="col">{t('classify.before')}</th>
              <th scope="col">{t('classify.after')}</th>
              <th scope="col">{t('classify.delta')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={`${row.table}|${row.code}`} data-table={row.table} data-code={row.code}>
                <td>{t(`stats.tables.${row.table}`, { ns: 'translation' })}</td>
                <th scope="row">{label(kinds[row.table], row.code)}</th>
                <td className="before">{row.before}</td>
                <td className="after">{row.after}</td>
                <td className={row.after > row.before ? 'up' : 'down'}>
                  {row.after > row.before ? '+' : ''}
                  {row.after - row.before}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Shortcuts() {
  const { t } = useTranslation(NS);
  const keys: Array<[string[], string]> = [
    [['j', 'k'], 'jk'],
    [['Enter'], 'enter'],
    [['/'], 'slash'],
    [['e'], 'e'],
    [['c'], 'c'],
    [['a'], 'a'],
    [['r'], 'r'],
    [['s'], 's'],
    [['Esc'], 'escape'],
    [['e3 c1,4 a2'], 'numbers'],
  ];
  return (
    <section aria-labelledby="shortcuts-heading" className="shortcuts">
      <h3 id="shortcuts-heading">{t('classify.shortcuts')}</h3>
      <dl>
        {keys.map(([combo, key]) => (
          <div key={key} className="shortcut">
            <dt>
              {combo.map((k, i) => (
                <span key={k}>
                  {i > 0 && ' / '}
                  <kbd>{k}</kbd>
                </span>
              ))}
            </dt>
            <dd>{t(`classify.keys.${key}`)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
