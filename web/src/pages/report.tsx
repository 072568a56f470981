import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent, ReactNode } from 'react';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { labelOf, useTaxonomy } from '../api/taxonomy';
import type { Incident, Taxonomy } from '../api/types';
import { TLP_LEVELS } from '../api/types';
import { useSession } from '../auth/session';
import { ErrorMessage } from '../components/error-message';
import { PageHeading } from '../components/page-heading';
import { Refused } from '../components/refused';
import { TlpBadge } from '../components/tlp-badge';
import { Link } from '../router';
import { settings } from '../settings';
import type { FieldName, FieldProblem, Problems, ReportDraft, ReportMode } from './report-model';
import {
  clearDraft,
  DESCRIPTION_MAX,
  emptyDraft,
  loadDraft,
  ORGANIZATION_MAX,
  randomUuid,
  requestBody,
  saveDraft,
  serverProblems,
  TITLE_MAX,
  validate,
} from './report-model';
import './forms.css';
import './report.css';

const WRITERS = new Set(['operator', 'center_analyst', 'admin']);

/** `/report`: the initial report (第一報) of a new incident. */
export function NewReportPage() {
  const { t } = useTranslation();
  const role = useSession().session?.user.role;
  if (!role || !WRITERS.has(role))
    return <Refused title={t('report.newTitle')} message={t('report.forbidden')} />;
  return <ReportForm mode="new" />;
}

/** `/incidents/{id}/report`: an update (続報) or the final report (最終報) on an incident. */
export function StageReportPage({ id }: { id: number }) {
  const { t } = useTranslation();
  const role = useSession().session?.user.role;
  const incident = useQuery({
    queryKey: ['incident', id],
    queryFn: ({ signal }) => api<Incident>(`/incidents/${id}`, { signal }),
  });
  if (!role || !WRITERS.has(role))
    return <Refused title={t('report.stageTitle')} message={t('report.forbidden')} />;
  if (incident.isPending) return <p role="status">{t('common.loading')}</p>;
  if (incident.isError) {
    return (
      <>
        <PageHeading title={t('report.stageTitle')}>{t('report.stageTitle')}</PageHeading>
        <ErrorMessage error={incident.error} />
        <p>
          <Link href="/incidents">{t('incident.back')}</Link>
        </p>
      </>
    );
  }
  return <ReportForm mode="stage" incident={incident.data} />;
}

/** The incident page's way to the stage report form, for those who may report on it. */
export function AddStageLink({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const user = useSession().session?.user;
  if (!user || incident.channel !== 'operator_report') return null;
  const may =
    user.role === 'center_analyst' ||
    user.role === 'admin' ||
    (user.role === 'operator' && user.organization === incident.organization);
  if (!may) return null;
  return (
    <p>
      <Link href={`/incidents/${incident.id}/report`} className="button-link">
        {t('report.addStage')}
      </Link>
    </p>
  );
}

interface Submitted {
  incident: Incident;
}

function initialDraft(mode: ReportMode, incident?: Incident): ReportDraft {
  const draft = emptyDraft();
  const known = incident?.reporter_classification;
  if (mode === 'stage' && known) {
    draft.event = known.event;
    draft.causes = [...known.causes];
    draft.attack_type = known.attack_type ?? '';
  }
  return draft;
}

function ReportForm({ mode, incident }: { mode: ReportMode; incident?: Incident }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const { session } = useSession();
  const taxonomy = useTaxonomy();
  const user = session?.user.email ?? '';
  const target = incident ? `incident-${incident.id}` : 'new';
  const needsOrganization = mode === 'new' && session?.user.role !== 'operator';

  const [restored] = useState(() => loadDraft(user, target));
  const [draft, setDraft] = useState<ReportDraft>(() => restored ?? initialDraft(mode, incident));
  const [showRestored, setShowRestored] = useState(restored !== null);
  const [touched, setTouched] = useState<Partial<Record<FieldName, boolean>>>(() =>
    restored ? allTouched() : {},
  );
  const [fromServer, setFromServer] = useState<Problems>({});
  const [attempted, setAttempted] = useState(false);
  /** The problems as of the last submit (the fields themselves follow the typing). */
  const [summary, setSummary] = useState<Problems>({});
  const [submitted, setSubmitted] = useState<Submitted | null>(null);
  const attempt = useRef<{ body: string; key: string } | null>(null);
  const inFlight = useRef(false);
  // The version this form reports onto (If-Match); our own stage report moves it on.
  const version = useRef(incident?.version);

  const problems: Problems = { ...validate(draft, mode, needsOrganization), ...fromServer };
  const shown = (name: FieldName): FieldProblem | undefined =>
    attempted || touched[name] ? problems[name] : undefined;

  const change = <K extends FieldName>(name: K, value: ReportDraft[K]) => {
    setDraft((current) => {
      const next = { ...current, [name]: value };
      saveDraft(user, target, next);
      return next;
    });
    setTouched((current) => (current[name] ? current : { ...current, [name]: true }));
    setFromServer((current) => {
      if (!current[name]) return current;
      const rest = { ...current };
      delete rest[name];
      return rest;
    });
  };

  const submit = useMutation({
    mutationFn: async (body: object) => {
      // One key per attempt; the very same request sent again (an answer lost) reuses it.
      const text = JSON.stringify(body);
      if (attempt.current?.body !== text) attempt.current = { body: text, key: randomUuid() };
      const headers: Record<string, string> = { 'idempotency-key': attempt.current.key };
      if (incident) headers['if-match'] = `"v${version.current ?? incident.version}"`;
      const path = incident ? `/incidents/${incident.id}/reports` : '/incidents';
      return api<Incident>(path, { method: 'POST', body, headers });
    },
    onSuccess: (answer) => {
      clearDraft(user, target);
      attempt.current = null;
      version.current = answer.version;
      void client.invalidateQueries({ queryKey: ['incident', answer.id] });
      void client.invalidateQueries({ queryKey: ['incidents'] });
      setSubmitted({ incident: answer });
    },
    onSettled: () => {
      inFlight.current = false;
    },
    onError: (error) => {
      const found = serverProblems(error);
      setFromServer(found);
      setSummary(found);
      if (Object.keys(found).length > 0) setAttempted(true);
    },
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    // A double click: the second one finds the first still on its way.
    if (inFlight.current) return;
    setAttempted(true);
    const local = validate(draft, mode, needsOrganization);
    setSummary(local);
    const first = Object.keys(local)[0] as FieldName | undefined;
    if (first) {
      focusField(first);
      return;
    }
    inFlight.current = true;
    submit.mutate(requestBody(draft, mode, needsOrganization));
  };

  const discard = () => {
    clearDraft(user, target);
    setDraft(initialDraft(mode, incident));
    setTouched({});
    setFromServer({});
    setAttempted(false);
    setSummary({});
    setShowRestored(false);
  };

  if (submitted) {
    return (
      <Confirmation
        mode={mode}
        submitted={submitted}
        onAnother={() => {
          setSubmitted(null);
          discard();
        }}
      />
    );
  }

  const title = mode === 'new' ? t('report.newTitle') : t('report.stageTitle');
  const problemList = Object.keys(summary) as FieldName[];
  const generalError =
    submit.error && Object.keys(serverProblems(submit.error)).length === 0 ? submit.error : null;

  return (
    <>
      {incident && (
        <p>
          <Link href={`/incidents/${incident.id}`}>
            {t('report.stageFor', { ref: incident.ref, title: incident.title })}
          </Link>{' '}
          <TlpBadge tlp={incident.tlp} />
        </p>
      )}
      <PageHeading title={title}>{title}</PageHeading>
      <p className="hint">{t('report.intro')}</p>
      {showRestored && (
        <div className="notice row" role="status">
          <p>{t('report.draftRestored')}</p>
          <button type="button" className="secondary" onClick={discard}>
            {t('report.discardDraft')}
          </button>
        </div>
      )}
      {!taxonomy.data ? (
        taxonomy.isError ? (
          <ErrorMessage error={taxonomy.error} />
        ) : (
          <p role="status">{t('common.loading')}</p>
        )
      ) : (
        <form className="report-form stack" noValidate onSubmit={onSubmit}>
          {/* An alert, read out when a submit finds problems; it changes only with the next submit. */}
          <div id="report-summary" className="summary-slot">
            {problemList.length > 0 && (
              <div className="error-summary" role="alert">
                <p>{t('report.summary', { count: problemList.length })}</p>
                <ul>
                  {problemList.map((name) => (
                    <li key={name}>
                      <a
                        href={`#report-${name}`}
                        onClick={(e) => {
                          e.preventDefault();
                          focusField(name);
                        }}
                      >
                        {fieldLabel(t, name)}: {problemText(t, summary[name]!)}
                      </a>
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </div>
          <Fields
            mode={mode}
            draft={draft}
            change={change}
            touch={(name) => setTouched((c) => (c[name] ? c : { ...c, [name]: true }))}
            shown={shown}
            taxonomy={taxonomy.data}
            needsOrganization={needsOrganization}
          />
          <ErrorMessage error={generalError} />
          <div className="row">
            <button type="submit" disabled={submit.isPending}>
              {submit.isPending ? t('report.submitting') : t('report.submit')}
            </button>
          </div>
        </form>
      )}
    </>
  );
}

function allTouched(): Partial<Record<FieldName, boolean>> {
  return { received_at: true, organization: true, sector: true, title: true, description: true };
}

/** Moves the focus to a field, or to a group's chosen (else first) choice. */
function focusField(name: FieldName): void {
  const group = document.getElementById(`report-${name}-group`);
  const element =
    document.getElementById(`report-${name}`) ??
    group?.querySelector<HTMLInputElement>('input:checked') ??
    group?.querySelector<HTMLInputElement>('input');
  element?.focus();
}

type T = ReturnType<typeof useTranslation>['t'];

function fieldLabel(t: T, name: FieldName): string {
  return t(`report.fields.${name}`);
}

function problemText(t: T, problem: FieldProblem): string {
  return t(`report.errors.${problem.code}`, {
    max: problem.max,
    defaultValue: t('report.errors.invalid_value'),
  });
}

interface FieldsProps {
  mode: ReportMode;
  draft: ReportDraft;
  change: <K extends FieldName>(name: K, value: ReportDraft[K]) => void;
  touch: (name: FieldName) => void;
  shown: (name: FieldName) => FieldProblem | undefined;
  taxonomy: Taxonomy;
  needsOrganization: boolean;
}

function Fields({ mode, draft, change, touch, shown, taxonomy, needsOrganization }: FieldsProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <>
      <Field
        name="received_at"
        label={t('report.fields.received_at')}
        required
        problem={shown('received_at')}
        hint={t('report.fields.received_at_hint', { zone: settings.timeZone })}
      >
        {(a) => (
          <input
            {...a}
            type="datetime-local"
            value={draft.received_at}
            onChange={(e) => change('received_at', e.target.value)}
            onBlur={() => touch('received_at')}
          />
        )}
      </Field>
      {mode === 'stage' && (
        <Choice legend={t('report.fields.stage')} name="stage" required>
          {(['update', 'final'] as const).map((stage) => (
            <label key={stage} className="choice">
              <input
                type="radio"
                name="stage"
                value={stage}
                checked={draft.stage === stage}
                onChange={() => change('stage', stage)}
              />
              <span>{t(`report.stages.${stage}`)}</span>
            </label>
          ))}
        </Choice>
      )}
      {needsOrganization && (
        <Field
          name="organization"
          label={t('report.fields.organization')}
          required
          problem={shown('organization')}
          hint={t('report.fields.organization_hint')}
        >
          {(a) => (
            <input
              {...a}
              type="text"
              maxLength={ORGANIZATION_MAX * 2}
              value={draft.organization}
              onChange={(e) => change('organization', e.target.value)}
              onBlur={() => touch('organization')}
            />
          )}
        </Field>
      )}
      <Field
        name="sector"
        label={t('report.fields.sector')}
        required={mode === 'new'}
        problem={shown('sector')}
      >
        {(a) => (
          <select
            {...a}
            value={draft.sector}
            onChange={(e) => change('sector', e.target.value)}
            onBlur={() => touch('sector')}
          >
            <option value="">
              {mode === 'new' ? t('report.fields.sector_choose') : t('report.fields.sector_keep')}
            </option>
            {taxonomy.sectors.map((s) => (
              <option key={s.code} value={s.code}>
                {labelOf(s, lang)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        name="title"
        label={t('report.fields.title')}
        required={mode === 'new'}
        problem={shown('title')}
        hint={mode === 'stage' ? t('report.fields.title_stage_hint') : undefined}
        count={{ value: draft.title.length, max: TITLE_MAX }}
      >
        {(a) => (
          <input
            {...a}
            type="text"
            value={draft.title}
            onChange={(e) => change('title', e.target.value)}
            onBlur={() => touch('title')}
          />
        )}
      </Field>
      <Field
        name="description"
        label={t('report.fields.description')}
        problem={shown('description')}
        hint={t('report.fields.description_hint')}
        count={{ value: draft.description.length, max: DESCRIPTION_MAX }}
      >
        {(a) => (
          <textarea
            {...a}
            rows={8}
            value={draft.description}
            onChange={(e) => change('description', e.target.value)}
            onBlur={() => touch('description')}
          />
        )}
      </Field>
      <Choice legend={t('report.fields.event')} name="event" required problem={shown('event')}>
        {taxonomy.events.map((event) => {
          const group = taxonomy.event_groups.find((g) => g.code === event.group);
          return (
            <label key={event.code} className="choice">
              <input
                type="radio"
                name="event"
                value={event.code}
                checked={draft.event === event.code}
                onChange={() => change('event', event.code)}
              />
              <span>
                {labelOf(event, lang)}
                {group && group.code !== event.code && (
                  <span className="hint block">{labelOf(group, lang)}</span>
                )}
              </span>
            </label>
          );
        })}
      </Choice>
      <Choice
        legend={t('report.fields.causes')}
        name="causes"
        required
        problem={shown('causes')}
        hint={t('report.fields.causes_hint')}
      >
        {taxonomy.cause_groups.map((group) => (
          <fieldset key={group.code} className="cause-group">
            <legend>{labelOf(group, lang)}</legend>
            {taxonomy.causes
              .filter((cause) => cause.group === group.code)
              .map((cause) => (
                <label key={cause.code} className="choice">
                  <input
                    type="checkbox"
                    name="causes"
                    value={cause.code}
                    checked={draft.causes.includes(cause.code)}
                    onChange={(e) =>
                      change(
                        'causes',
                        e.target.checked
                          ? taxonomy.causes
                              .map((c) => c.code)
                              .filter((c) => c === cause.code || draft.causes.includes(c))
                          : draft.causes.filter((c) => c !== cause.code),
                      )
                    }
                  />
                  <span>{labelOf(cause, lang)}</span>
                </label>
              ))}
          </fieldset>
        ))}
      </Choice>
      <Field name="attack_type" label={t('report.fields.attack_type')} problem={shown('attack_type')}>
        {(a) => (
          <select {...a} value={draft.attack_type} onChange={(e) => change('attack_type', e.target.value)}>
            <option value="">{t('report.fields.attack_none')}</option>
            {taxonomy.attack_types.map((type) => (
              <option key={type.code} value={type.code}>
                {labelOf(type, lang)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {mode === 'new' && (
        <Choice legend={t('report.fields.tlp')} name="tlp" required>
          {TLP_LEVELS.map((tlp) => (
            <label key={tlp} className="choice">
              <input
                type="radio"
                name="tlp"
                value={tlp}
                checked={draft.tlp === tlp}
                onChange={() => change('tlp', tlp)}
              />
              <span>
                <TlpBadge tlp={tlp} /> <span className="hint block">{t(`report.tlpHelp.${tlp}`)}</span>
              </span>
            </label>
          ))}
        </Choice>
      )}
    </>
  );
}

interface ControlProps {
  id: string;
  name: string;
  required?: boolean;
  'aria-required'?: boolean;
  'aria-invalid'?: boolean;
  'aria-describedby': string;
}

/** A labelled control with its hint, character count and error (announced as it changes). */
function Field({
  name,
  label,
  required = false,
  problem,
  hint,
  count,
  children,
}: {
  name: FieldName;
  label: string;
  required?: boolean;
  problem: FieldProblem | undefined;
  hint?: string;
  count?: { value: number; max: number };
  children: (attributes: ControlProps) => ReactNode;
}) {
  const { t } = useTranslation();
  const id = `report-${name}`;
  const describedBy = [hint && `${id}-hint`, count && `${id}-count`, `${id}-error`].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required && <RequiredMark />}
      </label>
      {hint && (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      )}
      {children({
        id,
        name,
        'aria-required': required || undefined,
        'aria-invalid': problem ? true : undefined,
        'aria-describedby': describedBy,
      })}
      {count && (
        <span id={`${id}-count`} className={count.value > count.max ? 'hint over' : 'hint'}>
          {t('report.count', { count: count.value, max: count.max })}
        </span>
      )}
      <FieldError id={`${id}-error`} problem={problem} />
    </div>
  );
}

/** A group of radios or checkboxes: a fieldset with its legend, hint and error. */
function Choice({
  legend,
  name,
  required = false,
  problem,
  hint,
  children,
}: {
  legend: string;
  name: FieldName;
  required?: boolean;
  problem?: FieldProblem | undefined;
  hint?: string;
  children: ReactNode;
}) {
  const id = `report-${name}-group`;
  const describedBy = [hint && `${id}-hint`, `${id}-error`].filter(Boolean).join(' ');
  return (
    <fieldset id={id} className={problem ? 'choices invalid' : 'choices'} aria-describedby={describedBy}>
      <legend>
        {legend}
        {required && <RequiredMark />}
      </legend>
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      <FieldError id={`${id}-error`} problem={problem} />
      <div className="choice-list">{children}</div>
    </fieldset>
  );
}

function RequiredMark() {
  const { t } = useTranslation();
  return (
    <>
      <span aria-hidden="true" className="required">
        ＊
      </span>
      <span className="visually-hidden">（{t('report.required')}）</span>
    </>
  );
}

/** Always rendered, so that a screen reader announces the message when it appears or changes. */
function FieldError({ id, problem }: { id: string; problem: FieldProblem | undefined }) {
  const { t } = useTranslation();
  return (
    <span id={id} className="field-error" aria-live="polite">
      {problem ? problemText(t, problem) : ''}
    </span>
  );
}

function Confirmation({
  mode,
  submitted,
  onAnother,
}: {
  mode: ReportMode;
  submitted: Submitted;
  onAnother: () => void;
}) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  const refId = useId();
  const title = mode === 'new' ? t('report.done.title') : t('report.done.stageTitle');
  useEffect(() => {
    heading.current?.focus();
    document.title = `${title} | kyoyu`;
  }, [title]);
  const { incident } = submitted;
  return (
    <section className="card confirmation" aria-labelledby="report-done">
      <h1 id="report-done" ref={heading} tabIndex={-1}>
        {title}
      </h1>
      <dl>
        <dt id={refId}>{t('report.done.ref')}</dt>
        <dd>
          <strong className="ref" data-testid="report-ref" aria-describedby={refId}>
            {incident.ref}
          </strong>
          <span className="hint block">{t('report.done.refHint')}</span>
        </dd>
      </dl>
      <ul className="actions">
        <li>
          <Link href={`/incidents/${incident.id}`}>{t('report.done.view')}</Link>
        </li>
        <li>
          {mode === 'new' ? (
            <Link href={`/incidents/${incident.id}/report`}>{t('report.done.addStage')}</Link>
          ) : (
            <button type="button" className="secondary" onClick={onAnother}>
              {t('report.done.addStage')}
            </button>
          )}
        </li>
        {mode === 'new' && (
          <li>
            <button type="button" className="secondary" onClick={onAnother}>
              {t('report.done.another')}
            </button>
          </li>
        )}
      </ul>
    </section>
  );
}
