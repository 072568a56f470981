import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import type { DB } from '../../platform/db/schema.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { AuditService } from '../audit/index.js';
import { whoOf } from '../audit/index.js';
import type { AccountService } from '../auth/index.js';
import { AccountRepository } from '../auth/index.js';
import type { CredentialService } from '../auth/index.js';
import { generatePassword } from '../auth/index.js';
import type { Actor, Role } from '../../access/index.js';
import { inTransaction } from '../../platform/db/transaction.js';
import type { ApprovalRow } from './approvals.repository.js';
import { ApprovalRepository } from './approvals.repository.js';

/**
 * The two-person rule. The roles that read everything (the center) or administer accounts are
 * granted, and their credentials reset, only when a second admin approves what a first one asked:
 * no single admin can give themselves or an accomplice the center's view of RED records.
 */
export const PRIVILEGED_ROLES: ReadonlySet<string> = new Set<Role>(['center_analyst', 'admin']);
export const APPROVAL_DAYS = 7;

export type ApprovalKind = 'create_user' | 'set_role' | 'reset_password' | 'reset_mfa';

export interface ApprovalPayload {
  email?: string;
  organization?: string;
  role?: string;
  sectors?: string[];
}

export interface ApprovalView {
  id: number;
  kind: ApprovalKind;
  status: 'pending' | 'approved' | 'rejected' | 'expired';
  target: { id: number; email: string } | null;
  payload: ApprovalPayload;
  requested_by: string;
  requested_at: string;
  expires_at: string;
  decided_by: string | null;
  decided_at: string | null;
}

export interface ApprovalOutcome {
  approval: ApprovalView;
  /** A reset's temporary password: shown once, to the approver (the second person) only. */
  temporary_password?: string;
  /** The user an approved creation made. */
  user_id?: number;
}

export class ApprovalService {
  constructor(
    private readonly database: Database,
    private readonly accounts: AccountService,
    private readonly credentials: CredentialService,
    private readonly audit: AuditService,
  ) {}

  /** Files a request in the caller's transaction, with its audit entry. */
  async requestIn(
    trx: Kysely<DB>,
    actor: Actor,
    kind: ApprovalKind,
    targetUserId: number | null,
    payload: ApprovalPayload,
  ): Promise<number> {
    const now = Date.now();
    const id = await new ApprovalRepository(trx).insert({
      kind,
      target_user_id: targetUserId,
      payload: JSON.stringify(payload),
      requested_by: actor.userId,
      requested_at: new Date(now).toISOString(),
      expires_at: new Date(now + APPROVAL_DAYS * 86_400_000).toISOString(),
    });
    await this.audit.append(trx, whoOf(actor), {
      action: 'admin.approval_request',
      objectType: 'approval',
      objectId: id,
      details: { kind, ...(targetUserId !== null ? { user_id: targetUserId } : {}), ...payload },
    });
    return id;
  }

  async request(
    actor: Actor,
    kind: ApprovalKind,
    targetUserId: number | null,
    payload: ApprovalPayload,
  ): Promise<ApprovalView> {
    const id = await inTransaction(this.database, (trx) =>
      this.requestIn(trx, actor, kind, targetUserId, payload),
    );
    return this.view(id);
  }

  async list(): Promise<ApprovalView[]> {
    const rows = await new ApprovalRepository(this.database.db).list(200);
    const now = Date.now();
    return rows.map((r) => present(r, now));
  }

  /**
   * Carries out a pending request: the change, the decision and their audit entries are one
   * transaction. The requester cannot approve it; an expired or decided one is refused.
   */
  async approve(actor: Actor, id: number): Promise<ApprovalOutcome> {
    const first = await new ApprovalRepository(this.database.db).find(id);
    if (!first) throw notFound('approval');
    checkOpen(first, actor, Date.now());
    // Hashed before the transaction: scrypt must not run while the write lock is held.
    const password = first.kind === 'reset_password' ? generatePassword() : undefined;
    const hash = password !== undefined ? await this.credentials.hashChecked(password) : undefined;
    const userId = await inTransaction(this.database, async (trx) => {
      const repo = new ApprovalRepository(trx);
      const row = await repo.find(id, this.database.dialect);
      if (!row) throw notFound('approval');
      const now = Date.now();
      checkOpen(row, actor, now);
      const created = await this.apply(trx, actor, row, hash);
      if ((await repo.decide(id, 'approved', actor.userId, new Date(now).toISOString())) !== 1) {
        throw new AppError('approval_decided', 'this request has already been decided');
      }
      await this.audit.append(trx, whoOf(actor), {
        action: 'admin.approval_approve',
        objectType: 'approval',
        objectId: id,
        details: { kind: row.kind, requested_by: row.requested_by },
      });
      return created;
    });
    return {
      approval: await this.view(id),
      ...(password !== undefined ? { temporary_password: password } : {}),
      ...(userId !== undefined ? { user_id: userId } : {}),
    };
  }

  /** Rejects a pending request: any admin may, the requester too (who withdraws it). */
  async reject(actor: Actor, id: number): Promise<ApprovalView> {
    await inTransaction(this.database, async (trx) => {
      const repo = new ApprovalRepository(trx);
      const row = await repo.find(id, this.database.dialect);
      if (!row) throw notFound('approval');
      const now = Date.now();
      if (row.status !== 'pending') throw new AppError('approval_decided', 'already decided');
      if (Date.parse(row.expires_at) <= now) throw new AppError('approval_expired', 'expired');
      await repo.decide(id, 'rejected', actor.userId, new Date(now).toISOString());
      await this.audit.append(trx, whoOf(actor), {
        action: 'admin.approval_reject',
        objectType: 'approval',
        objectId: id,
        details: { kind: row.kind, requested_by: row.requested_by },
      });
    });
    return this.view(id);
  }

  private async apply(
    trx: Kysely<DB>,
    actor: Actor,
    row: ApprovalRow,
    hash: string | undefined,
  ): Promise<number | undefined> {
    const payload = JSON.parse(row.payload) as ApprovalPayload;
    const who = { ...whoOf(actor) };
    const approved = { approval_id: row.id, requested_by: row.requested_by };
    if (row.kind === 'create_user') {
      const user = await this.accounts.checkNewUser(
        {
          email: payload.email ?? '',
          organization: payload.organization ?? '',
          role: payload.role ?? '',
          sectors: payload.sectors ?? [],
        },
        trx,
      );
      const userId = await this.accounts.insertUserIn(trx, user);
      await this.audit.append(trx, who, {
        action: 'admin.user_create',
        objectType: 'user',
        objectId: userId,
        details: { email: user.email, role: user.role, ...approved },
      });
      return userId;
    }
    const target = row.target_user_id;
    if (target === null || !(await new AccountRepository(trx).findUserById(target))) throw notFound('user');
    if (row.kind === 'set_role') {
      const role = payload.role ?? '';
      const sectors = this.accounts.checkRole(role, payload.sectors ?? []);
      const repo = new AccountRepository(trx);
      await repo.setRole(target, role);
      await repo.setSectors(target, sectors);
      await this.audit.append(trx, who, {
        action: 'admin.user_role',
        objectType: 'user',
        objectId: target,
        details: { role, sectors, ...approved },
      });
    } else if (row.kind === 'reset_password') {
      await this.credentials.applyPasswordIn(trx, target, hash!, who, true);
    } else if (row.kind === 'reset_mfa') {
      await this.credentials.applyMfaResetIn(trx, target, who);
    } else {
      throw new Error(`unknown approval kind ${row.kind}`);
    }
    return undefined;
  }

  private async view(id: number): Promise<ApprovalView> {
    const [row] = await new ApprovalRepository(this.database.db).list(1, id);
    if (!row) throw notFound('approval');
    return present(row, Date.now());
  }
}

function checkOpen(row: ApprovalRow, actor: Actor, now: number): void {
  if (row.status !== 'pending')
    throw new AppError('approval_decided', 'this request has already been decided');
  if (Date.parse(row.expires_at) <= now) throw new AppError('approval_expired', 'this request has expired');
  if (row.requested_by === actor.userId) {
    throw new AppError('approval_own_request', 'a second admin (not the requester) must approve this');
  }
}

type ListedRow = Awaited<ReturnType<ApprovalRepository['list']>>[number];

function present(r: ListedRow, now: number): ApprovalView {
  const expired = r.status === 'pending' && Date.parse(r.expires_at) <= now;
  return {
    id: r.id,
    kind: r.kind as ApprovalKind,
    status: expired ? 'expired' : (r.status as ApprovalView['status']),
    target: r.target_user_id !== null ? { id: r.target_user_id, email: r.target_email ?? '' } : null,
    payload: JSON.parse(r.payload) as ApprovalPayload,
    requested_by: r.requested_by_email ?? String(r.requested_by),
    requested_at: r.requested_at,
    expires_at: r.expires_at,
    decided_by: r.decided_by_email ?? null,
    decided_at: r.decided_at,
  };
}
