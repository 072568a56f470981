import { useTranslation } from 'react-i18next';
import type { AdvisoryContent, Localized, Severity } from '../api/advisories';

/** The severity as a word on its colour (the colour alone says nothing to a screen reader). */
export function SeverityBadge({ severity }: { severity: Severity }) {
  const { t } = useTranslation();
  return <span className={`severity severity-${severity}`}>{t(`advisories.severities.${severity}`)}</span>;
}

/** A text in the UI's language: the English where written, else the Japanese (always there). */
export function useLocalized(): (text: Localized) => string {
  const { i18n } = useTranslation();
  return (text) => (i18n.language === 'en' && text.en ? text.en : text.ja);
}

export function titleOf(content: AdvisoryContent, lang: string): string {
  return lang === 'en' && content.title.en ? content.title.en : content.title.ja;
}
