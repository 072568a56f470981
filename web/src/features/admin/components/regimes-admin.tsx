import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ORGANIZATION_FLAGS } from '../../../../../src/domain/regimes.js';
import type { OrganizationFlag } from '../../../../../src/domain/regimes.js';
import { api } from '../../../shared/api/client';
import { ErrorMessage } from '../../../shared/components/error-message';
import { currentLang } from '../../../shared/i18n';
import { TableScroll } from '../../../shared/components/table-scroll';
import type { Organization } from '../api/admin';

/** An organisation's flags as checkboxes: each change is saved at once (and audited by the server). */
export function OrganizationFlags({ org }: { org: Organization }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const save = useMutation({
    mutationFn: (flags: OrganizationFlag[]) =>
      api(`/organizations/${org.id}/flags`, { method: 'PUT', body: { flags } }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['admin', 'organizations'] }),
  });
  return (
    <div className="org-flags">
      {ORGANIZATION_FLAGS.map((f) => (
        <label key={f} className="toggle">
          <input
            type="checkbox"
            checked={org.flags.includes(f)}
            disabled={save.isPending}
            onChange={(e) =>
              save.mutate(e.target.checked ? [...org.flags, f] : org.flags.filter((x) => x !== f))
            }
          />
          {t(`duties.flagNames.${f}`)}
        </label>
      ))}
      <ErrorMessage error={save.error} />
    </div>
  );
}

interface RegimeEntry {
  code: string;
  version: number;
  origin: 'file' | 'database';
  effective_from: string;
  effective_to?: string;
  name: { ja: string; en: string };
  source: { confidence: string };
}

/**
 * The reporting regimes in force, and an admin's change to one without a release: the regime as
 * JSON (as in data/regimes.json), saved as this deployment's version (checked as the file is), or
 * taken back to the shipped one.
 */
export function RegimesAdmin() {
  const { t } = useTranslation();
  const lang = currentLang();
  const client = useQueryClient();
  const editorId = useId();
  const regimes = useQuery({
    queryKey: ['regimes'],
    queryFn: ({ signal }) => api<{ regimes: RegimeEntry[] }>('/regimes', { signal }),
  });
  const [editing, setEditing] = useState<{ code: string; version: number; text: string } | null>(null);
  const done = () => {
    setEditing(null);
    void client.invalidateQueries({ queryKey: ['regimes'] });
    void client.invalidateQueries({ queryKey: ['obligations'] });
  };
  const put = useMutation({
    mutationFn: (e: { code: string; version: number; text: string }) =>
      api(`/regimes/${e.code}/versions/${e.version}`, { method: 'PUT', body: JSON.parse(e.text) as unknown }),
    onSuccess: done,
  });
  const revert = useMutation({
    mutationFn: (r: RegimeEntry) => api(`/regimes/${r.code}/versions/${r.version}`, { method: 'DELETE' }),
    onSuccess: done,
  });
  return (
    <section aria-labelledby="admin-regimes">
      <h2 id="admin-regimes">{t('regimesAdmin.title')}</h2>
      <p className="hint">{t('regimesAdmin.hint')}</p>
      <ErrorMessage error={regimes.error ?? revert.error} />
      {regimes.data && (
        <TableScroll label={t('regimesAdmin.title')}>
          <table className="admin-regimes">
            <thead>
              <tr>
                <th scope="col">{t('regimesAdmin.regime')}</th>
                <th scope="col">{t('regimesAdmin.version')}</th>
                <th scope="col">{t('regimesAdmin.inForce')}</th>
                <th scope="col">{t('regimesAdmin.origin')}</th>
                <td />
              </tr>
            </thead>
            <tbody>
              {regimes.data.regimes.map((r) => (
                <tr key={`${r.code}@${r.version}`} data-regime={r.code}>
                  <th scope="row">
                    {r.name[lang]} <span className="hint block">{r.code}</span>
                  </th>
                  <td>{r.version}</td>
                  <td className="nowrap">
                    {r.effective_from} – {r.effective_to ?? ''}
                  </td>
                  <td>{t(`regimesAdmin.origins.${r.origin}`)}</td>
                  <td>
                    <div className="row">
                      <button
                        type="button"
                        className="secondary"
                        onClick={() => {
                          const { origin: _origin, ...definition } = r;
                          setEditing({
                            code: r.code,
                            version: r.version,
                            text: JSON.stringify(definition, null, 2),
                          });
                        }}
                      >
                        {t('regimesAdmin.edit')}
                      </button>
                      {r.origin === 'database' && (
                        <button type="button" className="secondary" onClick={() => revert.mutate(r)}>
                          {t('regimesAdmin.revert')}
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {editing && (
        <form
          className="stack regime-editor"
          onSubmit={(e) => {
            e.preventDefault();
            put.mutate(editing);
          }}
        >
          <label htmlFor={editorId}>
            {t('regimesAdmin.definition', { code: editing.code, version: editing.version })}
          </label>
          <textarea
            id={editorId}
            rows={24}
            spellCheck={false}
            value={editing.text}
            onChange={(e) => setEditing({ ...editing, text: e.target.value })}
          />
          <ErrorMessage error={put.error} />
          <div className="row">
            <button type="submit" disabled={put.isPending}>
              {t('regimesAdmin.save')}
            </button>
            <button type="button" className="secondary" onClick={() => setEditing(null)}>
              {t('duties.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
