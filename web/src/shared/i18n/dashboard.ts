import i18n from './index';
import en from './dashboard.en.json';
import ja from './dashboard.ja.json';

/**
 * The dashboard's and the classify page's texts, a namespace of their own (`dashboard`) added to the
 * shared i18n instance when these pages' code loads (bundled with them, so ready at once).
 */
export const NS = 'dashboard';
if (!i18n.hasResourceBundle('ja', NS)) {
  i18n.addResourceBundle('ja', NS, ja);
  i18n.addResourceBundle('en', NS, en);
}
