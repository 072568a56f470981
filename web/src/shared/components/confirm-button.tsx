import type { ReactNode } from 'react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A button for what cannot be undone: the first press asks (the focus moves to "go ahead"), the
 * second does it; cancelling gives the focus back to the button.
 */
export function ConfirmButton({
  children,
  question,
  onConfirm,
  disabled,
  className,
  ...aria
}: {
  children: ReactNode;
  question: string;
  onConfirm: () => void;
  disabled?: boolean;
  className?: string;
  'aria-label'?: string;
  'aria-describedby'?: string;
}) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const yes = useRef<HTMLButtonElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const refocus = useRef(false);
  useEffect(() => {
    if (asking) yes.current?.focus();
    else if (refocus.current) button.current?.focus();
    refocus.current = false;
  }, [asking]);
  const close = () => {
    refocus.current = true;
    setAsking(false);
  };
  if (!asking) {
    return (
      <button
        ref={button}
        type="button"
        className={className}
        disabled={disabled}
        onClick={() => setAsking(true)}
        {...aria}
      >
        {children}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={question}>
      <span>{question}</span>
      <button
        ref={yes}
        type="button"
        onClick={() => {
          close();
          onConfirm();
        }}
      >
        {t('admin.confirm.yes')}
      </button>
      <button type="button" className="secondary" onClick={close}>
        {t('admin.confirm.no')}
      </button>
    </span>
  );
}
