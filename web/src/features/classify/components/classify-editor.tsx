import type { ReactNode } from 'react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { labelOf, useLabel } from '../../../shared/api/taxonomy';
import type { ClassificationView, Incident, Labelled, Taxonomy } from '../../../shared/api/types';
import type { Draft } from '../model/command';
import { applyCommand, EMPTY } from '../model/command';
import { NS } from '../../../shared/i18n/dashboard';
import { DateTime } from '../../../shared/components/date-time';
import { TlpBadge } from '../../../shared/components/tlp-badge';
import { useClassificationText } from './classify-context';

export function draftOf(c: ClassificationView | null | undefined): Draft {
  return c ? { event: c.event, causes: [...c.causes], attack_type: c.attack_type } : EMPTY;
}

export function complete(draft: Draft): ClassificationView | null {
  return draft.event && draft.causes.length > 0
    ? { event: draft.event, causes: draft.causes, attack_type: draft.attack_type }
    : null;
}

/** The open incident's facts, with the reporter's and the center's classification as they stand. */
export function Facts({ incident }: { incident: Incident }) {
  const { t } = useTranslation(NS);
  const label = useLabel();
  const classification = useClassificationText();
  return (
    <dl className="facts" id="classify-facts">
      <dt>{t('classify.ref')}</dt>
      <dd>{incident.ref}</dd>
      <dt>{t('classify.organization')}</dt>
      <dd data-testid="classify-organization">{incident.organization ?? '—'}</dd>
      <dt>{t('classify.sector')}</dt>
      <dd data-testid="classify-sector">{label('sectors', incident.sector)}</dd>
      <dt>TLP</dt>
      <dd data-testid="classify-tlp">
        <TlpBadge tlp={incident.tlp} />
      </dd>
      <dt>{t('classify.channel')}</dt>
      <dd>{label('channels', incident.channel)}</dd>
      <dt>{t('classify.received')}</dt>
      <dd>
        <DateTime iso={incident.first_received_at} />
      </dd>
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

/** The command field: `e3 c1,4 a2` sets the draft at once (see `applyCommand`). */
export function CommandField({
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

/** The event, causes and attack-type choices of the draft. */
export function Choices({
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
  const attack = (code: string | null, n: number, label: string) => (
    <Choice
      key={code ?? ''}
      type="radio"
      name="attack_type"
      value={code ?? ''}
      prefix="a"
      n={n}
      checked={draft.attack_type === code}
      onChange={() => onDraft({ ...draft, attack_type: code })}
    >
      {label}
    </Choice>
  );
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
          {attack(null, 0, t('classify.attackNone'))}
          {taxonomy.attack_types.map((a, i) => attack(a.code, i + 1, labelOf(a, lang)))}
        </div>
      </fieldset>
    </>
  );
}

/** One radio button or checkbox, with the number it has in the command field (`e3`, `c12`). */
function Choice({
  type,
  name,
  value,
  prefix,
  n,
  checked,
  onChange,
  children,
}: {
  type: 'radio' | 'checkbox';
  name: string;
  value: string;
  prefix: string;
  n: number;
  checked: boolean;
  onChange: (on: boolean) => void;
  children: ReactNode;
}) {
  return (
    <label>
      <input
        type={type}
        name={name}
        value={value}
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
      />
      {/* The label already names the choice: the number is for the eye only. */}
      <span className="number" aria-hidden="true">
        {prefix}
        {n}
      </span>
      {children}
    </label>
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
                <Choice
                  key={item.code}
                  type={type}
                  name={name}
                  value={item.code}
                  prefix={shortcut}
                  n={n}
                  checked={checked(item.code)}
                  onChange={(on) => onChange(item.code, on)}
                >
                  {labelOf(item, i18n.language)}
                </Choice>
              ))}
          </div>
        </div>
      ))}
    </fieldset>
  );
}
