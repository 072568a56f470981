import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';

/** The message for an API error code in the UI's language (the codes are stable, the texts ours). */
export function useErrorText(): (error: unknown) => string {
  const { t } = useTranslation();
  return (error) => {
    const code = error instanceof ApiError ? error.code : 'unknown_error';
    return t(`errors.${code}`, { defaultValue: t('errors.unknown_error') });
  };
}

export function ErrorMessage({ error }: { error: unknown }) {
  const text = useErrorText();
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {text(error)}
    </p>
  );
}
