import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import ja from './ja.json';
import adminEn from './admin.en.json';
import adminJa from './admin.ja.json';
import accountEn from './account.en.json';
import accountJa from './account.ja.json';
import reportEn from './report.en.json';
import reportJa from './report.ja.json';
import lifecycleEn from './lifecycle.en.json';
import lifecycleJa from './lifecycle.ja.json';
import { formatFiscalYear } from '../../../../src/domain/japanese-era.js';
import { eraDisplayOn, onEraDisplayChange } from '../preferences';
import landingEn from './landing.en.json';
import landingJa from './landing.ja.json';
import listEn from './list.en.json';
import listJa from './list.ja.json';
import conversationEn from './conversation.en.json';
import conversationJa from './conversation.ja.json';
import indicatorsEn from './indicators.en.json';
import indicatorsJa from './indicators.ja.json';
import advisoriesEn from './advisories.en.json';
import advisoriesJa from './advisories.ja.json';
import intelEn from './intel.en.json';
import intelJa from './intel.ja.json';
import publicationEn from './publication.en.json';
import publicationJa from './publication.ja.json';
import obligationsEn from './obligations.en.json';
import obligationsJa from './obligations.ja.json';

export type Lang = 'ja' | 'en';
export const LANGS: readonly Lang[] = ['ja', 'en'];
const STORAGE_KEY = 'kyoyu.lang';

function storedLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'ja';
  } catch {
    return 'ja';
  }
}

// Japanese first: the resources are bundled (two small files), so the first paint is translated.
void i18n.use(initReactI18next).init({
  resources: { ja: { translation: ja }, en: { translation: en } },
  lng: storedLang(),
  fallbackLng: 'ja',
  interpolation: { escapeValue: false },
  // Bundled resources: ready at once, so no render ever waits (suspends) for them.
  initAsync: false,
  react: { useSuspense: false },
});

// Each page's own resource file, merged into the one namespace (keys under the page's own name).
for (const [lang, bundle] of [
  ['ja', reportJa],
  ['en', reportEn],
  ['ja', adminJa],
  ['en', adminEn],
  ['ja', lifecycleJa],
  ['en', lifecycleEn],
  ['ja', accountJa],
  ['en', accountEn],
  ['ja', landingJa],
  ['en', landingEn],
  ['ja', listJa],
  ['en', listEn],
  ['ja', conversationJa],
  ['en', conversationEn],
  ['ja', indicatorsJa],
  ['en', indicatorsEn],
  ['ja', advisoriesJa],
  ['en', advisoriesEn],
  ['ja', intelJa],
  ['en', intelEn],
  ['ja', publicationJa],
  ['en', publicationEn],
  ['ja', obligationsJa],
  ['en', obligationsEn],
] as const)
  i18n.addResourceBundle(lang, 'translation', bundle, true, false);

/**
 * `{{fy, fy}}` in a text names a fiscal year: 2026年度 / FY2026, or 令和8年度 / FY Reiwa 8 with the
 * era display on (the domain's rule, src/domain/japanese-era.ts). Switching the era display
 * re-renders every translated text, as switching the language does.
 */
i18n.services.formatter?.add('fy', (value: unknown, lng: string | undefined) =>
  formatFiscalYear(Number(value), lng === 'en' ? 'en' : 'ja', eraDisplayOn()),
);
onEraDisplayChange(() => void i18n.changeLanguage(i18n.language));

function applyLang(lang: string): void {
  document.documentElement.lang = lang;
}
applyLang(i18n.language);
i18n.on('languageChanged', applyLang);

/** Switches the UI language and remembers it in this browser. */
export function setLang(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Storage may be disabled; the switch still holds for this page.
  }
  void i18n.changeLanguage(lang);
}

export function currentLang(): Lang {
  return i18n.language === 'en' ? 'en' : 'ja';
}

export default i18n;
