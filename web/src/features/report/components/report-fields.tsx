import type { ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { labelOf } from '../../../shared/api/taxonomy';
import type { Taxonomy } from '../../../shared/api/types';
import { TLP_LEVELS } from '../../../shared/api/types';
import { TlpBadge } from '../../../shared/components/tlp-badge';
import { settings } from '../../../shared/settings';
import { Choice, ChoiceOption, Field } from './report-field';
import type { FieldName, FieldProblem, ReportDraft, ReportMode } from '../model/report-model';
import { DESCRIPTION_MAX, ORGANIZATION_MAX, TITLE_MAX } from '../model/report-model';

/** The fields whose control is typed into (or chosen from) and touched when left. */
type TextName = 'received_at' | 'organization' | 'sector' | 'title' | 'description';

interface FieldsProps {
  mode: ReportMode;
  draft: ReportDraft;
  change: <K extends FieldName>(name: K, value: ReportDraft[K]) => void;
  touch: (name: FieldName) => void;
  shown: (name: FieldName) => FieldProblem | undefined;
  taxonomy: Taxonomy;
  needsOrganization: boolean;
}

/** The report form's fields and fieldsets. */
export function Fields({ mode, draft, change, touch, shown, taxonomy, needsOrganization }: FieldsProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const bind = (name: TextName) => ({
    value: draft[name],
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) =>
      change(name, e.target.value),
    onBlur: () => touch(name),
  });
  const toggleCause = (code: string, checked: boolean) =>
    change(
      'causes',
      checked
        ? taxonomy.causes.map((c) => c.code).filter((c) => c === code || draft.causes.includes(c))
        : draft.causes.filter((c) => c !== code),
    );
  return (
    <>
      <Field
        name="received_at"
        label={t('report.fields.received_at')}
        required
        problem={shown('received_at')}
        hint={t('report.fields.received_at_hint', { zone: settings.timeZone })}
      >
        {(a) => <input {...a} type="datetime-local" {...bind('received_at')} />}
      </Field>
      {mode === 'stage' && (
        <Choice legend={t('report.fields.stage')} name="stage" required>
          {(['update', 'final'] as const).map((stage) => (
            <ChoiceOption
              key={stage}
              name="stage"
              value={stage}
              checked={draft.stage === stage}
              onChange={() => change('stage', stage)}
            >
              {t(`report.stages.${stage}`)}
            </ChoiceOption>
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
          {(a) => <input {...a} type="text" maxLength={ORGANIZATION_MAX * 2} {...bind('organization')} />}
        </Field>
      )}
      <Field
        name="sector"
        label={t('report.fields.sector')}
        required={mode === 'new'}
        problem={shown('sector')}
      >
        {(a) => (
          <select {...a} {...bind('sector')}>
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
        {(a) => <input {...a} type="text" {...bind('title')} />}
      </Field>
      <Field
        name="description"
        label={t('report.fields.description')}
        problem={shown('description')}
        hint={t('report.fields.description_hint')}
        count={{ value: draft.description.length, max: DESCRIPTION_MAX }}
      >
        {(a) => <textarea {...a} rows={8} {...bind('description')} />}
      </Field>
      <Choice legend={t('report.fields.event')} name="event" required problem={shown('event')}>
        {taxonomy.events.map((event) => {
          const group = taxonomy.event_groups.find((g) => g.code === event.group);
          return (
            <ChoiceOption
              key={event.code}
              name="event"
              value={event.code}
              checked={draft.event === event.code}
              onChange={() => change('event', event.code)}
            >
              {labelOf(event, lang)}
              {group && group.code !== event.code && (
                <span className="hint block">{labelOf(group, lang)}</span>
              )}
            </ChoiceOption>
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
                <ChoiceOption
                  key={cause.code}
                  type="checkbox"
                  name="causes"
                  value={cause.code}
                  checked={draft.causes.includes(cause.code)}
                  onChange={(e) => toggleCause(cause.code, e.target.checked)}
                >
                  {labelOf(cause, lang)}
                </ChoiceOption>
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
            <ChoiceOption
              key={tlp}
              name="tlp"
              value={tlp}
              checked={draft.tlp === tlp}
              onChange={() => change('tlp', tlp)}
            >
              <TlpBadge tlp={tlp} /> <span className="hint block">{t(`report.tlpHelp.${tlp}`)}</span>
            </ChoiceOption>
          ))}
        </Choice>
      )}
    </>
  );
}
