import { useTranslation } from 'react-i18next';

/**
 * The text in place of a figure the caller may not see: an open quarter (the center's working
 * numbers) or a suppressed small count; a dash for a figure that was never published. Never 0.
 */
export function useMissingText(): (state: string | undefined) => string {
  const { t } = useTranslation();
  return (state) =>
    state === 'suppressed'
      ? t('stats.suppressed')
      : state === 'open' || state === 'withheld'
        ? t('stats.notFinal')
        : '—';
}
