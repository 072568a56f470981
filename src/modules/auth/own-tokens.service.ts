import type { Database } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import type { AuditService } from '../audit/index.js';
import { whoOf } from '../audit/index.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { AccountRepository } from './account.repository.js';
import type { AccountService } from './account.service.js';
import type { Actor, Scope } from '../../access/index.js';

export interface OwnTokenOptions {
  label: string;
  scopes?: Scope[];
  expiresInDays: number;
}

/**
 * Each user's own API tokens: issued (within the role's scopes, for a limited time), listed and
 * revoked by the user. Nobody issues a token for someone else through the API: an admin who could
 * would read, through an analyst's token, everything the center reads.
 */
export class OwnTokenService {
  constructor(
    private readonly database: Database,
    private readonly accounts: AccountService,
    private readonly audit: AuditService,
  ) {}

  async list(actor: Actor) {
    const rows = await new AccountRepository(this.database.db).listTokens(actor.userId);
    return rows.map((t) => ({ ...t, scopes: t.scopes.split(',') }));
  }

  async issue(actor: Actor, options: OwnTokenOptions): Promise<string> {
    return inTransaction(this.database, async (trx) => {
      const token = await this.accounts.insertTokenIn(trx, { id: actor.userId, role: actor.role }, options);
      await this.audit.append(trx, whoOf(actor), {
        action: 'auth.token_create',
        objectType: 'user',
        objectId: actor.userId,
        details: {
          label: options.label,
          scopes: options.scopes ?? 'role',
          expires_in_days: options.expiresInDays,
        },
      });
      return token;
    });
  }

  async revoke(actor: Actor, tokenId: number): Promise<void> {
    await inTransaction(this.database, async (trx) => {
      const result = await new AccountRepository(trx).revokeToken(
        actor.userId,
        tokenId,
        new Date().toISOString(),
      );
      // Someone else's token id answers like a missing one.
      if (Number(result.numUpdatedRows) === 0) throw notFound('token');
      await this.audit.append(trx, whoOf(actor), {
        action: 'auth.token_revoke',
        objectType: 'user',
        objectId: actor.userId,
        details: { token_id: tokenId },
      });
    });
    this.accounts.forgetVerifiedTokens();
  }
}
