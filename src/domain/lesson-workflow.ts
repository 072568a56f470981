/**
 * The workflow of a lesson learned (pure): draft -> in review -> approved -> published, with a way
 * back to draft before it is published. The approver is never the author: a second pair of eyes is
 * the point of the review. A published lesson is history and changes no more.
 */

export const LESSON_STATES = ['draft', 'in_review', 'approved', 'published'] as const;
export type LessonState = (typeof LESSON_STATES)[number];

export const LESSON_ACTIONS = ['submit', 'approve', 'return', 'publish'] as const;
export type LessonAction = (typeof LESSON_ACTIONS)[number];

const MOVES: Record<LessonAction, { from: readonly LessonState[]; to: LessonState }> = {
  submit: { from: ['draft'], to: 'in_review' },
  approve: { from: ['in_review'], to: 'approved' },
  return: { from: ['in_review', 'approved'], to: 'draft' },
  publish: { from: ['approved'], to: 'published' },
};

export type LessonRefusal =
  { code: 'lesson_state'; message: string } | { code: 'lesson_own_approval'; message: string };

/** The state an action leads to, or why it may not be taken now, by this user. */
export function lessonMove(
  state: LessonState,
  action: LessonAction,
  who: { userId: number; authorId: number },
): { ok: true; to: LessonState } | { ok: false; refusal: LessonRefusal } {
  const move = MOVES[action];
  if (!move.from.includes(state))
    return {
      ok: false,
      refusal: {
        code: 'lesson_state',
        message: `a lesson in state ${state} cannot be given "${action}" (only from ${move.from.join(' or ')})`,
      },
    };
  if (action === 'approve' && who.userId === who.authorId)
    return {
      ok: false,
      refusal: { code: 'lesson_own_approval', message: 'the author of a lesson may not approve it' },
    };
  return { ok: true, to: move.to };
}

/** Only a draft is edited; a lesson in review goes back to draft first, so the reviewer approves what they read. */
export const isEditable = (state: LessonState): boolean => state === 'draft';

/** The lessons a quarterly document sets in part 3. */
export const inDocument = (state: LessonState): boolean => state === 'approved' || state === 'published';
