import type { ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { labelOf } from '../../../shared/api/taxonomy';
import type { Incident, Taxonomy } from '../../../shared/api/types';
import { TLP_LEVELS } from '../../../shared/api/types';
import { TlpBadge } from '../../../shared/components/tlp-badge';
import { settings } from '../../../shared/settings';
import { formatDateTime } from '../../../shared/format/dates';
import { useEraDisplay } from '../../../shared/preferences';
import { Choice, ChoiceOption, Field } from './report-field';
import type { FieldName, FieldProblem, ReportDraft, ReportMode } from '../model/report-model';
import { DESCRIPTION_MAX, ORGANIZATION_MAX, TITLE_MAX } from '../model/report-model';
import type { SectorChoice } from '../model/report-rules';
import { requiredFields } from '../model/report-rules';

/** The fields whose control is typed into (or chosen from) and touched when left. */
type TextName =
  'received_at' | 'occurred_at' | 'detected_at' | 'organization' | 'sector' | 'title' | 'description';

interface FieldsProps {
  mode: ReportMode;
  draft: ReportDraft;
  change: <K extends FieldName>(name: K, value: ReportDraft[K]) => void;
  touch: (name: FieldName) => void;
  shown: (name: FieldName) => FieldProblem | undefined;
  taxonomy: Taxonomy;
  needsOrganization: boolean;
  sectors: SectorChoice;
  incident?: Incident;
}

/** The report form's fields and fieldsets; which are required, the server's rule says (report-rules.ts). */
export function Fields(props: FieldsProps) {
  const { mode, draft, change, touch, shown, taxonomy, needsOrganization, sectors, incident } = props;
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const era = useEraDisplay();
  const required = requiredFields(mode, needsOrganization);
  const sectorLabel = (code: string | null | undefined) => {
    const s = taxonomy.sectors.find((x) => x.code === code);
    return s ? labelOf(s, lang) : '—';
  };
  const offered =
    sectors.kind === 'choose' && sectors.sectors
      ? taxonomy.sectors.filter((s) => sectors.sectors!.includes(s.code))
      : taxonomy.sectors;
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
        required={required.has('received_at')}
        problem={shown('received_at')}
        hint={t('report.fields.received_at_hint', { zone: settings.timeZone })}
      >
        {(a) => <input {...a} type="datetime-local" {...bind('received_at')} />}
      </Field>
      <div className="field-pair">
        {(['occurred_at', 'detected_at'] as const).map((name) => (
          <Field
            key={name}
            name={name}
            label={t(`report.fields.${name}`)}
            required={required.has(name)}
            problem={shown(name)}
            hint={
              mode === 'stage' && incident?.[name]
                ? t('report.fields.time_held', {
                    time: formatDateTime(incident[name], lang === 'en' ? 'en' : 'ja', era),
                  })
                : t(`report.fields.${name}_hint`)
            }
          >
            {(a) => <input {...a} type="datetime-local" {...bind(name)} />}
          </Field>
        ))}
      </div>
      {mode === 'stage' && (
        <Choice legend={t('report.fields.stage')} name="stage" required={required.has('stage')}>
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
          required={required.has('organization')}
          problem={shown('organization')}
          hint={t('report.fields.organization_hint')}
        >
          {(a) => <input {...a} type="text" maxLength={ORGANIZATION_MAX * 2} {...bind('organization')} />}
        </Field>
      )}
      {sectors.kind === 'fixed' ? (
        // The organisation's one sector: shown, not chosen (the server refuses another).
        <div className="field">
          <span className="label" id="report-sector-label">
            {t('report.fields.sector')}
          </span>
          <p id="report-sector" className="fixed-value" aria-labelledby="report-sector-label">
            {sectorLabel(mode === 'new' ? sectors.sector : (incident?.sector ?? sectors.sector))}
          </p>
          <span className="hint">{t('report.fields.sector_fixed')}</span>
        </div>
      ) : (
        <Field
          name="sector"
          label={t('report.fields.sector')}
          required={required.has('sector')}
          problem={shown('sector')}
          hint={sectors.sectors ? t('report.fields.sector_own') : undefined}
        >
          {(a) => (
            <select {...a} {...bind('sector')}>
              <option value="">
                {mode === 'new' ? t('report.fields.sector_choose') : t('report.fields.sector_keep')}
              </option>
              {offered.map((s) => (
                <option key={s.code} value={s.code}>
                  {labelOf(s, lang)}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <Field
        name="title"
        label={t('report.fields.title')}
        required={required.has('title')}
        problem={shown('title')}
        hint={mode === 'stage' ? t('report.fields.title_stage_hint') : undefined}
        count={{ value: draft.title.length, max: TITLE_MAX }}
      >
        {(a) => <input {...a} type="text" {...bind('title')} />}
      </Field>
      <Field
        name="description"
        label={t('report.fields.description')}
        required={required.has('description')}
        problem={shown('description')}
        hint={t('report.fields.description_hint')}
        count={{ value: draft.description.length, max: DESCRIPTION_MAX }}
      >
        {(a) => <textarea {...a} rows={8} {...bind('description')} />}
      </Field>
      <Choice
        legend={t('report.fields.event')}
        name="event"
        required={required.has('event')}
        problem={shown('event')}
      >
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
        required={required.has('causes')}
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
        <Choice legend={t('report.fields.tlp')} name="tlp" required={required.has('tlp')}>
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
