import type { ChangeEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldName, FieldProblem } from '../model/report-model';

/** The report form's building blocks: a labelled control, a group of choices and their parts. */

type T = ReturnType<typeof useTranslation>['t'];

export function fieldLabel(t: T, name: FieldName): string {
  return t(`report.fields.${name}`);
}

export function problemText(t: T, problem: FieldProblem): string {
  return t(`report.errors.${problem.code}`, {
    max: problem.max,
    position: problem.position,
    codePoint: problem.codePoint,
    defaultValue: t('report.errors.invalid_value'),
  });
}

/** Moves the focus to a field, or to a group's chosen (else first) choice. */
export function focusField(name: FieldName): void {
  const group = document.getElementById(`report-${name}-group`);
  const element =
    document.getElementById(`report-${name}`) ??
    group?.querySelector<HTMLInputElement>('input:checked') ??
    group?.querySelector<HTMLInputElement>('input');
  element?.focus();
}

export interface ControlProps {
  id: string;
  name: string;
  required?: boolean;
  'aria-required'?: boolean;
  'aria-invalid'?: boolean;
  'aria-describedby': string;
}

/** A labelled control with its hint, character count and error (announced as it changes). */
export function Field({
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
export function Choice({
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

/** One radio or checkbox of a group, with its text. */
export function ChoiceOption({
  type = 'radio',
  name,
  value,
  checked,
  onChange,
  children,
}: {
  type?: 'radio' | 'checkbox';
  name: FieldName;
  value: string;
  checked: boolean;
  onChange: (event: ChangeEvent<HTMLInputElement>) => void;
  children: ReactNode;
}) {
  return (
    <label className="choice">
      <input type={type} name={name} value={value} checked={checked} onChange={onChange} />
      <span>{children}</span>
    </label>
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
