import { useQuery } from '@tanstack/react-query';
import { ROLES } from '../../../../../src/access/actor.js';
import type { Role } from '../../../../../src/access/index.js';
import type {
  AdminUser,
  Approval,
  Organization,
  PendingAnswer,
} from '../../../../../src/modules/admin/admin.schema.js';
import { api } from '../../../shared/api/client';

/** The answers of the admin API: its schema file's types (src/modules/admin/admin.schema.ts). */
export type {
  AdminUser,
  ApiToken,
  Approval,
  ApprovalAnswer,
  ApprovedAnswer,
  CreatedUser,
  Organization,
  PendingAnswer,
  TemporaryPassword,
} from '../../../../../src/modules/admin/admin.schema.js';

/** A change that waits for a second admin answers with its request. */
export const isPending = (answer: unknown): answer is PendingAnswer =>
  typeof answer === 'object' && answer !== null && 'approval' in answer;

/** A user's stored role (the API answers it as text) as one of the roles; undefined for another text. */
export function roleOf(user: Pick<AdminUser, 'role'>): Role | undefined {
  return ROLES.find((role) => role === user.role);
}

export const USERS = ['admin', 'users'] as const;
export const APPROVALS = ['admin', 'approvals'] as const;
const ORGANIZATIONS = ['admin', 'organizations'] as const;
export const tokensKey = (id: number) => ['admin', 'tokens', id] as const;

export function useUsers() {
  return useQuery({
    queryKey: USERS,
    queryFn: ({ signal }) => api<AdminUser[]>('/admin/users', { signal }),
  });
}

export function useOrganizations() {
  return useQuery({
    queryKey: ORGANIZATIONS,
    queryFn: ({ signal }) => api<Organization[]>('/admin/organizations', { signal }),
  });
}

export function useApprovals() {
  return useQuery({
    queryKey: APPROVALS,
    queryFn: ({ signal }) => api<Approval[]>('/admin/approvals', { signal }),
  });
}
