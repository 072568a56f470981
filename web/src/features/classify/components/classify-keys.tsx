import { useEffect, useEffectEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { NS } from '../../../shared/i18n/dashboard';

/** A field the keyboard types into: single-letter shortcuts stay out of its way. */
function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return (
    target instanceof HTMLInputElement && !['radio', 'checkbox', 'button', 'submit'].includes(target.type)
  );
}

/** Moves the focus into a choice group: its checked choice, or else its first. */
function focusGroup(form: HTMLFormElement | null, name: string) {
  if (!form) return;
  const checked = form.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`);
  (checked ?? form.querySelector<HTMLInputElement>(`input[name="${name}"]`))?.focus();
}

export interface ClassifyKeys {
  /** Whether an incident is open (the classifying keys only act on one). */
  opened: boolean;
  index: number;
  count: number;
  setActive: (i: number) => void;
  open: (i: number) => void;
  submit: () => void;
  adoptReporter: () => void;
  queueRef: React.RefObject<HTMLUListElement | null>;
  commandRef: React.RefObject<HTMLInputElement | null>;
  formRef: React.RefObject<HTMLFormElement | null>;
}

/** The page's shortcuts, while focus is not in a text field (Escape leaves one, Ctrl+Enter saves). */
export function useClassifyKeys(page: ClassifyKeys) {
  const onKey = useEffectEvent((event: KeyboardEvent) => {
    const { opened, index, count, setActive, open, submit, adoptReporter, queueRef, commandRef, formRef } =
      page;
    if (event.altKey || event.metaKey) return;
    if (event.ctrlKey) {
      if (event.key === 'Enter' && opened) {
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
        setActive(Math.min(index + 1, count - 1));
        queueRef.current?.focus();
      },
      k: () => {
        setActive(Math.max(index - 1, 0));
        queueRef.current?.focus();
      },
      '/': () => commandRef.current?.focus(),
    };
    if (opened) {
      keys.e = () => focusGroup(formRef.current, 'event');
      keys.c = () => focusGroup(formRef.current, 'causes');
      keys.a = () => focusGroup(formRef.current, 'attack_type');
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
}

/** The list of the page's shortcuts. */
export function Shortcuts() {
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
