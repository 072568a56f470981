import { useTranslation } from 'react-i18next';
import type { IndicatorType } from '../../../../../src/domain/indicators.js';
import { INDICATOR_TYPES, INDICATOR_TYPE_LABELS } from '../../../../../src/domain/indicators.js';
import type { Draft } from '../model/draft';
import { RowField, RowList } from './row-list';

/** The content of an advisory: title and body (ja required, en optional) and the repeated rows. */
export function ContentFields({
  draft,
  update,
  problemOf,
}: {
  draft: Draft;
  update: (c: Partial<Draft>) => void;
  problemOf: (field: string) => string | null;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'ja';
  const f = (key: string) => t(`advisories.fields.${key}`);
  const inLang = (field: string, which: 'ja' | 'en') =>
    t('advisories.compose.inLang', { field, lang: t(`advisories.compose.${which}`) });
  return (
    <>
      <fieldset>
        <legend>{f('content')}</legend>
        <RowField
          id="title-ja"
          wide
          label={inLang(f('title'), 'ja')}
          value={draft.titleJa}
          onChange={(titleJa) => update({ titleJa })}
          problem={problemOf('title-ja')}
        />
        <RowField
          id="title-en"
          wide
          label={inLang(f('title'), 'en')}
          value={draft.titleEn}
          onChange={(titleEn) => update({ titleEn })}
        />
        <TextArea
          id="body-ja"
          label={inLang(f('body'), 'ja')}
          value={draft.bodyJa}
          onChange={(bodyJa) => update({ bodyJa })}
          problem={problemOf('body-ja')}
        />
        <TextArea
          id="body-en"
          label={inLang(f('body'), 'en')}
          value={draft.bodyEn}
          onChange={(bodyEn) => update({ bodyEn })}
        />
      </fieldset>
      <RowList
        id="cve"
        legend={f('cves')}
        rows={draft.cves}
        empty=""
        onChange={(cves) => update({ cves })}
        render={(cve, i, set) => (
          <RowField
            id={`cve-${i}`}
            label={t('advisories.fields.cveN', { n: i + 1 })}
            value={cve}
            onChange={set}
            problem={problemOf(`cve-${i}`)}
          />
        )}
      />
      <RowList
        id="product"
        legend={f('products')}
        rows={draft.products}
        empty={{ vendor: '', product: '', versions: '' }}
        onChange={(products) => update({ products })}
        render={(row, i, set) => (
          <>
            <RowField
              id={`product-${i}-vendor`}
              label={f('vendor')}
              value={row.vendor}
              onChange={(vendor) => set({ ...row, vendor })}
              problem={problemOf(`product-${i}`)}
            />
            <RowField
              id={`product-${i}-product`}
              label={f('product')}
              value={row.product}
              onChange={(product) => set({ ...row, product })}
            />
            <RowField
              id={`product-${i}-versions`}
              label={f('versions')}
              value={row.versions}
              onChange={(versions) => set({ ...row, versions })}
            />
          </>
        )}
      />
      <RowList
        id="indicator"
        legend={f('indicators')}
        hint={t('advisories.compose.indicatorHint')}
        rows={draft.indicators}
        empty={{ type: 'ipv4', value: '' }}
        onChange={(indicators) => update({ indicators })}
        render={(row, i, set) => (
          <>
            <div className="field">
              <label htmlFor={`indicator-${i}-type`}>{f('indicatorType')}</label>
              <select
                id={`indicator-${i}-type`}
                value={row.type}
                onChange={(e) => set({ ...row, type: e.target.value as IndicatorType })}
              >
                {INDICATOR_TYPES.map((type) => (
                  <option key={type} value={type}>
                    {INDICATOR_TYPE_LABELS[type][lang]}
                  </option>
                ))}
              </select>
            </div>
            <RowField
              id={`indicator-${i}`}
              wide
              label={f('indicatorValue')}
              value={row.value}
              onChange={(value) => set({ ...row, value })}
              problem={problemOf(`indicator-${i}`)}
            />
          </>
        )}
      />
      <RowList
        id="action"
        legend={f('actions')}
        rows={draft.actions}
        empty={{ ja: '', en: '' }}
        onChange={(actions) => update({ actions })}
        render={(row, i, set) => (
          <>
            <RowField
              id={`action-${i}-ja`}
              wide
              label={inLang(t('advisories.fields.actionN', { n: i + 1 }), 'ja')}
              value={row.ja}
              onChange={(ja) => set({ ...row, ja })}
            />
            <RowField
              id={`action-${i}-en`}
              wide
              label={inLang(t('advisories.fields.actionN', { n: i + 1 }), 'en')}
              value={row.en}
              onChange={(en) => set({ ...row, en })}
            />
          </>
        )}
      />
      <RowList
        id="reference"
        legend={f('references')}
        rows={draft.references}
        empty={{ title: '', url: '' }}
        onChange={(references) => update({ references })}
        render={(row, i, set) => (
          <>
            <RowField
              id={`reference-${i}-title`}
              label={f('referenceTitle')}
              value={row.title}
              onChange={(title) => set({ ...row, title })}
            />
            <RowField
              id={`reference-${i}-url`}
              wide
              label="URL"
              value={row.url}
              onChange={(url) => set({ ...row, url })}
              problem={problemOf(`reference-${i}`)}
            />
          </>
        )}
      />
    </>
  );
}

function TextArea({
  id,
  label,
  value,
  onChange,
  problem,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  problem?: string | null;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        rows={6}
        value={value}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-problem` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {problem && (
        <span className="error" id={`${id}-problem`}>
          {problem}
        </span>
      )}
    </div>
  );
}
