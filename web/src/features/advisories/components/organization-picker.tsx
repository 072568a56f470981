import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLabel } from '../../../shared/api/taxonomy';
import { ErrorMessage } from '../../../shared/components/error-message';
import { recipientsQuery } from '../api/advisories';
import { organizationIds } from '../model/draft';

/**
 * The organisations an advisory names, picked from the registered ones by name (filtered as typed,
 * with each one's sector), not typed as ids. The draft keeps them as the ids' text, as before.
 */
export function OrganizationPicker({
  value,
  onChange,
  label,
  problem,
}: {
  value: string;
  onChange: (ids: string) => void;
  label: string;
  problem: string | null;
}) {
  const { t } = useTranslation();
  const sectorLabel = useLabel();
  const choices = useQuery(recipientsQuery());
  const [filter, setFilter] = useState('');
  const chosen = new Set(organizationIds(value) ?? []);
  const toggle = (id: number, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(id);
    else next.delete(id);
    onChange([...next].join(', '));
  };
  const needle = filter.trim().toLowerCase();
  const shown = (choices.data ?? []).filter((o) => !needle || o.name.toLowerCase().includes(needle));
  return (
    <fieldset
      className="organization-picker"
      aria-describedby={problem ? 'organizations-problem' : undefined}
    >
      <legend>{label}</legend>
      <div className="field">
        <label htmlFor="advisory-organization-filter">{t('advisories.audience.findOrganization')}</label>
        <input
          id="advisory-organization-filter"
          type="search"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
      </div>
      <p className="hint" role="status">
        {t('advisories.audience.chosenN', { count: chosen.size })}
      </p>
      <ErrorMessage error={choices.error} />
      <ul>
        {shown.map((o) => (
          <li key={o.id}>
            <label className="toggle">
              <input
                type="checkbox"
                checked={chosen.has(o.id)}
                onChange={(e) => toggle(o.id, e.target.checked)}
              />
              {o.name}
              {o.sector && <span className="hint"> ({sectorLabel('sectors', o.sector)})</span>}
            </label>
          </li>
        ))}
      </ul>
      {problem && (
        <p className="error" id="organizations-problem">
          {problem}
        </p>
      )}
    </fieldset>
  );
}
