import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from './client';
import type { Labelled, Taxonomy } from './types';

export function useTaxonomy() {
  return useQuery({ queryKey: ['taxonomy'], queryFn: () => api<Taxonomy>('/taxonomy'), staleTime: Infinity });
}

export type LabelKind = 'channels' | 'events' | 'causes' | 'attack_types' | 'report_stages' | 'sectors';

/** Code -> label in the UI's language (the code itself until the taxonomy has loaded). */
export function useLabel(): (kind: LabelKind, code: string | null | undefined) => string {
  const { i18n } = useTranslation();
  const { data } = useTaxonomy();
  const en = i18n.language === 'en';
  return (kind, code) => {
    if (!code) return '—';
    const entry = data?.[kind].find((e) => e.code === code);
    return entry ? (en ? entry.en : entry.ja) : code;
  };
}

export function labelOf(entry: Labelled, lang: string): string {
  return lang === 'en' ? entry.en : entry.ja;
}
