import type { Dispatch, SetStateAction } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../../../src/access/index.js';
import { ROLES } from '../../../../../src/access/actor.js';
import { labelOf, useTaxonomy } from '../../../shared/api/taxonomy';

/** A role and, for a sector desk, the sectors it reads: the same fields for a new user and a change. */
export function RoleFields({
  name,
  role,
  setRole,
  sectors,
  setSectors,
}: {
  name: string;
  role: Role;
  setRole: (role: Role) => void;
  sectors: string[];
  setSectors: Dispatch<SetStateAction<string[]>>;
}) {
  const { t, i18n } = useTranslation();
  const taxonomy = useTaxonomy();
  return (
    <>
      <label>
        {t('admin.create.role')}
        <select name={name} value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`roles.${r}`)}
            </option>
          ))}
        </select>
      </label>
      {role === 'sector_desk' && taxonomy.data && (
        <fieldset>
          <legend>{t('admin.create.sectors')}</legend>
          <div className="choice-grid">
            {taxonomy.data.sectors.map((sector) => (
              <label key={sector.code} className="toggle">
                <input
                  type="checkbox"
                  value={sector.code}
                  checked={sectors.includes(sector.code)}
                  onChange={(e) =>
                    setSectors((current) =>
                      e.target.checked ? [...current, sector.code] : current.filter((s) => s !== sector.code),
                    )
                  }
                />
                {labelOf(sector, i18n.language)}
              </label>
            ))}
          </div>
        </fieldset>
      )}
    </>
  );
}
