import type { Actor } from './actor.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller, set by the gate before any route runs (null on public routes). */
    actor: Actor | null;
  }
}

/** The authenticated caller; routes behind a non-public policy always have one. */
export function actorOf(request: { actor: Actor | null }): Actor {
  if (!request.actor) throw new Error('route reached without an actor: its policy must not be public');
  return request.actor;
}
