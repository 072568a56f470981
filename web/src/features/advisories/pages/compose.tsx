import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api/client';
import { labelOf, useTaxonomy } from '../../../shared/api/taxonomy';
import { TLP_LEVELS } from '../../../shared/api/types';
import type { Tlp } from '../../../shared/api/types';
import { ErrorMessage } from '../../../shared/components/error-message';
import { PageHeading } from '../../../shared/components/page-heading';
import { Refused } from '../../../shared/components/refused';
import { Link, navigate } from '../../../shared/router';
import { useCan } from '../../auth/api/session';
import type { AdvisoryBody, AdvisoryView, Severity } from '../api/advisories';
import { SEVERITIES, createAdvisory, invalidateAdvisories } from '../api/advisories';
import { ContentFields } from '../components/content-fields';
import { OrganizationPicker } from '../components/organization-picker';
import type { Draft } from '../model/draft';
import { emptyDraft, problems, toBody } from '../model/draft';
import '../components/advisories.css';
import '../../report/components/report.css';

/**
 * A new advisory (the center: kind advisory, to everyone, to sectors or to organisations) or an
 * agency share (a sector desk: 府省庁からの情報共有, addressed to the center only).
 */
export function ComposePage() {
  const { t } = useTranslation();
  const can = useCan();
  const kind = can('advisories:write') ? 'advisory' : can('shares:agency') ? 'agency_share' : null;
  const title = kind === 'agency_share' ? t('advisories.compose.newShare') : t('advisories.compose.new');
  if (!kind) return <Refused title={title} message={t('access.unavailable')} />;
  return (
    <>
      <p>
        <Link href="/advisories">{t('advisories.back')}</Link>
      </p>
      <PageHeading title={title}>{title}</PageHeading>
      <ComposeForm key={kind} initial={emptyDraft(kind)} />
    </>
  );
}

/**
 * The form of a new advisory or share, and of a revision (`send` and `sendLabel` say which): the
 * fields checked as they are typed, by the server's own rules; on success, the advisory's page.
 */
export function ComposeForm({
  initial,
  send = createAdvisory,
  sendLabel,
}: {
  initial: Draft;
  send?: (body: AdvisoryBody) => Promise<AdvisoryView>;
  sendLabel?: string;
}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [draft, setDraft] = useState(initial);
  const [tried, setTried] = useState(false);
  const create = useMutation({
    mutationFn: send,
    onSuccess: (created) => {
      invalidateAdvisories(client);
      navigate(`/advisories/${created.id}`);
    },
  });
  const found = problems(draft);
  // The typed-in values are checked as they are typed; the missing ones once sending was tried.
  const shown = found.filter((p) => tried || p.key === 'indicator' || p.key === 'url');
  const problemOf = (field: string) => {
    const p = shown.find((x) => x.field === field);
    return p ? t(`advisories.problems.${p.key}`, p.values) : null;
  };
  const update = (change: Partial<Draft>) => setDraft((d) => ({ ...d, ...change }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (found.length === 0) create.mutate(toBody(draft));
  };
  return (
    <form className="report-form advisory-form stack" onSubmit={submit} noValidate>
      <ClassFields draft={draft} update={update} />
      {draft.kind === 'advisory' ? (
        <AudienceFields draft={draft} update={update} problemOf={problemOf} />
      ) : (
        <p className="hint" data-testid="share-audience">
          {t('advisories.compose.toCenter')}
        </p>
      )}
      <ContentFields draft={draft} update={update} problemOf={problemOf} />
      {tried && found.length > 0 && (
        <p className="error" role="alert">
          {t('advisories.problems.summary', { count: found.length })}
        </p>
      )}
      <ErrorMessage error={create.error} />
      <ServerProblems error={create.error} />
      <p>
        <button type="submit" disabled={create.isPending}>
          {sendLabel ??
            (draft.kind === 'advisory' ? t('advisories.compose.send') : t('advisories.compose.sendShare'))}
        </button>
      </p>
    </form>
  );
}

function ClassFields({ draft, update }: { draft: Draft; update: (c: Partial<Draft>) => void }) {
  const { t } = useTranslation();
  return (
    <div className="row wrap">
      <div className="field">
        <label htmlFor="advisory-severity">{t('advisories.fields.severity')}</label>
        <select
          id="advisory-severity"
          value={draft.severity}
          onChange={(e) => update({ severity: e.target.value as Severity })}
        >
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {t(`advisories.severities.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="advisory-tlp">TLP</label>
        <select id="advisory-tlp" value={draft.tlp} onChange={(e) => update({ tlp: e.target.value as Tlp })}>
          {TLP_LEVELS.map((level) => (
            <option key={level} value={level}>
              TLP:{level}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

function AudienceFields({
  draft,
  update,
  problemOf,
}: {
  draft: Draft;
  update: (c: Partial<Draft>) => void;
  problemOf: (field: string) => string | null;
}) {
  const { t, i18n } = useTranslation();
  const taxonomy = useTaxonomy();
  const today = new Date().toISOString().slice(0, 10);
  // Sectors that exist today (the taxonomy keeps the ended ones for history).
  const sectors = (taxonomy.data?.sectors ?? []).filter(
    (s) => (!s.from || s.from <= today) && (!s.to || s.to > today),
  );
  const toggle = (code: string, on: boolean) =>
    update({ sectors: on ? [...draft.sectors, code] : draft.sectors.filter((c) => c !== code) });
  const audienceProblem = problemOf('audience');
  const orgProblem = problemOf('organizations');
  return (
    <fieldset aria-describedby={audienceProblem ? 'audience-problem' : undefined}>
      <legend>{t('advisories.fields.audience')}</legend>
      <div className="choices">
        {(['everyone', 'sectors', 'organizations'] as const).map((choice) => (
          <label key={choice} className="toggle">
            <input
              type="radio"
              name="audience"
              value={choice}
              checked={draft.audience === choice}
              onChange={() => update({ audience: choice })}
            />
            {t(`advisories.audience.${choice}`)}
          </label>
        ))}
      </div>
      {draft.audience === 'sectors' && (
        <fieldset className="sector-choices">
          <legend>{t('advisories.audience.chooseSectors')}</legend>
          <ul>
            {sectors.map((s) => (
              <li key={s.code}>
                <label className="toggle">
                  <input
                    type="checkbox"
                    checked={draft.sectors.includes(s.code)}
                    onChange={(e) => toggle(s.code, e.target.checked)}
                  />
                  {labelOf(s, i18n.language)}
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
      )}
      {draft.audience !== 'everyone' && (
        <OrganizationPicker
          value={draft.organizations}
          onChange={(organizations) => update({ organizations })}
          label={
            draft.audience === 'sectors'
              ? t('advisories.audience.moreOrganizationIds')
              : t('advisories.audience.organizationIds')
          }
          problem={orgProblem}
        />
      )}
      {audienceProblem && (
        <p className="error" id="audience-problem">
          {audienceProblem}
        </p>
      )}
    </fieldset>
  );
}

/** The server's field errors (a 400 with details), each with its field, under the form's message. */
function ServerProblems({ error }: { error: unknown }) {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return null;
  const details = (error.details as Array<{ field?: unknown; message?: unknown }>).filter(
    (d): d is { field: string; message: string } =>
      typeof d.field === 'string' && typeof d.message === 'string',
  );
  if (details.length === 0) return null;
  return (
    <ul className="error">
      {details.map((d, i) => (
        <li key={i}>
          <code>{d.field.replace(/^body\./, '')}</code>: {d.message}
        </li>
      ))}
    </ul>
  );
}
