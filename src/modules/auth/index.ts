/** The auth module's public face: other modules import only what is exported here. */
export { AccountRepository } from './account.repository.js';
export type { AccountService, CreateUserInput } from './account.service.js';
export { callerSchema } from './auth.schema.js';
export type { CredentialService } from './credentials.service.js';
export { generatePassword } from './password.js';
export { SessionRepository } from './session.repository.js';
export type { SessionService } from './session.service.js';
export { issueTokenBody, issuedToken, token } from './token.schema.js';
