import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../format/dates';
import { currentLang } from '../i18n';
import { useEraDisplay } from '../preferences';

/** An instant in the deployment's time zone; the exact instant as sent is in the datetime attribute. */
export function DateTime({ iso }: { iso: string }) {
  useTranslation();
  const era = useEraDisplay();
  return <time dateTime={iso}>{formatDateTime(iso, currentLang(), era)}</time>;
}
