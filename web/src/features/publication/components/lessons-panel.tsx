import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../../shared/components/error-message';
import { useCan, useSession } from '../../auth/api/session';
import type { LessonAction, LessonBody, LessonView, Period } from '../api/publication';
import {
  createLesson,
  invalidatePublication,
  lessonCandidatesQuery,
  lessonsQuery,
  moveLesson,
  updateLesson,
} from '../api/publication';

/** Minutes as hours and minutes (2時間5分 / 2 h 5 min). */
function duration(minutes: number, t: (key: string, options: Record<string, number>) => string): string {
  const m = Math.round(minutes);
  return t('publication.duration', { hours: Math.floor(m / 60), minutes: m % 60 });
}

/** What each state offers, in this order. */
const ACTIONS: Record<LessonView['state'], readonly LessonAction[]> = {
  draft: ['submit'],
  in_review: ['approve', 'return'],
  approved: ['publish', 'return'],
  published: [],
};

/** Part 3: the quarter's lessons learned, their review, and what the quarter's incidents suggest. */
export function LessonsPanel({ period }: { period: Period }) {
  const { t } = useTranslation();
  const can = useCan();
  const lessons = useQuery(lessonsQuery(period));
  const [writing, setWriting] = useState(false);
  return (
    <section className="publication-part" aria-labelledby="part-3">
      <h2 id="part-3">{t('publication.part3')}</h2>
      <LessonCandidates period={period} />
      <ErrorMessage error={lessons.error} />
      {lessons.data && lessons.data.length === 0 && <p>{t('publication.noLessons')}</p>}
      <ul className="publication-list">
        {(lessons.data ?? []).map((l) => (
          <LessonEntry key={l.id} lesson={l} period={period} />
        ))}
      </ul>
      {can('lessons:write') &&
        (writing ? (
          <LessonForm period={period} onDone={() => setWriting(false)} />
        ) : (
          <button type="button" onClick={() => setWriting(true)}>
            {t('publication.newLesson')}
          </button>
        ))}
    </section>
  );
}

function LessonCandidates({ period }: { period: Period }) {
  const { t, i18n } = useTranslation();
  const candidates = useQuery(lessonCandidatesQuery(period));
  const en = i18n.language === 'en';
  if (!candidates.data || candidates.data.groups.length === 0) return null;
  return (
    <details className="publication-sources">
      <summary>{t('publication.lessonCandidates', { count: candidates.data.incidents })}</summary>
      <table className="lesson-candidates">
        <thead>
          <tr>
            <th scope="col">{t('publication.cause')}</th>
            <th scope="col">{t('publication.attackType')}</th>
            <th scope="col">{t('publication.count')}</th>
          </tr>
        </thead>
        <tbody>
          {candidates.data.groups.map((g) => (
            <tr key={`${g.cause}/${g.attack_type}`}>
              <td>{(en ? g.cause_en : g.cause_ja) ?? '—'}</td>
              <td>{(en ? g.attack_type_en : g.attack_type_ja) ?? '—'}</td>
              <td className="num">{g.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {candidates.data.slow_escalations.length > 0 && (
        <>
          <p>
            {t('publication.slowEscalations', {
              median: duration(candidates.data.aware_to_management_median_minutes ?? 0, t),
            })}
          </p>
          <ul className="slow-escalations">
            {candidates.data.slow_escalations.map((s) => (
              <li key={s.id}>
                <a href={`/incidents/${s.id}`}>{s.ref}</a>: {duration(s.minutes, t)}
              </li>
            ))}
          </ul>
        </>
      )}
    </details>
  );
}

function LessonEntry({ lesson, period }: { lesson: LessonView; period: Period }) {
  const { t } = useTranslation();
  const can = useCan();
  const { session } = useSession();
  const client = useQueryClient();
  const [editing, setEditing] = useState(false);
  const move = useMutation({
    mutationFn: (action: LessonAction) => moveLesson(lesson, action),
    onSettled: () => invalidatePublication(client),
  });
  const own = session?.user.email === lesson.author;
  const headingId = `lesson-${lesson.id}`;
  if (editing) return <LessonForm period={period} lesson={lesson} onDone={() => setEditing(false)} />;
  return (
    <li className={`publication-item lesson-${lesson.state}`} aria-labelledby={headingId}>
      <p className="meta">
        <span className={`lesson-state state-${lesson.state}`}>
          {t(`publication.lessonStates.${lesson.state}`)}
        </span>
        <span className="hint">{t('publication.author', { email: lesson.author })}</span>
        {lesson.incident_ids.length > 0 && (
          <span className="hint">{t('publication.linked', { count: lesson.incident_ids.length })}</span>
        )}
      </p>
      <p className="item-title" id={headingId}>
        {lesson.heading.ja}
      </p>
      <p>{lesson.body.ja}</p>
      {lesson.heading.en && (
        <p className="hint" lang="en">
          {lesson.heading.en}: {lesson.body.en}
        </p>
      )}
      {lesson.findings.length > 0 ? (
        <div className="lesson-findings" role="alert">
          <p>{t('publication.findings', { count: lesson.findings.length })}</p>
          <ul>
            {lesson.findings.map((f) => (
              <li key={`${f.field}/${f.offset}`}>
                <code>{f.text}</code> — {t(`publication.findingKinds.${f.kind}`, { defaultValue: f.kind })} ·{' '}
                {t('publication.where', { field: t(`publication.fields.${f.field}`), line: f.line })}
                {f.owner && ` · ${f.owner}`}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="hint lesson-clean">{t('publication.clean')}</p>
      )}
      {can('lessons:write') && (
        <div
          className="item-actions"
          role="group"
          aria-label={t('publication.decideLesson', { heading: lesson.heading.ja })}
        >
          {ACTIONS[lesson.state].map((action) => (
            <button
              key={action}
              type="button"
              className={action === 'return' ? 'secondary' : undefined}
              disabled={move.isPending || (action === 'approve' && (own || lesson.findings.length > 0))}
              title={action === 'approve' && own ? t('publication.notOwn') : undefined}
              onClick={() => move.mutate(action)}
            >
              {t(`publication.lessonActions.${action}`)}
            </button>
          ))}
          {lesson.state === 'draft' && (
            <button type="button" className="secondary" onClick={() => setEditing(true)}>
              {t('publication.edit')}
            </button>
          )}
          {lesson.state === 'in_review' && own && <span className="hint">{t('publication.notOwn')}</span>}
        </div>
      )}
      <ErrorMessage error={move.error} />
    </li>
  );
}

/** A new lesson, or a draft's edit: heading and paragraph in both languages, the incidents it draws on. */
function LessonForm({ period, lesson, onDone }: { period: Period; lesson?: LessonView; onDone: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [headingJa, setHeadingJa] = useState(lesson?.heading.ja ?? '');
  const [headingEn, setHeadingEn] = useState(lesson?.heading.en ?? '');
  const [bodyJa, setBodyJa] = useState(lesson?.body.ja ?? '');
  const [bodyEn, setBodyEn] = useState(lesson?.body.en ?? '');
  const [incidents, setIncidents] = useState((lesson?.incident_ids ?? []).join(', '));
  const save = useMutation({
    mutationFn: () => {
      const body: LessonBody = {
        fiscal_year: period.fy,
        quarter: period.quarter,
        heading: { ja: headingJa, en: headingEn },
        body: { ja: bodyJa, en: bodyEn },
        tlp: 'CLEAR',
        incident_ids: incidents
          .split(/[\s,、]+/)
          .filter(Boolean)
          .map(Number)
          .filter((n) => Number.isInteger(n) && n > 0),
      };
      return lesson ? updateLesson(lesson, body) : createLesson(body);
    },
    onSuccess: async () => {
      await invalidatePublication(client);
      onDone();
    },
  });
  return (
    <li className="publication-item lesson-form">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <label>
          {t('publication.headingJa')}
          <input value={headingJa} required maxLength={200} onChange={(e) => setHeadingJa(e.target.value)} />
        </label>
        <label>
          {t('publication.bodyJa')}
          <textarea
            value={bodyJa}
            required
            rows={4}
            maxLength={4000}
            onChange={(e) => setBodyJa(e.target.value)}
          />
        </label>
        <label>
          {t('publication.headingEn')}
          <input value={headingEn} maxLength={200} onChange={(e) => setHeadingEn(e.target.value)} />
        </label>
        <label>
          {t('publication.bodyEn')}
          <textarea value={bodyEn} rows={4} maxLength={4000} onChange={(e) => setBodyEn(e.target.value)} />
        </label>
        <label>
          {t('publication.incidents')}
          <input value={incidents} inputMode="numeric" onChange={(e) => setIncidents(e.target.value)} />
        </label>
        <div className="item-actions">
          <button type="submit" disabled={save.isPending}>
            {t('publication.save')}
          </button>
          <button type="button" className="secondary" onClick={onDone}>
            {t('publication.cancel')}
          </button>
        </div>
        <ErrorMessage error={save.error} />
      </form>
    </li>
  );
}
