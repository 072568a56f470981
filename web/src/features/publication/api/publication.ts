import type { QueryClient } from '@tanstack/react-query';
import { api, queryString } from '../../../shared/api/client';
import type {
  LessonView,
  LessonCandidates,
  LessonBody,
} from '../../../../../src/modules/lessons/lesson.schema.js';
import type {
  FeedView,
  PullResult,
  SituationItemBody,
  SituationItemView,
} from '../../../../../src/modules/situation/situation.schema.js';
import type { LessonAction } from '../../../../../src/domain/lesson-workflow.js';

export type {
  LessonView,
  LessonCandidates,
  LessonBody,
  FeedView,
  PullResult,
  SituationItemView,
  LessonAction,
};
export type Edition = 'full' | 'public';
export type DocumentFormat = 'pdf' | 'html' | 'xlsx';

export interface Period {
  fy: number;
  quarter: number;
}

/** The document as a file: a link the browser downloads with the session cookie. */
export function documentUrl(p: Period, format: DocumentFormat, edition: Edition, lang: 'ja' | 'en'): string {
  return `/api/v1/publication/quarterly${queryString({ fy: p.fy, quarter: p.quarter, format, edition, lang })}`;
}

export const itemsQuery = (p: Period) => ({
  queryKey: ['situation', 'items', p.fy, p.quarter] as const,
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    api<SituationItemView[]>(`/situation/items${queryString({ fy: p.fy, quarter: p.quarter })}`, { signal }),
});

export const feedsQuery = {
  queryKey: ['situation', 'feeds'] as const,
  queryFn: ({ signal }: { signal: AbortSignal }) => api<FeedView[]>('/situation/feeds', { signal }),
};

/** The body that rewrites an item as it is, with the changes asked for (the server's PUT replaces it whole). */
export function itemBody(item: SituationItemView, change: Partial<SituationItemBody>): SituationItemBody {
  return {
    section: item.section,
    event_date: item.event_date,
    title: item.title,
    summary: item.summary,
    tags: item.tags,
    tlp: item.tlp as SituationItemBody['tlp'],
    sources: item.sources,
    state: item.state,
    ...change,
  };
}

export const saveItem = (item: SituationItemView, change: Partial<SituationItemBody>) =>
  api<SituationItemView>(`/situation/items/${item.id}`, {
    method: 'PUT',
    body: itemBody(item, change),
    headers: { 'if-match': `"r${item.revision}"` },
  });

export const addFeed = (name: string, url: string) =>
  api<FeedView>('/situation/feeds', { method: 'POST', body: { name, url } });
export const pullFeed = (id: number) =>
  api<PullResult>(`/situation/feeds/${id}/pull`, { method: 'POST', body: {} });
export const advisoryCandidates = (p: Period) =>
  api<PullResult>(`/situation/candidates/advisories${queryString({ fy: p.fy, quarter: p.quarter })}`, {
    method: 'POST',
    body: {},
  });

export const lessonsQuery = (p: Period) => ({
  queryKey: ['lessons', 'list', p.fy, p.quarter] as const,
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    api<LessonView[]>(`/lessons${queryString({ fy: p.fy, quarter: p.quarter })}`, { signal }),
});

export const lessonCandidatesQuery = (p: Period) => ({
  queryKey: ['lessons', 'candidates', p.fy, p.quarter] as const,
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    api<LessonCandidates>(`/lessons/candidates${queryString({ fy: p.fy, quarter: p.quarter })}`, { signal }),
});

export const createLesson = (body: LessonBody) => api<LessonView>('/lessons', { method: 'POST', body });
export const updateLesson = (lesson: LessonView, body: LessonBody) =>
  api<LessonView>(`/lessons/${lesson.id}`, {
    method: 'PUT',
    body,
    headers: { 'if-match': `"r${lesson.revision}"` },
  });
export const moveLesson = (lesson: LessonView, action: LessonAction) =>
  api<LessonView>(`/lessons/${lesson.id}/transitions`, {
    method: 'POST',
    body: { action },
    headers: { 'if-match': `"r${lesson.revision}"` },
  });

export function invalidatePublication(client: QueryClient): Promise<void> {
  return Promise.all([
    client.invalidateQueries({ queryKey: ['situation'] }),
    client.invalidateQueries({ queryKey: ['lessons'] }),
  ]).then(() => undefined);
}
