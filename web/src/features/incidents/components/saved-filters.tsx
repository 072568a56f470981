import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../auth/api/session';
import { api, queryString } from '../../../shared/api/client';
import type { SavedFilter } from '../../../shared/api/types';
import { ErrorMessage } from '../../../shared/components/error-message';
import { Link } from '../../../shared/router';
import type { Filters } from '../model/list-filters';

/** The caller's saved filters: open one, delete one, save the list's current filter under a name. */
export function SavedFilters({ current }: { current: Filters }) {
  const { t } = useTranslation();
  const can = useCan();
  const client = useQueryClient();
  const [name, setName] = useState('');
  const saved = useQuery({
    queryKey: ['saved-filters'],
    queryFn: ({ signal }) => api<SavedFilter[]>('/saved-filters', { signal }),
  });
  const refresh = () => void client.invalidateQueries({ queryKey: ['saved-filters'] });
  const save = useMutation({
    mutationFn: () =>
      api<SavedFilter>('/saved-filters', { method: 'POST', body: { name: name.trim(), filter: current } }),
    onSuccess: () => {
      setName('');
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (id: number) => api<void>(`/saved-filters/${id}`, { method: 'DELETE' }),
    onSuccess: refresh,
  });
  const mayKeep = can('incidents:filters');
  const items = saved.data ?? [];
  return (
    <section className="saved-filters" aria-label={t('incidentList.saved.label')}>
      <h2>{t('incidentList.saved.label')}</h2>
      {items.length === 0 ? (
        <p className="hint">{t('incidentList.saved.none')}</p>
      ) : (
        <ul>
          {items.map((f) => (
            <li key={f.id}>
              <Link href={`/incidents${queryString(f.filter)}`}>{f.name}</Link>
              {mayKeep && (
                <button
                  type="button"
                  className="secondary small"
                  aria-label={t('incidentList.saved.delete', { name: f.name })}
                  onClick={() => remove.mutate(f.id)}
                  disabled={remove.isPending}
                >
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {mayKeep && (
        <form
          className="save-filter"
          onSubmit={(e) => {
            e.preventDefault();
            if (name.trim()) save.mutate();
          }}
        >
          <label>
            {t('incidentList.saved.name')}
            <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />
          </label>
          <button type="submit" disabled={save.isPending || !name.trim()}>
            {t('incidentList.saved.save')}
          </button>
        </form>
      )}
      <ErrorMessage error={save.error ?? remove.error ?? saved.error} />
    </section>
  );
}
